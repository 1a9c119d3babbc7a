// Translates a KeywordText (../store.ts) into an SQLite FTS5 MATCH expression
// for the keyword indexes (columns title, abstract, authors; the prefix index
// title, authors). Every piece of text is emitted as an FTS5 string ("..."
// with inner quotes doubled), so whatever the user typed (NEAR(, AND, OR, NOT,
// *, ^, :, parentheses, column names) is only ever text.
//
// The expression comes with what keyword ranking needs to know about it, taken
// from the KeywordText rather than read back from the string: its phrases in
// the order FTS5 numbers them (paperboy_bm25() takes one document count per
// phrase in that order), whether it has an OR, and the alternatives of a
// natural-language query.
import { hasKeywords, hasLetterOrDigit, type KeywordText } from '../store.js';

export interface FtsPhrase {
  /** The phrase as a MATCH expression of its own, with its column filter and prefix star. */
  text: string;
  /** Right of a NOT: a paper holding it is left out, so it never makes a paper match. */
  negated: boolean;
}

export interface FtsQuery {
  /** The MATCH expression, exclusions included. */
  match: string;
  phrases: FtsPhrase[];
  /** Whether the expression has an OR anywhere; without one, every match holds every phrase that is not negated. */
  usesOr: boolean;
  /**
   * For a natural-language query (one OR group of words, and exclusions): the
   * words, each a MATCH expression. Every match holds one of them and needs
   * nothing else. Null for any other shape.
   */
  alternatives: string[] | null;
}

const AUTHORS_COLUMN = 'authors';

/** An FTS5 string literal; control characters become spaces (the tokenizer splits on them anyway). */
export function ftsString(text: string): string {
  return `"${text.replace(/\p{Cc}/gu, ' ').replaceAll('"', '""')}"`;
}

/** `authors : ("a" "b")` and its phrases, or null for no names. */
function authorFilter(names: string[], negated: boolean): { expr: string; phrases: FtsPhrase[] } | null {
  const wanted = names.filter(hasLetterOrDigit).map(ftsString);
  if (wanted.length === 0) return null;
  return { expr: `${AUTHORS_COLUMN} : (${wanted.join(' ')})`, phrases: wanted.map((s) => ({ text: `${AUTHORS_COLUMN} : ${s}`, negated })) };
}

/** The exclusions as alternatives (any of them matches), each with its phrases. */
function exclusionParts(t: KeywordText): { exprs: string[]; phrases: FtsPhrase[] } {
  const exprs: string[] = [];
  const phrases: FtsPhrase[] = [];
  for (const text of t.excluded.filter(hasLetterOrDigit)) {
    exprs.push(ftsString(text));
    phrases.push({ text: ftsString(text), negated: true });
  }
  for (const name of t.excludedAuthors) {
    const filter = authorFilter([name], true);
    if (filter === null) continue;
    exprs.push(filter.expr);
    phrases.push(...filter.phrases);
  }
  return { exprs, phrases };
}

/** Every way to choose `k` of `items`, in order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const pick = (from: number, chosen: T[]) => {
    if (chosen.length === k) return void out.push([...chosen]);
    for (let i = from; i <= items.length - (k - chosen.length); i++) pick(i + 1, [...chosen, items[i]!]);
  };
  if (k >= 0 && k <= items.length) pick(0, []);
  return out;
}

/**
 * The MATCH expression of the text's words, with the exclusions, or null
 * when it has no words to match (hasKeywords): the caller then selects by the
 * filters, and applies the exclusions with toFtsExclusion.
 */
export function toFtsQuery(t: KeywordText): FtsQuery | null {
  if (!hasKeywords(t)) return null;
  const words = t.terms.filter((term) => hasLetterOrDigit(term.text)).map((term) => (term.prefix ? `${ftsString(term.text)} *` : ftsString(term.text)));
  const anyOf = t.termMatch === 'any' && words.length > 1;
  const distinct = [...new Set(words)];
  const least = anyOf ? Math.min(Math.max(1, Math.floor(t.minTerms ?? 1)), distinct.length) : 1;
  let alternatives: string[] | null = null;
  let groups: string[][] = [];
  let positive: string[];
  let phrases: FtsPhrase[];
  if (anyOf && least > 1) {
    // At least `least` of the words: any of their combinations of that size, each word a phrase where it occurs (FTS5 numbers every occurrence).
    groups = combinations(distinct, least);
    positive = [groups.length === 1 ? groups[0]!.join(' AND ') : `(${groups.map((g) => `(${g.join(' AND ')})`).join(' OR ')})`];
    phrases = groups.flat().map((text) => ({ text, negated: false }));
  } else {
    alternatives = anyOf ? distinct : null;
    positive = alternatives === null ? [...words] : [`(${alternatives.join(' OR ')})`];
    phrases = (alternatives ?? words).map((text) => ({ text, negated: false }));
  }
  for (const phrase of t.phrases.filter(hasLetterOrDigit)) {
    positive.push(ftsString(phrase));
    phrases.push({ text: ftsString(phrase), negated: false });
  }
  const authors = authorFilter(t.authors, false);
  if (authors !== null) {
    positive.push(authors.expr);
    phrases.push(...authors.phrases);
  }
  const joined = positive.join(' AND ');
  const excluded = exclusionParts(t);
  return {
    match: excluded.exprs.length === 0 ? joined : `(${joined}) NOT (${excluded.exprs.join(' OR ')})`,
    phrases: [...phrases, ...excluded.phrases],
    usesOr: (alternatives?.length ?? 0) > 1 || groups.length > 1 || excluded.exprs.length > 1,
    alternatives: alternatives !== null && positive.length === 1 ? alternatives : null,
  };
}

/**
 * The exclusions alone as a MATCH expression (any of them matches), or null.
 * For a filter-only query: `rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)`.
 */
export function toFtsExclusion(t: KeywordText): string | null {
  const { exprs } = exclusionParts(t);
  return exprs.length === 0 ? null : exprs.join(' OR ');
}
