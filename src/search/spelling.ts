// Spelling suggestions from the index's own words ("difusion" -> "diffusion").
// Pure: the vocabulary comes from the caller (store/sqlite-vocabulary.ts reads
// it from the keyword index); nothing here does I/O.
//
// SpellingIndex is a SymSpell-style deletion index (Wolf Garbe, 2012): two words
// within edit distance k share a string made by deleting at most k characters
// from each, so every word is filed under the deletions of its first 7
// characters and a query looks up its own. The deletions are kept as 32-bit
// hashes in two typed arrays (a hash table in CSR form), not as strings in a
// Map, which is what keeps 300k words small (see BUILD_MEASURED). A hash
// collision only adds a candidate, which the exact distance check rejects.
//
// The policy, measured on real typos (20,091 pairs of the common-misspellings
// list cspell ships, collected by codespell, whose correction is a title word
// of the demo) and on real words the index lacks (2,247 title words of half the
// demo papers absent from the other half's titles, abstracts and authors; a
// good policy leaves them alone):
// - Words under 4 letters are not corrected: at 3 letters 37% of corrections
//   were wrong and 71% of the unknown words were changed (acronyms, names).
// - Distance 1 up to 7 letters, 2 from 8 letters on. Distance 2 rescued few
//   typos of 5-7 letters (+1.5 to +6.5 points) and changed many more unknown
//   words (+22 to +65 points); from 8 letters it found 94-95% of the typos where
//   distance 1 found 78-83%.
// - A correction at distance 2 keeps the word's first and last letters: it
//   halves the unknown words changed (8 letters: 25% -> 10%; 9+: 7.0% -> 3.7%)
//   for 1-2 points of typos found.
// - Ranked by distance, then a shared first letter (typists rarely miss it;
//   slightly more typos fixed than by frequency alone), then by how many
//   papers hold the word.
// - Words with a digit are neither corrected nor suggested: "gpt4o", "llama3",
//   "3dgs" are names, one character away from other names.
import { fold } from './text-match.js';

/** Corrections are made for words of at least this many letters. */
export const MIN_CORRECTED_LENGTH = 4;
/** Words of this many letters or more may be corrected at edit distance 2, shorter ones at 1. */
export const DISTANCE_2_FROM_LENGTH = 8;

/** The largest edit distance at which a word of `length` letters is corrected (0: never). */
export function maxDistanceFor(length: number): number {
  if (length < MIN_CORRECTED_LENGTH) return 0;
  return length >= DISTANCE_2_FROM_LENGTH ? 2 : 1;
}

/** A known word: its surface form as the index folds it, and the number of papers holding it. */
export type VocabularyEntry = readonly [word: string, count: number];

export interface SpellingCandidate {
  word: string;
  distance: number;
  count: number;
}

const PREFIX_LENGTH = 7;
const MAX_INDEXED_DISTANCE = 2;
const MAX_DELETIONS = 1 + PREFIX_LENGTH + (PREFIX_LENGTH * (PREFIX_LENGTH - 1)) / 2;
const DIGIT = /\p{N}/u;
const LETTERS_ONLY = /^\p{L}+$/u;

/** FNV-1a over the UTF-16 code units of s[0, end), skipping positions `skipA` and `skipB`. */
function hashWithout(s: string, end: number, skipA: number, skipB: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) {
    if (i === skipA || i === skipB) continue;
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * The bucket key of a deletion string in a word of `length` characters. The
 * length is part of the key because many words share their first 7 letters
 * ("transformer", "transformers", "transformation", ...): with it a query
 * reads 5 short buckets per deletion instead of one long one.
 */
function bucketKey(hash: number, length: number): number {
  return Math.imul(hash ^ length, 0x9e3779b1) >>> 0;
}

/** Appends `hash` to out[0, n) unless it is there; returns the new n. */
function addOnce(out: Uint32Array, n: number, hash: number): number {
  for (let k = 0; k < n; k++) if (out[k] === hash) return n;
  out[n] = hash;
  return n + 1;
}

/**
 * The distinct hashes of the strings made by deleting up to `maxDeletes`
 * characters from the first PREFIX_LENGTH characters of `word`, into `out`;
 * returns how many.
 */
function deletionHashes(word: string, maxDeletes: number, out: Uint32Array): number {
  const end = Math.min(word.length, PREFIX_LENGTH);
  let n = addOnce(out, 0, hashWithout(word, end, -1, -1));
  if (maxDeletes < 1) return n;
  for (let i = 0; i < end; i++) {
    // Deleting either of two equal neighbours gives the same string.
    if (i > 0 && word.charCodeAt(i) === word.charCodeAt(i - 1)) continue;
    n = addOnce(out, n, hashWithout(word, end, i, -1));
    if (maxDeletes < 2) continue;
    for (let j = i + 1; j < end; j++) n = addOnce(out, n, hashWithout(word, end, i, j));
  }
  return n;
}

/** Word ids by key, in CSR form: bucket b's ids are postings[offsets[b], offsets[b + 1]). */
interface Buckets {
  mask: number;
  offsets: Uint32Array;
  postings: Uint32Array;
}

/**
 * Deletions indexed for a word of `length` letters: a correction at distance
 * 2 is made only for words of DISTANCE_2_FROM_LENGTH letters or more, so a
 * word more than 2 letters shorter is never one (a third fewer postings).
 */
function indexedDistance(length: number): number {
  return length >= DISTANCE_2_FROM_LENGTH - 2 ? 2 : 1;
}

function buildBuckets(words: readonly string[]): Buckets {
  // Pass 1: every word's keys in one flat array; word id's are keys[starts[id], starts[id + 1]).
  const scratch = new Uint32Array(MAX_DELETIONS);
  const starts = new Uint32Array(words.length + 1);
  let keys = new Uint32Array(Math.max(64, words.length * 26));
  let total = 0;
  for (let id = 0; id < words.length; id++) {
    const word = words[id] as string;
    const n = deletionHashes(word, indexedDistance(word.length), scratch);
    if (total + n > keys.length) {
      const grown = new Uint32Array(Math.ceil(keys.length * 1.5) + n);
      grown.set(keys);
      keys = grown;
    }
    for (let k = 0; k < n; k++) keys[total++] = bucketKey(scratch[k] as number, word.length);
    starts[id + 1] = total;
  }
  // Pass 2: counting sort into about one bucket per two postings.
  let size = 1;
  while (size * 2 < total) size *= 2;
  const mask = size - 1;
  const offsets = new Uint32Array(size + 1);
  for (let k = 0; k < total; k++) {
    const b = ((keys[k] as number) & mask) + 1;
    offsets[b] = (offsets[b] as number) + 1;
  }
  for (let b = 0; b < size; b++) offsets[b + 1] = (offsets[b + 1] as number) + (offsets[b] as number);
  const fill = offsets.slice(0, size);
  const postings = new Uint32Array(total);
  for (let id = 0; id < words.length; id++) {
    for (let k = starts[id] as number, end = starts[id + 1] as number; k < end; k++) {
      const b = (keys[k] as number) & mask;
      const at = fill[b] as number;
      postings[at] = id;
      fill[b] = at + 1;
    }
  }
  return { mask, offsets, postings };
}

// Rows of editDistance, reused: a query is compared with many candidates.
let rows = new Int32Array(3 * 64);

/**
 * Optimal string alignment distance (Damerau-Levenshtein where a transposed
 * pair is one edit and no substring is edited twice), or `max + 1` as soon as
 * it must exceed `max`. Compares UTF-16 code units. Only the diagonal band
 * |i - j| <= max is computed (Ukkonen), so a small `max` costs a few cells a row.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  if (a === b) return 0;
  const limit = Math.min(max, Math.max(m, n));
  const big = limit + 1;
  const w = n + 2;
  if (rows.length < 3 * w) rows = new Int32Array(3 * w);
  const r = rows;
  // Rows i - 2, i - 1 and i start at p2, p1 and c, rotating. A cell just past
  // a row's band is set to `big`, so the next row never reads a stale value.
  let p2 = 0;
  let p1 = w;
  let c = 2 * w;
  const hi0 = Math.min(n, limit);
  for (let j = 0; j <= hi0; j++) r[p1 + j] = j;
  r[p1 + hi0 + 1] = big;
  for (let i = 1; i <= m; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(n, i + limit);
    r[c + lo - 1] = lo === 1 ? i : big;
    let rowMin = lo === 1 ? i : big;
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = (r[p1 + j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (r[p1 + j] as number) + 1;
      const ins = (r[c + j - 1] as number) + 1;
      if (del < d) d = del;
      if (ins < d) d = ins;
      if (j > 1 && caPrev === cb && ca === b.charCodeAt(j - 2)) {
        const t = (r[p2 + j - 2] as number) + 1;
        if (t < d) d = t;
      }
      r[c + j] = d;
      if (d < rowMin) rowMin = d;
    }
    r[c + hi + 1] = big;
    if (rowMin > limit) return max + 1;
    const free = p2;
    p2 = p1;
    p1 = c;
    c = free;
  }
  const d = r[p1 + n] as number;
  return d > limit ? max + 1 : d;
}

/** Whether `candidate` may replace `word` (both folded) at `distance`. */
function acceptable(word: string, candidate: string, distance: number): boolean {
  if (distance === 0 || distance > maxDistanceFor(word.length)) return false;
  return distance === 1 || (candidate.charCodeAt(0) === word.charCodeAt(0) && candidate.charCodeAt(candidate.length - 1) === word.charCodeAt(word.length - 1));
}

/** Whether `a` ranks before `b` as a suggestion for `query`: closer, then same first letter, then in more papers. */
function better(query: string, a: SpellingCandidate, b: SpellingCandidate): boolean {
  if (a.distance !== b.distance) return a.distance < b.distance;
  const af = a.word.charCodeAt(0) === query.charCodeAt(0);
  const bf = b.word.charCodeAt(0) === query.charCodeAt(0);
  if (af !== bf) return af;
  if (a.count !== b.count) return a.count > b.count;
  return a.word < b.word;
}

const queryHashes = new Uint32Array(MAX_DELETIONS);

/**
 * A SpellingIndex as typed arrays and one string, to build it in a worker and
 * post it to the thread that serves queries (list the arrays' buffers as
 * transferables and nothing is copied).
 */
export interface SpellingIndexData {
  /** The words, joined by "\n". */
  words: string;
  counts: Uint32Array;
  offsets: Uint32Array;
  postings: Uint32Array;
}

export class SpellingIndex {
  /** seen[id] === stamp: word id already compared with the current query. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  private constructor(
    private readonly words: readonly string[],
    private readonly counts: Uint32Array,
    private readonly buckets: Buckets,
  ) {
    this.seen = new Uint32Array(words.length);
  }

  /**
   * Indexes `vocabulary`: words as the keyword index folds them (lower case,
   * no diacritics; folded here again), with the number of papers holding
   * each. Anything but letters ("2024", "gpt4") is left out; a word given
   * twice keeps its larger count.
   */
  static build(vocabulary: Iterable<VocabularyEntry>): SpellingIndex {
    const ids = new Map<string, number>();
    const words: string[] = [];
    const counts: number[] = [];
    for (const [raw, count] of vocabulary) {
      const word = fold(raw);
      if (!LETTERS_ONLY.test(word)) continue;
      const id = ids.get(word);
      if (id === undefined) {
        ids.set(word, words.length);
        words.push(word);
        counts.push(count);
      } else if (count > (counts[id] as number)) {
        counts[id] = count;
      }
    }
    return new SpellingIndex(words, Uint32Array.from(counts), buildBuckets(words));
  }

  static fromData(data: SpellingIndexData): SpellingIndex {
    const words = data.words === '' ? [] : data.words.split('\n');
    return new SpellingIndex(words, data.counts, { mask: data.offsets.length - 2, offsets: data.offsets, postings: data.postings });
  }

  toData(): SpellingIndexData {
    const { offsets, postings } = this.buckets;
    return { words: this.words.join('\n'), counts: this.counts, offsets, postings };
  }

  /** Number of words indexed. */
  get size(): number {
    return this.words.length;
  }

  /** Papers holding `word` (folded as the index folds), 0 when it is not in the vocabulary. */
  count(word: string): number {
    const query = fold(word);
    if (query === '') return 0;
    const { mask, offsets, postings } = this.buckets;
    const b = bucketKey(hashWithout(query, Math.min(query.length, PREFIX_LENGTH), -1, -1), query.length) & mask;
    for (let p = offsets[b] as number, end = offsets[b + 1] as number; p < end; p++) {
      const id = postings[p] as number;
      if (this.words[id] === query) return this.counts[id] as number;
    }
    return 0;
  }

  /** Calls `visit` once for each known word within `max` edits of `query` (folded). */
  private scan(query: string, max: number, visit: (id: number, distance: number) => void): void {
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.seen.fill(0);
    const { mask, offsets, postings } = this.buckets;
    const seen = this.seen;
    const stamp = this.stamp;
    const n = deletionHashes(query, max, queryHashes);
    for (let length = Math.max(1, query.length - max); length <= query.length + max; length++) {
      for (let k = 0; k < n; k++) {
        const b = bucketKey(queryHashes[k] as number, length) & mask;
        for (let p = offsets[b] as number, end = offsets[b + 1] as number; p < end; p++) {
          const id = postings[p] as number;
          if (seen[id] === stamp) continue;
          seen[id] = stamp;
          const word = this.words[id] as string;
          const distance = editDistance(query, word, max);
          // A short word can turn up at distance 2 through its distance-1 deletions; leave all of them out.
          if (distance <= max && distance <= indexedDistance(word.length)) visit(id, distance);
        }
      }
    }
  }

  /**
   * Known words within `maxDistance` edits of `word` (at most 2; the word
   * itself at 0), best first. At distance 2 only words of at least
   * DISTANCE_2_FROM_LENGTH - 2 letters are indexed.
   */
  candidates(word: string, maxDistance: number = maxDistanceFor(fold(word).length)): SpellingCandidate[] {
    const query = fold(word);
    const out: SpellingCandidate[] = [];
    if (query === '' || maxDistance < 0) return out;
    this.scan(query, Math.min(maxDistance, MAX_INDEXED_DISTANCE), (id, distance) => {
      out.push({ word: this.words[id] as string, distance, count: this.counts[id] as number });
    });
    return out.sort((a, b) => (better(query, a, b) ? -1 : better(query, b, a) ? 1 : 0));
  }

  /**
   * The best known word for an unknown `word`, or null when `word` is known,
   * has a digit, is shorter than MIN_CORRECTED_LENGTH, or no known word is
   * close enough (maxDistanceFor its length; at distance 2, with the same
   * first and last letters).
   */
  suggest(word: string): string | null {
    const query = fold(word);
    if (query.length < MIN_CORRECTED_LENGTH || DIGIT.test(query) || this.count(query) > 0) return null;
    let best: SpellingCandidate | null = null;
    this.scan(query, maxDistanceFor(query.length), (id, distance) => {
      const c = { word: this.words[id] as string, distance, count: this.counts[id] as number };
      if (acceptable(query, c.word, distance) && (best === null || better(query, c, best))) best = c;
    });
    return (best as SpellingCandidate | null)?.word ?? null;
  }
}

export interface QueryCorrection {
  /** The query as typed, with the corrected words replaced and everything else kept. */
  text: string;
  /** Each distinct replacement once, in query order. */
  corrections: { from: string; to: string }[];
}

/** Words looked up per query: as many as the query parser uses (MAX_QUERY_PARTS). */
const MAX_WORDS_CHECKED = 32;
const SPACE = /\s/u;
const QUOTES = '"\u201C\u201D\u201E\u201F';
// A query field such as author: or cat: (query-parser.ts FIELD_PREFIX).
const FIELD_PREFIX = /^[A-Za-z]+:/;
const WORD = /[\p{L}\p{N}]+/gu;
// Corrected only when written in lower case or capitalised: capitals further in
// ("LoRA", "GPTQ", "iPhone") mark a name or an acronym.
const PLAIN_CASE = /^\p{Lu}?[\p{Ll}\p{M}]+$/u;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

function isQuote(ch: string | undefined): boolean {
  return ch !== undefined && QUOTES.includes(ch);
}

/** Index of the quote closing the one at `open`, or the end of `s` (an unclosed quote runs to the end). */
function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) if (isQuote(s[i])) return i;
  return s.length;
}

/** `to` written the way `from` was: capitalised if `from` was. */
function inCaseOf(from: string, to: string): string {
  const first = from[0] as string;
  return first !== first.toLowerCase() ? to[0]!.toUpperCase() + to.slice(1) : to;
}

/**
 * Rewrites the search box text with the unknown words corrected: `isKnown`
 * says whether the keyword index holds a word (store/sqlite-vocabulary.ts),
 * `index` suggests a replacement. Corrected are plain words and the words of
 * quoted phrases, when unknown, in lower case or capitalised, and with a
 * suggestion. Kept exactly as typed: field:value parts (author:, cat:, year:,
 * any other field), -exclusions, prefixes (word*), quotes and spacing,
 * numbers and words with digits, and names or acronyms in capitals.
 * Null when nothing changes. The parts are found as parseQuery finds them.
 */
export function correctQuery(rawQuery: string, isKnown: (word: string) => boolean, index: Pick<SpellingIndex, 'suggest'>): QueryCorrection | null {
  const s = rawQuery;
  const edits: { start: number; end: number; to: string }[] = [];
  const corrections: { from: string; to: string }[] = [];
  let checked = 0;

  const correctWords = (from: number, to: number): void => {
    for (const m of s.slice(from, to).matchAll(WORD)) {
      const word = m[0];
      if (word.length < MIN_CORRECTED_LENGTH || DIGIT.test(word) || !PLAIN_CASE.test(word)) continue;
      if (checked++ >= MAX_WORDS_CHECKED || isKnown(word)) continue;
      const suggestion = index.suggest(word);
      if (suggestion === null) continue;
      const replacement = inCaseOf(word, suggestion);
      edits.push({ start: from + m.index, end: from + m.index + word.length, to: replacement });
      if (!corrections.some((c) => c.from === word && c.to === replacement)) corrections.push({ from: word, to: replacement });
    }
  };

  let i = 0;
  while (i < s.length) {
    if (isSpace(s[i])) {
      i++;
      continue;
    }
    // As parseQuery: "-2" is a number, "-word" and '-"a b"' are exclusions.
    const negated = s[i] === '-' && i + 1 < s.length && !isSpace(s[i + 1]) && !/\d/.test(s[i + 1] as string);
    if (negated) i++;
    if (isQuote(s[i])) {
      const close = closingQuote(s, i);
      if (!negated) correctWords(i + 1, close);
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !isSpace(s[j]) && !isQuote(s[j])) j++;
    const part = s.slice(i, j);
    if (FIELD_PREFIX.test(part)) {
      // field:"quoted value" runs to its closing quote.
      if (FIELD_PREFIX.exec(part)?.[0].length === part.length && isQuote(s[j])) j = closingQuote(s, j) + 1;
    } else if (!negated && !part.endsWith('*')) {
      correctWords(i, j);
    }
    i = j;
  }
  if (edits.length === 0) return null;
  let text = '';
  let at = 0;
  for (const e of edits) {
    text += s.slice(at, e.start) + e.to;
    at = e.end;
  }
  return { text: text + s.slice(at), corrections };
}
