// The search box grammar. Pure: no I/O, never throws. Execution lives elsewhere
// (keyword-query.ts builds the store's KeywordText; the embedder takes semanticText).
//
//   words          deep learning          every word must match
//   "phrase"       "gaussian splatting"   an unclosed quote runs to the end
//   -word -"a b"                          exclusions (not before a digit: -2 is a number)
//   author:Name    author:"Full Name"     also authors: / au:; -author: excludes
//   cat:cs.CV      cat:cs   -cat:cs.CV    arXiv category or whole archive
//   year:2024      year:2020..2024   year:2020..   year:..2024   (also 2020-2024)
//   word*                                 prefix match
// Any other `field:value` is kept as plain words.

export interface QueryTerm {
  text: string;
  prefix: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  phrases: string[];
  excluded: string[];
  excludedPhrases: string[];
  authors: string[];
  excludedAuthors: string[];
  /** Canonical arXiv categories (`cs.CV`) or archives (`cs`, `hep-th`); see categoryMatches. */
  categories: string[];
  excludedCategories: string[];
  yearFrom: number | null;
  yearTo: number | null;
  /** The input ends in a plain word with no space after it: the user may still be typing it. */
  lastTermOpen: boolean;
  /** Words and phrases for an embedder, without operators, fields or exclusions. */
  semanticText: string;
  /** Soft problems to show the user; the query still runs without the offending part. */
  errors: string[];
}

export const MAX_QUERY_CHARS = 1000;
export const MAX_QUERY_PARTS = 32;

const FIELDS: Record<string, 'author' | 'cat' | 'year'> = {
  author: 'author',
  authors: 'author',
  au: 'author',
  cat: 'cat',
  category: 'cat',
  year: 'year',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const FIELD_PREFIX = /^([A-Za-z]+):/;
const CATEGORY = /^([a-z]+(?:-[a-z]+)?)(?:\.([a-z]+(?:-[a-z]+)?))?$/i;
const YEAR = /^(\d{4})?(?:(\.\.|-)(\d{4})?)?$/;

export function hasWordChar(text: string): boolean {
  return WORD_CHAR.test(text);
}

/** Whether a paper category satisfies a cat: filter (`cs` matches `cs.CV`, not `cs-foo`). */
export function categoryMatches(filter: string, category: string): boolean {
  return category === filter || (!filter.includes('.') && category.startsWith(`${filter}.`));
}

interface Normalised {
  text: string;
  truncated: boolean;
  endsWithSpace: boolean;
}

function cap(s: string): string {
  return s.length > MAX_QUERY_CHARS ? s.slice(0, MAX_QUERY_CHARS).replace(LONE_SURROGATE, '') : s;
}

function normalise(input: unknown): Normalised {
  const raw = typeof input === 'string' ? input : '';
  let s = cap(raw).replace(LONE_SURROGATE, '').normalize('NFKC');
  s = s.replace(/[\u201C\u201D\u201E\u201F]/g, '"'); // typographic quotes from phones and word processors
  s = s.replace(/[\t\n\v\f\r\u0085]/g, ' ').replace(/[\p{Cc}\p{Cf}]/gu, '');
  const truncated = raw.length > MAX_QUERY_CHARS || s.length > MAX_QUERY_CHARS;
  s = cap(s);
  return { text: s.replace(/\s+/gu, ' ').trim(), truncated, endsWithSpace: /\s$/u.test(s) };
}

function echo(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function canonicalCategory(value: string): string | null {
  const m = CATEGORY.exec(value);
  if (!m) return null;
  const archive = (m[1] ?? '').toLowerCase();
  const subject = m[2];
  if (subject === undefined) return archive;
  // arXiv writes two-letter subject classes in capitals (cs.CV, math.AG), longer ones in lower case (physics.optics).
  return `${archive}.${subject.length === 2 ? subject.toUpperCase() : subject.toLowerCase()}`;
}

function parseYear(value: string): { from: number | null; to: number | null } | null {
  const m = YEAR.exec(value);
  if (!m || (m[1] === undefined && m[3] === undefined)) return null;
  const from = m[1] === undefined ? null : Number(m[1]);
  const to = m[2] === undefined ? from : m[3] === undefined ? null : Number(m[3]);
  if ((from !== null && from < 1000) || (to !== null && to < 1000)) return null;
  return from !== null && to !== null && from > to ? { from: to, to: from } : { from, to };
}

class Builder {
  readonly q: ParsedQuery = {
    terms: [],
    phrases: [],
    excluded: [],
    excludedPhrases: [],
    authors: [],
    excludedAuthors: [],
    categories: [],
    excludedCategories: [],
    yearFrom: null,
    yearTo: null,
    lastTermOpen: false,
    semanticText: '',
    errors: [],
  };
  private readonly semantic: string[] = [];
  private readonly seen = new Set<string>();

  error(message: string): void {
    if (!this.q.errors.includes(message)) this.q.errors.push(message);
  }

  /** Registers a part; false when it is meaningless, a duplicate or over the cap. */
  private admit(kind: string, text: string): boolean {
    if (!hasWordChar(text)) return false;
    const key = `${kind}\u0000${text.toLowerCase()}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size >= MAX_QUERY_PARTS) {
      this.error(`Only the first ${MAX_QUERY_PARTS} search terms are used.`);
      return false;
    }
    this.seen.add(key);
    return true;
  }

  private add(list: string[], kind: string, text: string): boolean {
    if (!this.admit(kind, text)) return false;
    list.push(text);
    return true;
  }

  word(raw: string, negated: boolean): boolean {
    const text = raw.replace(/\*+$/, '');
    if (negated) return this.add(this.q.excluded, 'x', text);
    if (!this.admit('t', text)) return false;
    this.q.terms.push({ text, prefix: text.length < raw.length });
    this.semantic.push(text);
    return true;
  }

  phrase(text: string, negated: boolean): void {
    if (negated) this.add(this.q.excludedPhrases, 'xp', text);
    else if (this.add(this.q.phrases, 'p', text)) this.semantic.push(text);
  }

  field(name: 'author' | 'cat' | 'year', value: string, negated: boolean, typed: string): void {
    if (!hasWordChar(value)) {
      this.error(`${typed} needs a value.`);
      return;
    }
    if (name === 'author') {
      this.add(negated ? this.q.excludedAuthors : this.q.authors, negated ? 'xa' : 'a', value);
    } else if (name === 'cat') {
      const category = canonicalCategory(value);
      if (category === null) this.error(`${typed}${echo(value)} is not an arXiv category.`);
      else this.add(negated ? this.q.excludedCategories : this.q.categories, negated ? 'xc' : 'c', category);
    } else if (negated) {
      this.error(`-${typed} is not supported; use a range such as year:2020..2024.`);
    } else {
      this.year(value, typed);
    }
  }

  private year(value: string, typed: string): void {
    const range = parseYear(value);
    if (range === null) {
      this.error(`${typed}${echo(value)} is not a year.`);
      return;
    }
    const q = this.q;
    if (range.from !== null) q.yearFrom = q.yearFrom === null ? range.from : Math.max(q.yearFrom, range.from);
    if (range.to !== null) q.yearTo = q.yearTo === null ? range.to : Math.min(q.yearTo, range.to);
    if (q.yearFrom !== null && q.yearTo !== null && q.yearFrom > q.yearTo) this.error('The year ranges do not overlap.');
  }

  finish(): ParsedQuery {
    this.q.semanticText = this.semantic.join(' ');
    return this.q;
  }
}

/** Reads a quoted string starting at s[start] === '"'; an unclosed quote runs to the end. */
function readQuoted(s: string, start: number): { text: string; next: number } {
  const close = s.indexOf('"', start + 1);
  const end = close === -1 ? s.length : close;
  return { text: s.slice(start + 1, end).trim(), next: close === -1 ? s.length : close + 1 };
}

export function parseQuery(input: string): ParsedQuery {
  const { text: s, truncated, endsWithSpace } = normalise(input);
  const b = new Builder();
  if (truncated) b.error(`The query was cut to ${MAX_QUERY_CHARS} characters.`);

  let i = 0;
  while (i < s.length) {
    b.q.lastTermOpen = false;
    if (s[i] === ' ') {
      i++;
      continue;
    }
    // "-2" or "-0.5" is a number (or an item of a list such as "E2f-1, -2, -3"), not an exclusion.
    const negated = s[i] === '-' && i + 1 < s.length && s[i + 1] !== ' ' && !/\d/.test(s[i + 1]!);
    if (negated) i++;
    if (s[i] === '"') {
      const { text, next } = readQuoted(s, i);
      b.phrase(text, negated);
      i = next;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== ' ' && s[j] !== '"') j++;
    const word = s.slice(i, j);
    const m = FIELD_PREFIX.exec(word);
    const fieldName = m?.[1]?.toLowerCase();
    const field = fieldName === undefined ? undefined : FIELDS[fieldName];
    let value = m ? word.slice(m[0].length) : '';
    let quoted = false;
    if (m && value === '' && s[j] === '"') {
      const read = readQuoted(s, j);
      value = read.text;
      j = read.next;
      quoted = true;
    }
    i = j;

    if (field !== undefined && m) {
      b.field(field, value, negated, m[0].toLowerCase());
    } else if (m) {
      // Unknown field: keep both sides as plain text.
      b.word(m[1] ?? '', negated);
      if (quoted) b.phrase(value, negated);
      else b.q.lastTermOpen = b.word(value, negated) && !negated && j >= s.length;
    } else {
      b.q.lastTermOpen = b.word(word, negated) && !negated && j >= s.length;
    }
  }
  if (endsWithSpace) b.q.lastTermOpen = false;
  return b.finish();
}
