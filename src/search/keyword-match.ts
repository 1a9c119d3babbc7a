// Whether a paper matches a query's KeywordText, decided in TypeScript: the
// same rule as the store's keyword index applies (SQLite: the MATCH expression
// of store/sqlite/fts-query.ts, on FTS5 `porter unicode61 remove_diacritics 2`).
// The search service asks it about papers the semantic index found, to tell a
// keyword match it has not read from the store (ranked past the candidates it
// read) from a paper that joins the results by meaning alone: the result count is
// the keyword matches plus those joins, and a sorted list must show each paper
// once. search-service.test.ts checks it against the store on the fixture.
//
// FTS5 rules mirrored here: a quoted string is a phrase, its words in a row in
// one column (title, abstract or authors; the author names are one run of
// words); every query token is Porter-stemmed, a prefix one too ("connecting"
// * matches "connected"); `authors : (...)` looks in the authors column only.
import type { Paper } from '../model.js';
import type { KeywordText } from '../store/store.js';
import { hasWordChar } from './query-parser.js';
import { phraseStems, tokenize } from './text-match.js';
import { abstractWords } from './abstract-words.js';

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

/**
 * A paper's columns, each split (and stemmed) when first read: most papers
 * asked about match an any-word query in their title, and never need their
 * abstract stemmed (a semantic search asks about up to a thousand).
 */
function lazyColumns(p: Paper, words: (text: string) => string[], abstractWords: (p: Paper) => string[]): Columns {
  let title: string[] | undefined;
  let abstractStems: string[] | undefined;
  let authors: string[] | undefined;
  return {
    get title() {
      return (title ??= words(p.title));
    },
    get abstract() {
      return (abstractStems ??= abstractWords(p));
    },
    get authors() {
      return (authors ??= words(p.authors.join(' ')));
    },
  };
}

/** Stemmed abstracts are kept for the next searches (abstract-words.ts). */
const stemmedAbstract = (p: Paper) => abstractWords(p.abstract).stems;

const stemmedWords = (text: string) => phraseStems(text);
/** The prefix index's columns (migration 006 papers_prefix): title and authors, folded but not stemmed. */
const foldedWords = (text: string) => tokenize(text).map((t) => t.folded);
const noAbstract = (): string[] => [];

export interface KeywordMatchOptions {
  /**
   * Match as the store's search-as-you-type index does (KeywordQuery.prefix):
   * title and authors only, words unstemmed (the exclusions too).
   */
  prefixIndex?: boolean;
}

/** The phrases without repeats (the same words, the same prefix flag), as the index counts them. */
function distinctPhrases(phrases: Phrase[]): Phrase[] {
  const seen = new Set<string>();
  return phrases.filter((p) => {
    const key = `${p.prefix ? '*' : ''}${p.stems.join(' ')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether at least `least` of `items` pass `test` (tested until that is decided). */
function holdsAtLeast<T>(items: readonly T[], least: number, test: (item: T) => boolean): boolean {
  let held = 0;
  for (let i = 0; i < items.length; i++) {
    if (test(items[i]!) && ++held >= least) return true;
    if (held + (items.length - 1 - i) < least) return false;
  }
  return held >= least;
}

/**
 * A predicate equal to "the store's keyword index matches the paper for
 * `text`" (a text without keywords: every paper not excluded). Filters
 * (categories, dates, code) are not part of it.
 */
export function keywordMatchPredicate(text: KeywordText, opts: KeywordMatchOptions = {}): (p: Paper) => boolean {
  const stemmed = opts.prefixIndex !== true;
  const phrase = (t: string, prefix = false) => makePhrase(t, prefix, stemmed);
  const words = text.terms.filter((term) => hasWordChar(term.text)).map((term) => phrase(term.text, term.prefix));
  const anyOf = text.termMatch === 'any' && words.length > 1;
  const required = anyOf ? [] : words;
  const alternatives = anyOf ? distinctPhrases(words) : [];
  const least = Math.min(Math.max(1, Math.floor(text.minTerms ?? 1)), alternatives.length);
  const phrases = text.phrases.filter(hasWordChar).map((t) => phrase(t));
  const authors = text.authors.filter(hasWordChar).map((t) => phrase(t));
  const excludedText = text.excluded.filter(hasWordChar).map((t) => phrase(t));
  const excludedAuthors = text.excludedAuthors.filter(hasWordChar).map((t) => phrase(t));
  const positive = required.length + alternatives.length + phrases.length + authors.length > 0;

  const excluding = excludedText.length + excludedAuthors.length > 0;

  return (paper) => {
    if (!positive && !excluding) return true;
    const c = stemmed ? lazyColumns(paper, stemmedWords, stemmedAbstract) : lazyColumns(paper, foldedWords, noAbstract);
    if (excludedText.some((x) => anywhere(c, x)) || excludedAuthors.some((x) => phraseIn(c.authors, x))) return false;
    if (!positive) return true;
    if (!required.every((w) => anywhere(c, w))) return false;
    if (alternatives.length > 0 && !holdsAtLeast(alternatives, least, (w) => anywhere(c, w))) return false;
    if (!phrases.every((x) => anywhere(c, x))) return false;
    return authors.every((a) => phraseIn(c.authors, a));
  };
}
