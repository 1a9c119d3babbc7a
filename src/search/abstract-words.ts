// The words of an abstract, split and stemmed once for many searches. The same
// papers are shown, and asked about, by query after query: a hybrid search
// tests up to a thousand semantic neighbours against the query's words
// (keyword-match.ts) and marks the query's words in twenty snippets
// (highlight.ts). Both need every word's Porter stem; splitting and stemming
// an abstract of ~200 words costs about as much as the rest of its snippet.
//
// Kept compactly, by the abstract's text, for the most recently used
// ABSTRACT_WORDS_KEPT abstracts: word boundaries as typed arrays and stems as
// the strings stemOf shares between abstracts (no object per word), about
// 3 KB an abstract besides its text.
import { LruMap } from '../lru.js';
import { fold, squashWhitespace, stemOf, tokenize, type Token } from './text-match.js';

export interface AbstractWords {
  /** Where each word starts and ends in the abstract squashed (squashWhitespace). */
  starts: Uint32Array;
  ends: Uint32Array;
  /** Each word's stem (text-match.ts stemOf), in order. */
  stems: string[];
}

export const ABSTRACT_WORDS_KEPT = 8192;

const kept = new LruMap<string, AbstractWords>(ABSTRACT_WORDS_KEPT);

/** The words of `abstract` (their places in squashWhitespace(abstract)) and their stems. */
export function abstractWords(abstract: string): AbstractWords {
  let words = kept.get(abstract);
  if (words === undefined) {
    const tokens = tokenize(squashWhitespace(abstract));
    const starts = new Uint32Array(tokens.length);
    const ends = new Uint32Array(tokens.length);
    const stems = new Array<string>(tokens.length);
    tokens.forEach((t, k) => {
      starts[k] = t.start;
      ends[k] = t.end;
      stems[k] = stemOf(t.folded);
    });
    words = { starts, ends, stems };
    kept.set(abstract, words);
  }
  return words;
}

/** Word `k` of `words` as a token of `squashed` (the squashed abstract). */
export function wordToken(squashed: string, words: AbstractWords, k: number): Token {
  const start = words.starts[k]!;
  const end = words.ends[k]!;
  return { start, end, folded: fold(squashed.slice(start, end)) };
}
