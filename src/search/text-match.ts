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

/** Each run of whitespace made one space, the ends trimmed. */
export const squashWhitespace = (s: string): string => s.replace(/\s+/g, ' ').trim();

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

/**
 * Whether two folded words are the same word for highlighting: an inflection
 * of one another, not merely words Porter reduces to the same stem. Porter
 * conflates derivations ("generalization", "general", "generic" and
 * "generation" are all "gener"; "university" and "universe" are "univers";
 * "organization" and "organ" are "organ"), which is right for recall and wrong
 * for a mark that says "this is your word". So, behind an equal stem, the words
 * must also share a base after removing only inflections (see inflectionBases).
 */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (stemOf(a) !== stemOf(b)) return false;
  const x = inflectionBases(a);
  return inflectionBases(b).some((base) => x.includes(base));
}

/**
 * Words whose ending only looks like an inflection of a shorter word with the
 * same Porter stem, and the base they have instead (found among the demo
 * papers' words): "news" is not the plural of "new", nor "meaning" "mean" +
 * -ing, nor "AIME" (a benchmark) "aim"; "direction" is not the action of
 * "direct", "projection" of "project", "critically" of "critic".
 */
const OWN_BASES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['news', 'meaning', 'evening', 'aime', 'timely', 'edition', 'formation', 'presentation', 'conception', 'direction', 'distinction', 'exception', 'production', 'projection'].map(
    (w): [string, string[]] => [w, [w]],
  ),
  ['critically', ['critical']],
]);
const LOWER_ASCII = /^[a-z]+$/;
const VOWEL = /[aeiouy]/;

const BASES_CACHE_MAX = 20_000;
const basesCache = new Map<string, readonly string[]>();

/**
 * The bases of a folded word: the word without inflectional endings, spelt so
 * that a base and its inflections agree. Removed: plural and third-person -s
 * (-es, -ies), -ed, -ing, adverbial -ly (-ily, -ically, -bly) and -ion after s
 * or t (-ation, -ization, -sion), the verb-noun pair of scientific prose
 * ("generate"/"generation", "detect"/"detection", "diffuse"/"diffusion").
 * Then a final e is dropped, a final y becomes i and a final double consonant
 * becomes single ("generate" -> generat, "studies" -> studi, "modelling" ->
 * model). Kept: every derivational suffix that changes the meaning (-al, -ic,
 * -ize without -ation, -ity, -er, -ness, -ive, -ment), so "general" (general),
 * "generalization" (generalizat, generaliz) and "generation" (generat, gener)
 * have no base in common. Ambiguous endings give two bases: "-ly" may be the
 * word's own ("supply" -> suppli, supp), "-ation" may hide an -ize or a noun
 * ("organization" -> organizat, organiz; "information" -> informat, inform).
 * No dictionary: the Porter stem, compared first, rejects most accidental
 * agreements ("early"/"ear" differ in stem), and OWN_BASES lists the look-alikes
 * that remain among the demo papers' words.
 */
export function inflectionBases(folded: string): readonly string[] {
  let bases = basesCache.get(folded);
  if (bases === undefined) {
    if (basesCache.size >= BASES_CACHE_MAX) basesCache.clear();
    bases = computeBases(folded);
    basesCache.set(folded, bases);
  }
  return bases;
}

function computeBases(w: string): readonly string[] {
  if (!LOWER_ASCII.test(w)) return [w];
  let s = w;
  // Plural and third person, as Porter's step 1a.
  if (s.endsWith('sses') || s.endsWith('ies')) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && s.length > 2) s = s.slice(0, -1);
  const own = OWN_BASES.get(w) ?? OWN_BASES.get(s);
  if (own !== undefined) return own;
  const out = [s];
  const cut = (n: number, add = '') => s.slice(0, s.length - n) + add;
  if (s.endsWith('ed') && !s.endsWith('eed') && VOWEL.test(cut(2))) out[0] = cut(2);
  else if (s.endsWith('ing') && VOWEL.test(cut(3))) out[0] = cut(3);
  else if (s.endsWith('ly') && s.length >= 5) {
    out.push(cut(2));
    if (s.endsWith('ically')) out.push(cut(4));
    else if (s.endsWith('bly')) out.push(cut(1, 'e'));
  } else if (s.length > 5 && (s.endsWith('tion') || s.endsWith('sion'))) {
    out[0] = cut(3);
    if (s.endsWith('ation')) out.push(cut(5));
  }
  return out.map(spell);
}

/** The spelling a base and its inflections share: no final e, final y as i, no final double consonant. */
function spell(s: string): string {
  if (s.length > 2 && s.endsWith('e')) s = s.slice(0, -1);
  else if (s.endsWith('y')) s = `${s.slice(0, -1)}i`;
  const n = s.length;
  // Not in a three-letter word: "adding" is "add", not "ad".
  if (n > 3 && s[n - 1] === s[n - 2] && !VOWEL.test(s[n - 1] as string)) s = s.slice(0, -1);
  return s;
}

const WORD_AFTER = /[\p{L}\p{N}]+/gu;

/** The first word of `text` at or after `from`, as tokenize finds it (for reading a phrase on from its first word). */
export function tokenAt(text: string, from: number): Token | null {
  WORD_AFTER.lastIndex = from;
  const m = WORD_AFTER.exec(text);
  return m === null ? null : { start: m.index, end: m.index + m[0].length, folded: fold(m[0]) };
}

/**
 * What to mark for a query: a prefix ("diffus*": `key` is the folded prefix),
 * a word and its inflections (`key` is its Porter stem, `word` the folded
 * word), or a quoted phrase (its first word as a word matcher, `rest` the
 * words that must follow it, in order).
 */
export interface WordMatcher {
  key: string;
  prefix: boolean;
  /** The folded query word (empty for a prefix). */
  word: string;
  /** Typed in quotes: marked where it occurs whole, stopwords included. */
  phrase: boolean;
  /** A phrase's words after the first; empty for a single word. */
  rest: readonly WordMatcher[];
}

export function wordMatcher(word: string, prefix: boolean): WordMatcher | null {
  const folded = fold(word);
  if (folded === '') return null;
  return prefix ? { key: folded, prefix, word: '', phrase: false, rest: [] } : { key: stemOf(folded), prefix, word: folded, phrase: false, rest: [] };
}

/** A matcher for a quoted phrase: its words in a row, stopwords included; null when it has no word. */
export function phraseMatcher(phrase: string): WordMatcher | null {
  const words = tokenize(phrase).map((t) => wordMatcher(t.folded, false) as WordMatcher);
  const [first, ...rest] = words;
  return first === undefined ? null : { ...first, phrase: true, rest };
}

/** Whether a single-word matcher matches a token (a prefix by its start, a word by stem and inflection). */
export function matchesWord(m: WordMatcher, token: Token): boolean {
  if (m.prefix) return token.folded.startsWith(m.key);
  return stemOf(token.folded) === m.key && sameWord(m.word, token.folded);
}
