/**
 * Server-side LaTeX: finds the math in a title or abstract and renders it with
 * KaTeX; everything outside math is HTML-escaped. Dollars that are not math
 * ("costs $5", "$5 to $10", an unclosed "$x") stay text, following pandoc's
 * rule: an opening `$` is followed by a non-space, a closing `$` follows a
 * non-space and is not followed by a digit.
 */
import katex from 'katex';
import { escapeHtml } from './views/html.js';
import { LruMap } from '../lru.js';

export type MathSegment = { kind: 'text'; text: string } | { kind: 'math'; tex: string; display: boolean };

/** How far a closing `$` is looked for; real inline math is short. */
const MAX_INLINE = 1000;

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Index of the `$` closing inline math opened just before `start`, or -1. */
function inlineClose(s: string, start: number): number {
  if (start >= s.length || isSpace(s[start]) || s[start] === '$') return -1;
  const limit = Math.min(s.length, start + MAX_INLINE);
  for (let j = start; j < limit; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '\n' && /^\n[ \t\r]*\n/.test(s.slice(j, j + 20))) return -1; // math never spans a paragraph break
    else if (c === '$' && !isSpace(s[j - 1]) && !isDigit(s[j + 1])) return j;
  }
  return -1;
}

/** Index of an unescaped `close` at or after `from`, or -1. */
function delimiterClose(s: string, close: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    if (s.startsWith(close, j)) return j;
    if (s[j] === '\\') j++;
  }
  return -1;
}

/** Split text into plain-text and math segments. */
export function splitMath(s: string): MathSegment[] {
  const out: MathSegment[] = [];
  let textStart = 0;
  const push = (end: number, tex: string, display: boolean, resume: number) => {
    if (end > textStart) out.push({ kind: 'text', text: s.slice(textStart, end) });
    out.push({ kind: 'math', tex, display });
    textStart = resume;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '(' || next === '[') {
        const end = delimiterClose(s, next === '(' ? '\\)' : '\\]', i + 2);
        const tex = end === -1 ? '' : s.slice(i + 2, end);
        if (tex.trim() !== '') {
          push(i, tex, next === '[', end + 2);
          i = end + 2;
          continue;
        }
      }
      i += 2; // an escaped character (\$, \\, \%) is text
      continue;
    }
    if (c === '$') {
      if (s[i + 1] === '$') {
        const end = delimiterClose(s, '$$', i + 2);
        const tex = end === -1 ? '' : s.slice(i + 2, end);
        if (tex.trim() !== '') {
          push(i, tex, true, end + 2);
          i = end + 2;
        } else i += 2;
        continue;
      }
      const end = inlineClose(s, i + 1);
      if (end !== -1) {
        push(i, s.slice(i + 1, end), false, end + 1);
        i = end + 1;
        continue;
      }
    }
    i++;
  }
  if (textStart < s.length) out.push({ kind: 'text', text: s.slice(textStart) });
  return out;
}

const COMBINING: Record<string, string> = { "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303' };

/** Text outside math: LaTeX escapes and accents (\%, \$, Poincar\'e) become the characters they mean, then HTML-escaped. */
export function renderText(text: string): string {
  if (!text.includes('\\')) return escapeHtml(text);
  const plain = text
    .replace(/\{\\(['`^"~])([A-Za-z])\}|\\(['`^"~])(?:\{([A-Za-z])\}|([A-Za-z]))/g, (_m, a1?: string, l1?: string, a2?: string, l2?: string, l3?: string) =>
      `${l1 ?? l2 ?? l3}${COMBINING[(a1 ?? a2) as string]}`.normalize('NFC'),
    )
    .replace(/\\(?:textbf|textit|textsc|texttt|textrm|emph|text)\{([^{}]*)\}/g, '$1')
    .replace(/\{\\(?:it|bf|em|sc|tt|rm)\s+([^{}]*)\}/g, '$1')
    .replace(/\\([$%&_#{} ])/g, '$1');
  return escapeHtml(plain);
}

export function renderTex(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, { throwOnError: false, output: 'htmlAndMathml', displayMode: display, strict: 'ignore' });
  } catch {
    // throwOnError only covers parse errors; anything else shows the source as text.
    return `<code class="tex-source">${escapeHtml(tex)}</code>`;
  }
}

// Hugging Face's daily lists drop the backslashes of an abstract's LaTeX
// ("$textbf{specialist} and textbf{generalist}$", "$... le (1 - p)^N + lceil
// log_2 N rceil$"). KaTeX sets such math as runs of italic letters, so math
// that names a command without its backslash is shown as the text it is,
// with its formatting commands unwrapped. Genuine math never spells these
// names bare: an italic "textbf" is not a product of six variables.
const FORMATTING = String.raw`text(?:bf|it|rm|tt|sc|sf)?|emph|math(?:bf|rm|cal|bb|it|sf|tt)|operatorname|boldsymbol`;
const BARE_COMMAND = new RegExp(
  String.raw`(?<![\\A-Za-z])(?:(?:${FORMATTING}|frac|sqrt|hat|tilde|overline|underline)\{|` +
    String.raw`(?:[lr]ceil|[lr]floor|[lg]eq|neq|cdots?|ldots|times|approx|infty|(?:left|right|Left|Right)arrow|forall|exists|partial|nabla|` +
    String.raw`alpha|beta|gamma|delta|(?:var)?epsilon|lambda|sigma|theta|omega)(?![A-Za-z]))`,
);
const BARE_FORMATTING = new RegExp(String.raw`(?<![\\A-Za-z])(?:${FORMATTING})\{([^{}]*)\}`, 'g');

/** Whether `tex` lost its backslashes on the way here (see BARE_COMMAND). */
function lostBackslashes(tex: string): boolean {
  return BARE_COMMAND.test(tex);
}

function renderMath(tex: string, display: boolean): string {
  return lostBackslashes(tex) ? renderText(tex.replace(BARE_FORMATTING, '$1')) : renderTex(tex, display);
}

const renderSegment = (seg: MathSegment, inlineOnly = false): string =>
  seg.kind === 'text' ? renderText(seg.text) : renderMath(seg.tex, seg.display && !inlineOnly);

const mayHaveMath = (s: string) => s.includes('$') || s.includes('\\');

// Rendering is memoised by the text itself, so a changed title or abstract is simply a new key.
const cache = new LruMap<string, string>(4000);

function memo(key: string, build: () => string): string {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = build();
  cache.set(key, value);
  return value;
}

/** HTML for a title or abstract: escaped text with its math rendered by KaTeX. */
export function renderMathText(s: string): string {
  if (!mayHaveMath(s)) return escapeHtml(s);
  return memo(`f\u0000${s}`, () => splitMath(s).map((seg) => renderSegment(seg)).join(''));
}

/**
 * HTML for the first ~maxChars characters of `s` (whitespace collapsed), cut on
 * a word boundary with an ellipsis; math is kept whole (inline) or left out.
 */
export function renderMathPreview(s: string, maxChars: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return renderMathText(flat);
  const build = () => {
    let out = '';
    let used = 0;
    for (const seg of splitMath(flat)) {
      const length = seg.kind === 'text' ? seg.text.length : seg.tex.length + 2;
      if (used + length <= maxChars) {
        out += renderSegment(seg, true);
        used += length;
        continue;
      }
      if (seg.kind === 'text') out += renderText(cutOnWord(seg.text, maxChars - used));
      return `${out.trimEnd()}…`;
    }
    return out;
  };
  return mayHaveMath(flat) ? memo(`p${maxChars}\u0000${flat}`, build) : escapeHtml(`${cutOnWord(flat, maxChars).trimEnd()}…`);
}

/** At most `max` characters of `text`, ending at a word boundary when one is reasonably close. */
export function cutOnWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  const kept = space >= max * 0.6 ? cut.slice(0, space) : text.slice(0, max);
  return kept.replace(/[\s,;:.\-–—(]+$/, '');
}
