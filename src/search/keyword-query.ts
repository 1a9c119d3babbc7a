// The words of a parsed search box query as the store's KeywordText: which
// words are required, which are alternatives (natural language), which end in
// a prefix. The store translates it into its own syntax (SQLite: FTS5 MATCH,
// store/sqlite/fts-query.ts). Categories and years are not part of it: the
// caller passes them as SearchFilters.
import type { KeywordTerm, KeywordText } from '../store/store.js';
import { hasWordChar, type ParsedQuery } from './query-parser.js';
import { STOPWORDS } from './stopwords.js';
import { MODEL_STOPWORDS } from './model/model-tokens.js';
import { phraseStems } from './text-match.js';

export interface KeywordTextOptions {
  /** Search-as-you-type: prefix-match the last word if the user may still be typing it (ParsedQuery.lastTermOpen). */
  prefixLast?: boolean;
  /**
   * Natural-language matching: plain words are alternatives (any may match,
   * BM25 ranks papers matching more of them higher) and stopwords are dropped;
   * phrases and authors stay required. On SciFact train this scores nDCG@10
   * 0.70 where requiring every word scores 0.06.
   */
  anyTerm?: boolean;
}

/** Queries with more plain words than this are matched as natural language (any word). */
export const ALL_TERMS_MAX_WORDS = 2;

/** Shorter automatic prefixes would scan most of the index and rarely help. */
export const MIN_AUTO_PREFIX_CHARS = 2;

/** The runs of letters and digits in a word, lower-cased: the words a joined word ("IL-6") is made of. */
function wordParts(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function countWordChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

const meaningful = (texts: string[]) => texts.filter(hasWordChar);

export function keywordText(q: ParsedQuery, opts: KeywordTextOptions = {}): KeywordText {
  const terms: KeywordTerm[] = [];
  const last = q.terms.length - 1;
  q.terms.forEach((term, i) => {
    if (!hasWordChar(term.text)) return;
    const auto = opts.prefixLast === true && q.lastTermOpen && i === last && countWordChars(term.text) >= MIN_AUTO_PREFIX_CHARS;
    if (term.prefix || auto) terms.push({ text: term.text, prefix: true });
    else if (opts.anyTerm !== true) terms.push({ text: term.text, prefix: false });
    // In natural language a joined word ("IL-6", "E2f-1,") counts as its parts, each an alternative like any other word.
    else for (const part of wordParts(term.text)) if (!STOPWORDS.has(part)) terms.push({ text: part, prefix: false });
  });
  return {
    terms,
    termMatch: opts.anyTerm === true ? 'any' : 'all',
    phrases: meaningful(q.phrases),
    authors: meaningful(q.authors),
    excluded: meaningful([...q.excluded, ...q.excludedPhrases]),
    excludedAuthors: meaningful(q.excludedAuthors),
  };
}

/** More combinations of words than this make the index query too long to be worth it. */
const MAX_WORD_COMBINATIONS = 70;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * A natural-language text made strict, then relaxed step by step, for lists
 * sorted by date or upvotes: all of its n distinct content words, then at
 * least n - 1 of them, and so on down to any one, while the combinations of
 * words stay few enough (a ten-word query stops at eight). Content words: the
 * query's words without the wider stopword list the learned model reads
 * text with ("about", "what", "method"), unless that leaves none; words with
 * one stem count once ("model models"). Empty when the text is not natural
 * language or has prefixes.
 */
export function mostWordsTexts(text: KeywordText): KeywordText[] {
  if (text.termMatch !== 'any' || text.terms.some((t) => t.prefix)) return [];
  const byStem = new Map<string, KeywordTerm>();
  for (const term of text.terms) {
    const key = phraseStems(term.text).join(' ');
    if (key !== '' && !byStem.has(key)) byStem.set(key, term);
  }
  const distinct = [...byStem.values()];
  const content = distinct.filter((t) => !MODEL_STOPWORDS.has(t.text.toLowerCase()));
  const terms = content.length > 0 ? content : distinct;
  const n = terms.length;
  const out: KeywordText[] = [];
  for (let k = n; k >= 1; k--) {
    if (binomial(n, k) > MAX_WORD_COMBINATIONS) break;
    out.push(k === n ? { ...text, terms, termMatch: 'all' } : { ...text, terms, minTerms: k });
  }
  return out;
}
