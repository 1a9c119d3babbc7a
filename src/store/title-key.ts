// The key an exact-title lookup compares (KeywordQuery.exactTitle): the title
// lower-cased (SQLite's lower(): ASCII letters) without spacing and
// punctuation, so "Toward General Instruction-Following Alignment ..." pasted
// from anywhere equals the stored "Toward General\n  Instruction-Following
// Alignment ...". It is an SQL expression, so that the expression index of
// migration 007 keeps it for every paper, whatever process wrote the paper: a
// lookup is one index seek, O(log n), whatever the title's words (an FTS5
// phrase query on the title column would read the papers containing the
// phrase, which for a one-word title is a large part of the collection).

/** Removed from titles before comparing: whitespace, ASCII punctuation, and the Unicode dashes, quotes and spaces titles carry. */
export const TITLE_KEY_REMOVED = [
  ...' \t\n\r',
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\u00a0', // no-break space
  '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', // hyphens and dashes
  '\u2018', '\u2019', '\u201c', '\u201d', // curly quotes
  '\u2026', // ellipsis
];

/**
 * The key of `operand` (an SQL expression) as SQL. Migration 007 indexes
 * titleKeySql('title') verbatim: a lookup must use exactly this text for
 * SQLite to use the index (tested).
 */
export function titleKeySql(operand: string): string {
  let sql = `lower(${operand})`;
  for (const c of TITLE_KEY_REMOVED) sql = `replace(${sql}, char(${c.codePointAt(0)}), '')`;
  return sql;
}

/** Whether a text has anything a title key keeps (a letter or a digit). */
export function hasTitleKey(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
