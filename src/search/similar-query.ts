// Similar papers without a vector index: a keyword search for any of a title's
// significant words (BM25 ranks papers sharing more, and rarer, words first).
import { noKeywords, type KeywordText } from '../store/store.js';
import { keywordText } from './keyword-query.js';
import { parseQuery } from './query-parser.js';
import { stemOf, tokenize } from './text-match.js';

export const MAX_SIMILAR_WORDS = 12;

// Common English words and LaTeX command names that say nothing about a topic.
const STOPWORDS = new Set(
  (
    'a an and are as at be by can do does for from has have how in into is it its more no not of on or our over ' +
    'than that the their this to towards toward under up via vs what when where which while who why will with without ' +
    'we you your new using use based beyond all any both each one two three through between about ' +
    'mathcal mathbf mathrm mathbb frac text textbf emph left right'
  ).split(' '),
);

/** The significant words of a title: no stopwords, numbers or single letters; one per stem. */
export function significantWords(title: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tokenize(title)) {
    if (t.folded.length < 3 || /^\d+$/.test(t.folded) || STOPWORDS.has(t.folded)) continue;
    const stem = stemOf(t.folded);
    if (seen.has(stem)) continue;
    seen.add(stem);
    out.push(t.folded);
    if (out.length === MAX_SIMILAR_WORDS) break;
  }
  return out;
}

/** A keyword query for papers sharing any significant title word, or null when the title has none. */
export function similarTitleText(title: string): KeywordText | null {
  // Each word as the search box reads it, but none dropped as a stopword: the title's own list decided.
  const terms = significantWords(title).flatMap((w) => keywordText(parseQuery(w)).terms);
  return terms.length === 0 ? null : { ...noKeywords(), terms, termMatch: 'any' };
}
