// Word matching in TypeScript that behaves like the keyword index (FTS5
// `porter unicode61 remove_diacritics 2`): words are runs of letters and
// digits, compared without case or diacritics, after Porter stemming. Used to
// highlight matches and to apply text constraints (author:, -word) to results
// that did not come from the keyword index.
import { porterStem } from './porter-stem.js';

export interface Token {
  /** The word as written, and where. */
  start: number;
  end: number;
  /** Lower case, diacritics removed. */
  folded: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

// Printable ASCII has no diacritics to remove.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Lower case without diacritics: "Müller" -> "muller". */
export function fold(text: string): string {
  if (!NOT_PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const ASCII_WORD = /[A-Za-z0-9]+/g;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  if (!NOT_PRINTABLE_ASCII.test(text)) {
    // Most abstracts: the same words as the Unicode pattern finds, without Unicode tables or normalisation.
    for (const m of text.matchAll(ASCII_WORD)) out.push({ start: m.index, end: m.index + m[0].length, folded: m[0].toLowerCase() });
    return out;
  }
  for (const m of text.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
  return out;
}

// Per set of first letters: the ASCII words that begin with one of them.
const STARTS_CACHE_MAX = 1000;
const startPatterns = new Map<string, RegExp | null>();

function wordsStartingWith(firsts: string): RegExp | null {
  let re = startPatterns.get(firsts);
  if (re === undefined) {
    const ascii = [...firsts].filter((c) => /[a-z0-9]/.test(c)).join('');
    re = ascii === '' ? null : new RegExp(`(?<![A-Za-z0-9])[${ascii}${ascii.toUpperCase()}][A-Za-z0-9]*`, 'g');
    if (startPatterns.size >= STARTS_CACHE_MAX) startPatterns.clear();
    startPatterns.set(firsts, re);
  }
  return re;
}

/**
 * The tokens of `text` whose folded form begins with one of the characters
 * of `firsts`, as `tokenize(text).filter(...)` finds them. Most words of an
 * abstract cannot match a query, and skipping them before any string is made
 * halves what highlighting costs (the regular expression finds the candidates
 * twice as fast as a loop over the characters).
 */
export function tokensStartingWith(text: string, firsts: string): Token[] {
  if (firsts === '') return [];
  if (NOT_PRINTABLE_ASCII.test(text)) return tokenize(text).filter((t) => firsts.includes(t.folded[0] as string));
  const re = wordsStartingWith(firsts);
  const out: Token[] = [];
  if (re === null) return out;
  for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, folded: m[0].toLowerCase() });
  return out;
}

// Abstracts share most of their words, so stems are remembered (bounded: cleared when full).
const STEM_CACHE_MAX = 50_000;
const stems = new Map<string, string>();

/**
 * The index key of a folded word: its Porter stem. It begins with the word's
 * first character (Porter only rewrites endings, behind a stem of at least
 * one letter, or "ies"/"sses" as a whole), which tokensStartingWith's callers
 * rely on; text-match.test.ts checks it.
 */
export function stemOf(folded: string): string {
  let stem = stems.get(folded);
  if (stem === undefined) {
    if (stems.size >= STEM_CACHE_MAX) stems.clear();
    stem = porterStem(folded);
    stems.set(folded, stem);
  }
  return stem;
}

/** Stems of a phrase's words, in order. */
export function phraseStems(text: string): string[] {
  return tokenize(text).map((t) => stemOf(t.folded));
}

/** Whether `needle` occurs as consecutive words in `haystack` (both stem lists). */
export function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** A query word to look for: a prefix ("diffus*") or a whole word compared by stem. */
export interface WordMatcher {
  key: string;
  prefix: boolean;
}

export function wordMatcher(word: string, prefix: boolean): WordMatcher | null {
  const folded = fold(word);
  if (folded === '') return null;
  return { key: prefix ? folded : stemOf(folded), prefix };
}

export function matchesWord(m: WordMatcher, token: Token): boolean {
  return m.prefix ? token.folded.startsWith(m.key) : stemOf(token.folded) === m.key;
}
