// The key an exact-title lookup compares (KeywordQuery.exactTitle): the title
// with ASCII letters lower-cased (other letters unchanged) and without spacing
// and punctuation, so "Toward General Instruction-Following Alignment ..."
// pasted from anywhere equals the stored "Toward General\n  Instruction-Following
// Alignment ...". Every backend computes this same key; the SQLite one as an
// SQL expression (sqlite/title-key-sql.ts).

/** Removed from titles before comparing: whitespace, ASCII punctuation, and the Unicode dashes, quotes and spaces titles carry. */
export const TITLE_KEY_REMOVED = [
  ...' \t\n\r',
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\u00a0', // no-break space
  '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', // hyphens and dashes
  '\u2018', '\u2019', '\u201c', '\u201d', // curly quotes
  '\u2026', // ellipsis
];

const REMOVED = new Set(TITLE_KEY_REMOVED);

/** The key of a title. ASCII-only lower-casing is SQLite's lower(); other backends must match it. */
export function titleKey(title: string): string {
  let key = '';
  for (const ch of title) if (!REMOVED.has(ch)) key += ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
  return key;
}

/** Whether a text has anything a title key keeps (a letter or a digit). */
export function hasTitleKey(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
