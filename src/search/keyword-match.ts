// Whether a paper matches a query's keyword expression, decided in TypeScript:
// the same rule as the MATCH expression fts-query.ts builds, as the keyword
// index (FTS5 `porter unicode61 remove_diacritics 2`) applies it. The search
// service asks it about papers the semantic index found, to tell a keyword
// match it has not read from the store (ranked past the candidates it read)
// from a paper that joins the results by meaning alone: the result count is
// the keyword matches plus those joins, and a sorted list must show each paper
// once. search-service.test.ts checks it against the store on the fixture.
//
// FTS5 rules mirrored here: a quoted string is a phrase, its words in a row in
// one column (title, abstract or authors; the author names are one run of
// words); every query token is Porter-stemmed, a prefix one too ("connecting"
// * matches "connected"); `authors : (...)` looks in the authors column only.
import type { Paper } from '../model.js';
import type { FtsMatchOptions } from './fts-query.js';
import { MIN_AUTO_PREFIX_CHARS } from './fts-query.js';
import { hasWordChar, type ParsedQuery } from './query-parser.js';
import { STOPWORDS } from './stopwords.js';
import { phraseStems, tokenize } from './text-match.js';

/** A paper's columns as stems, in order. */
interface Columns {
  title: string[];
  abstract: string[];
  authors: string[];
}

/** A phrase: its stems, the last one matched as a prefix when `prefix`. */
interface Phrase {
  stems: string[];
  prefix: boolean;
}

function phraseIn(column: readonly string[], p: Phrase): boolean {
  const n = p.stems.length;
  if (n === 0) return false;
  outer: for (let i = 0; i + n <= column.length; i++) {
    for (let j = 0; j < n; j++) {
      const token = column[i + j] as string;
      const want = p.stems[j] as string;
      if (p.prefix && j === n - 1 ? !token.startsWith(want) : token !== want) continue outer;
    }
    return true;
  }
  return false;
}

const anywhere = (c: Columns, p: Phrase) => phraseIn(c.title, p) || phraseIn(c.abstract, p) || phraseIn(c.authors, p);

function makePhrase(text: string, prefix: boolean, stemmed: boolean): Phrase {
  return { stems: stemmed ? phraseStems(text) : tokenize(text).map((t) => t.folded), prefix };
}

/** Lower-cased runs of letters and digits, as fts-query.ts splits a natural-language word. */
function wordParts(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function columnsOf(p: Paper): Columns {
  return { title: phraseStems(p.title), abstract: phraseStems(p.abstract), authors: phraseStems(p.authors.join(' ')) };
}

/** The prefix index's columns (migration 006 papers_prefix): title and authors, folded but not stemmed. */
function prefixColumnsOf(p: Paper): Columns {
  const words = (text: string) => tokenize(text).map((t) => t.folded);
  return { title: words(p.title), abstract: [], authors: words(p.authors.join(' ')) };
}

export interface KeywordMatchOptions extends FtsMatchOptions {
  /**
   * Match as the store's search-as-you-type index does (KeywordQuery.prefix):
   * title and authors only, words unstemmed (the MATCH expression carries the exclusions, so they too).
   */
  prefixIndex?: boolean;
}

/**
 * A predicate equal to "the paper matches toFtsMatch(q, opts)" (null, a
 * filter-only query: every paper not excluded). Filters (categories, dates,
 * code) are not part of it.
 */
export function keywordMatchPredicate(q: ParsedQuery, opts: KeywordMatchOptions = {}): (p: Paper) => boolean {
  const stemmed = opts.prefixIndex !== true;
  const phrase = (text: string, prefix = false) => makePhrase(text, prefix, stemmed);
  const words: Phrase[] = [];
  const last = q.terms.length - 1;
  q.terms.forEach((term, i) => {
    if (!hasWordChar(term.text)) return;
    const auto = opts.prefixLast === true && q.lastTermOpen && i === last && (term.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= MIN_AUTO_PREFIX_CHARS;
    if (term.prefix || auto) words.push(phrase(term.text, true));
    else if (opts.anyTerm !== true) words.push(phrase(term.text));
    else for (const part of wordParts(term.text)) if (!STOPWORDS.has(part)) words.push(phrase(part));
  });
  const anyOf = opts.anyTerm === true && words.length > 1;
  const required = anyOf ? [] : words;
  const alternatives = anyOf ? words : [];
  const phrases = q.phrases.filter(hasWordChar).map((t) => phrase(t));
  const authors = q.authors.filter(hasWordChar).map((t) => phrase(t));
  // The exclusions are part of the MATCH expression, so the index it runs on applies them.
  const excludedText = [...q.excluded, ...q.excludedPhrases].filter(hasWordChar).map((t) => phrase(t));
  const excludedAuthors = q.excludedAuthors.filter(hasWordChar).map((t) => phrase(t));
  const positive = required.length + alternatives.length + phrases.length + authors.length > 0;

  const excluding = excludedText.length + excludedAuthors.length > 0;

  return (paper) => {
    if (!positive && !excluding) return true;
    const c = stemmed ? columnsOf(paper) : prefixColumnsOf(paper);
    if (excludedText.some((x) => anywhere(c, x)) || excludedAuthors.some((x) => phraseIn(c.authors, x))) return false;
    if (!positive) return true;
    if (!required.every((w) => anywhere(c, w))) return false;
    if (alternatives.length > 0 && !alternatives.some((w) => anywhere(c, w))) return false;
    if (!phrases.every((x) => anywhere(c, x))) return false;
    return authors.every((a) => phraseIn(c.authors, a));
  };
}
