// The search box text split into its parts as typed (words, "phrases",
// field:values, -exclusions), found as parseQuery finds them, so a query can be
// offered with one part left out ("No papers match a b c; try a b").
export type QueryPartKind = 'word' | 'phrase' | 'author' | 'field' | 'exclusion';

export interface QueryPart {
  /** The part as typed, quotes and field name included. */
  text: string;
  kind: QueryPartKind;
}

const QUOTES = /["\u201C\u201D\u201E\u201F]/u;
const FIELD = /^([A-Za-z]+):/;
const AUTHOR_FIELDS = new Set(['author', 'authors', 'au']);
const OTHER_FIELDS = new Set(['cat', 'category', 'year']);

const isQuote = (ch: string | undefined) => ch !== undefined && QUOTES.test(ch);
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/u.test(ch);

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) if (isQuote(s[i])) return i;
  return s.length;
}

/** The parts of `query`, in order; an empty list for a blank query. */
export function queryParts(query: string): QueryPart[] {
  const s = query;
  const out: QueryPart[] = [];
  let i = 0;
  while (i < s.length) {
    if (isSpace(s[i])) {
      i++;
      continue;
    }
    const start = i;
    const negated = s[i] === '-' && i + 1 < s.length && !isSpace(s[i + 1]) && !/\d/.test(s[i + 1] as string);
    if (negated) i++;
    if (isQuote(s[i])) {
      i = Math.min(s.length, closingQuote(s, i) + 1);
      out.push({ text: s.slice(start, i), kind: negated ? 'exclusion' : 'phrase' });
      continue;
    }
    let j = i;
    while (j < s.length && !isSpace(s[j]) && !isQuote(s[j])) j++;
    const field = FIELD.exec(s.slice(i, j));
    if (field && field[0].length === j - i && isQuote(s[j])) j = Math.min(s.length, closingQuote(s, j) + 1);
    const name = field?.[1]?.toLowerCase() ?? '';
    const kind: QueryPartKind = negated ? 'exclusion' : AUTHOR_FIELDS.has(name) ? 'author' : OTHER_FIELDS.has(name) ? 'field' : 'word';
    out.push({ text: s.slice(start, j), kind });
    i = j;
  }
  return out;
}

/**
 * Parts that a query can do without and still mean something: words, phrases,
 * authors and field filters (`cat:cs.CV diffusion` without its category is
 * still a search for diffusion; a collection may have no categories at all).
 */
export function droppable(part: QueryPart): boolean {
  return part.kind !== 'exclusion';
}
