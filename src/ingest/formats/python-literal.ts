/**
 * A parser for Python literal reprs (what `repr(dict)` prints): dicts, lists,
 * tuples, sets, str/bytes with escapes, int/float, True/False/None. Nothing
 * is evaluated. One Hugging Face API era stored each item as such a string.
 */
import { fail, ok } from './common.js';
import type { RecordResult } from './common.js';

class LiteralError extends Error {}

const MAX_DEPTH = 200;
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): unknown {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos < this.src.length) this.error('unexpected text after the value');
    return value;
  }

  private error(message: string): never {
    throw new LiteralError(`${message} at character ${this.pos + 1}`);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.error('nesting too deep');
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === undefined) this.error('unexpected end of input');
    if (c === '{') return this.braces(depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === "'" || c === '"') return this.string();
    if (/[rRbBuU]/.test(c) && /^[rRbBuU]{1,2}['"]/.test(this.src.slice(this.pos, this.pos + 3))) return this.string();
    if (/[-+.\d]/.test(c)) return this.number();
    const word = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos))?.[0];
    const words: Record<string, unknown> = { True: true, False: false, None: null, inf: Infinity, nan: NaN };
    if (word !== undefined && word in words) {
      this.pos += word.length;
      return words[word];
    }
    return this.error(`unexpected ${word ? `name "${word}"` : `"${c}"`}`);
  }

  /** Comma-separated values up to `close`; a trailing comma is allowed. */
  private items<T>(close: string, one: () => T): T[] {
    this.pos++; // the opening bracket
    const out: T[] = [];
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(one());
      this.skipSpace();
      const sep = this.src[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) this.error(`expected "," or "${close}"`);
    }
  }

  private sequence(close: string, depth: number): unknown[] {
    return this.items(close, () => this.value(depth + 1));
  }

  /** A dict, or a set when the first element has no ":". */
  private braces(depth: number): unknown {
    const start = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return {};
    }
    this.value(depth + 1);
    this.skipSpace();
    const isDict = this.src[this.pos] === ':';
    this.pos = start;
    if (!isDict) return this.sequence('}', depth);
    const obj: Record<string, unknown> = {};
    this.items('}', () => {
      const key = this.value(depth + 1);
      this.skipSpace();
      if (this.src[this.pos] !== ':') this.error('expected ":"');
      this.pos++;
      const v = this.value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) this.error('unsupported dict key');
      Object.defineProperty(obj, String(key), { value: v, enumerable: true, writable: true, configurable: true });
    });
    return obj;
  }

  private number(): number {
    const m = /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?/.exec(this.src.slice(this.pos));
    if (!m) {
      const inf = /^[-+](inf|nan)\b/.exec(this.src.slice(this.pos));
      if (!inf) this.error('bad number');
      this.pos += inf[0].length;
      return inf[1] === 'nan' ? NaN : inf[0].startsWith('-') ? -Infinity : Infinity;
    }
    this.pos += m[0].length;
    return Number(m[0].replace(/_/g, ''));
  }

  private string(): string {
    const prefix = /^[rRbBuU]*/.exec(this.src.slice(this.pos))![0];
    const raw = /r/i.test(prefix);
    this.pos += prefix.length;
    const quote = this.src[this.pos]!;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '\n') this.error('unterminated string');
      this.pos++;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.src[this.pos];
      if (e === undefined) this.error('unterminated string');
      if (raw) {
        out += e === quote ? e : `\\${e}`;
        this.pos++;
        continue;
      }
      out += this.escape(e);
    }
  }

  /** The escape after a backslash (pos is at the escape letter). */
  private escape(e: string): string {
    this.pos++;
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e]!;
    if (e === '\n') return '';
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = this.src.slice(this.pos, this.pos + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) this.error(`bad \\${e} escape`);
      this.pos += hexLen;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.error('code point out of range');
      return String.fromCodePoint(code);
    }
    if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))![0];
      this.pos += oct.length;
      return String.fromCharCode(parseInt(e + oct, 8));
    }
    // Python keeps unknown escapes such as "\d" verbatim.
    return `\\${e}`;
  }
}

/** Parse a Python literal; never evaluates anything. */
export function parsePythonLiteral(src: string): RecordResult<unknown> {
  try {
    return ok(new Parser(src).parse());
  } catch (err) {
    if (err instanceof LiteralError) return fail(`not a Python literal: ${err.message}`);
    throw err;
  }
}
