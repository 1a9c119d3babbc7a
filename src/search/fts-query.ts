// Turns a ParsedQuery into an SQLite FTS5 MATCH expression for a table with the
// columns (title, abstract, authors). Every piece of user text is emitted as an
// FTS5 string ("..." with inner quotes doubled), so whatever the user typed
// (NEAR(, AND, OR, NOT, *, ^, :, parentheses, column names) is only ever text.
// Categories and years are not part of the MATCH: the caller filters on them.
import { hasWordChar, type ParsedQuery } from './query-parser.js';

export interface FtsMatchOptions {
  /** Search-as-you-type: prefix-match the last word if the user may still be typing it (ParsedQuery.lastTermOpen). */
  prefixLast?: boolean;
}

/** Shorter automatic prefixes would scan most of the index and rarely help. */
export const MIN_AUTO_PREFIX_CHARS = 2;

const AUTHORS_COLUMN = 'authors';

/** An FTS5 string literal; control characters become spaces (the tokenizer splits on them anyway). */
export function ftsString(text: string): string {
  return `"${text.replace(/\p{Cc}/gu, ' ').replaceAll('"', '""')}"`;
}

function countWordChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

function authorFilter(names: string[]): string | null {
  const wanted = names.filter(hasWordChar).map(ftsString);
  return wanted.length === 0 ? null : `${AUTHORS_COLUMN} : (${wanted.join(' ')})`;
}

/**
 * Builds the MATCH expression, or returns null when nothing positive is left to
 * match (for example only exclusions or only cat:/year: filters); the caller
 * then runs a filter-only query, and can apply exclusions with toFtsExclusion.
 */
export function toFtsMatch(q: ParsedQuery, opts: FtsMatchOptions = {}): string | null {
  const positive: string[] = [];
  const last = q.terms.length - 1;
  q.terms.forEach((term, i) => {
    if (!hasWordChar(term.text)) return;
    const auto = opts.prefixLast === true && q.lastTermOpen && i === last && countWordChars(term.text) >= MIN_AUTO_PREFIX_CHARS;
    positive.push(term.prefix || auto ? `${ftsString(term.text)} *` : ftsString(term.text));
  });
  for (const phrase of q.phrases) if (hasWordChar(phrase)) positive.push(ftsString(phrase));
  const authors = authorFilter(q.authors);
  if (authors !== null) positive.push(authors);
  if (positive.length === 0) return null;

  const joined = positive.join(' AND ');
  const negative = toFtsExclusion(q);
  return negative === null ? joined : `(${joined}) NOT (${negative})`;
}

/**
 * The exclusions alone as a MATCH expression (any of them matches), or null.
 * For a filter-only query: `rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)`.
 */
export function toFtsExclusion(q: ParsedQuery): string | null {
  const parts = [...q.excluded, ...q.excludedPhrases].filter(hasWordChar).map(ftsString);
  for (const name of q.excludedAuthors) {
    const filter = authorFilter([name]);
    if (filter !== null) parts.push(filter);
  }
  return parts.length === 0 ? null : parts.join(' OR ');
}
