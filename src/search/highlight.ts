// Search-result highlighting: every character of the text is HTML-escaped, and
// words the query matched are wrapped in <mark>: a query word and its real
// inflections (same Porter stem, as the keyword index matches them, and a
// common base, so look-alikes such as "generalization" for "generation" stay
// unmarked; see sameWord), words a `word*` prefix begins, and quoted phrases
// where they occur whole. Stopwords are marked only inside a quoted phrase.
// The snippet is the window of the abstract that holds the most distinct
// matched words. `author:` names are marked in the author list (markAuthors).
import { MIN_AUTO_PREFIX_CHARS } from './keyword-query.js';
import type { ParsedQuery } from './query-parser.js';
import { STOPWORDS } from './stopwords.js';
import { matchesWord, phraseMatcher, phraseStems, sameWord, squashWhitespace, stemOf, tokenAt, tokenize, tokensStartingWith, wordMatcher } from './text-match.js';
import type { Token, WordMatcher } from './text-match.js';
import { abstractWords, wordToken, type AbstractWords } from './abstract-words.js';

export const SNIPPET_CHARS = 240;
/** Context kept before the first match of a snippet window. */
const LEAD_CHARS = 60;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

export interface HighlightOptions {
  /** Search-as-you-type: the last word may be unfinished, so mark words it begins. */
  prefixLast?: boolean;
}

/**
 * What to mark for a query: its words (not stopwords) and its quoted phrases;
 * never exclusions or field values. A half-typed last word is a prefix when
 * the keyword index treats it as one (at least MIN_AUTO_PREFIX_CHARS letters).
 */
export function highlightMatchers(q: ParsedQuery, opts: HighlightOptions = {}): WordMatcher[] {
  const out = new Map<string, WordMatcher>();
  const add = (m: WordMatcher | null, id: string) => {
    if (m && !out.has(id)) out.set(id, m);
  };
  const last = q.terms.length - 1;
  q.terms.forEach((term, i) => {
    const words = tokenize(term.text);
    const typing = opts.prefixLast === true && q.lastTermOpen && i === last && words.map((w) => w.folded).join('').length >= MIN_AUTO_PREFIX_CHARS;
    const open = term.prefix || typing;
    words.forEach((w, j) => {
      if (open && j === words.length - 1) add(wordMatcher(w.folded, true), `*${w.folded}`);
      else if (!STOPWORDS.has(w.folded)) add(wordMatcher(w.folded, false), w.folded);
    });
  });
  for (const phrase of q.phrases) {
    const m = phraseMatcher(phrase);
    if (m) add(m, `"${[m.word, ...m.rest.map((r) => r.word)].join(' ')}`);
  }
  return [...out.values()];
}

interface Hit extends Token {
  matcher: number;
}

/** Where a phrase that begins with `first` ends in `text`, or -1 when the words after it differ. */
function phraseEnd(text: string, first: Token, m: WordMatcher, words: Token[]): number {
  words.length = 0;
  words.push(first);
  let end = first.end;
  for (const next of m.rest) {
    const t = tokenAt(text, end);
    if (t === null || !matchesWord(next, t)) return -1;
    words.push(t);
    end = t.end;
  }
  return end;
}

/** The matches in `text`; `words`, when given, are text's words (text is a squashed abstract). */
function findHits(text: string, matchers: readonly WordMatcher[], words: AbstractWords | null = null): Hit[] {
  if (matchers.length === 0) return [];
  // Whole words and phrases by the stem of their (first) word, so each word of the text is stemmed and looked up once;
  // phrases first, longest first, so a phrase wins over its own words.
  const byStem = new Map<string, number[]>();
  const prefixes: number[] = [];
  const order = matchers.map((_, i) => i).sort((a, b) => (matchers[b] as WordMatcher).rest.length - (matchers[a] as WordMatcher).rest.length);
  for (const i of order) {
    const m = matchers[i] as WordMatcher;
    if (m.prefix) prefixes.push(i);
    else byStem.set(m.key, [...(byStem.get(m.key) ?? []), i]);
  }
  prefixes.sort((a, b) => a - b);
  // A word can only match a matcher that begins with the word's first letter (see stemOf).
  const firsts = [...new Set(matchers.map((m) => m.key[0] as string))].sort().join('');
  const hits: Hit[] = [];
  const phrase: Token[] = [];
  let covered = 0;
  // Only the words with a matcher's first letter are read (a stem begins with its word's first letter).
  let tokens: Token[];
  let stems: string[] | null = null;
  if (words === null) tokens = tokensStartingWith(text, firsts);
  else {
    tokens = [];
    stems = [];
    for (let k = 0; k < words.stems.length; k++) {
      if (!firsts.includes(words.stems[k]![0]!)) continue;
      tokens.push(wordToken(text, words, k));
      stems.push(words.stems[k]!);
    }
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.start < covered) continue;
    const stop = STOPWORDS.has(t.folded);
    let i = -1;
    const sameStem = byStem.size > 0 ? byStem.get(stems?.[k] ?? stemOf(t.folded)) : undefined;
    if (sameStem) {
      for (const c of sameStem) {
        const m = matchers[c] as WordMatcher;
        if ((stop && !m.phrase) || !sameWord(m.word, t.folded)) continue;
        if (m.rest.length === 0) {
          i = c;
          break;
        }
        const end = phraseEnd(text, t, m, phrase);
        if (end === -1) continue;
        for (const w of phrase) hits.push({ start: w.start, end: w.end, folded: w.folded, matcher: c });
        covered = end;
        break;
      }
      if (covered > t.start) continue;
    }
    if (!stop) for (const p of prefixes) if (p < i || i === -1) if (matchesWord(matchers[p] as WordMatcher, t)) i = p;
    if (i !== -1) hits.push({ start: t.start, end: t.end, folded: t.folded, matcher: i });
  }
  return hits;
}

function render(text: string, from: number, to: number, hits: readonly Hit[]): string {
  let out = '';
  let pos = from;
  for (const h of hits) {
    if (h.start < from || h.end > to) continue;
    out += `${escapeHtml(text.slice(pos, h.start))}<mark>${escapeHtml(text.slice(h.start, h.end))}</mark>`;
    pos = h.end;
  }
  return out + escapeHtml(text.slice(pos, to));
}

/** The whole text, escaped, with matched words marked; runs of whitespace become one space (kept at the ends). */
export function markText(text: string, matchers: readonly WordMatcher[]): string {
  const s = text.replace(/\s+/g, ' ');
  return render(s, 0, s.length, findHits(s, matchers));
}

/** End of a window of at most `max` characters from `start`, cut after a whole word. */
function windowEnd(s: string, start: number, max: number, keep: number): number {
  if (start + max >= s.length) return s.length;
  const space = s.lastIndexOf(' ', start + max);
  return space > keep ? space : start + max;
}

/** Start of the window around a match at `at`: some context before it, beginning on a word. */
function windowStart(s: string, at: number, max: number): number {
  let start = Math.max(0, Math.min(at - LEAD_CHARS, s.length - max));
  if (start > 0 && s[start - 1] !== ' ') {
    const space = s.indexOf(' ', start);
    start = space === -1 || space >= at ? at : space + 1;
  }
  return start;
}

/** A window of about `max` characters of the text around its best matches; "…" marks a cut. */
export function snippet(text: string, matchers: readonly WordMatcher[], max = SNIPPET_CHARS): string {
  const words = matchers.length > 0 ? abstractWords(text) : null;
  const s = squashWhitespace(text);
  const hits = findHits(s, matchers, words);
  if (s.length <= max) return render(s, 0, s.length, hits);
  let best = { start: 0, end: windowEnd(s, 0, max, 0), score: -1 };
  hits.forEach((h, k) => {
    const start = windowStart(s, h.start, max);
    const end = windowEnd(s, start, max, h.end);
    // Hits are in text order and do not overlap, so the ones inside the window are a run around this one.
    let from = k;
    while (from > 0 && (hits[from - 1] as Hit).start >= start) from--;
    let to = from;
    const distinct = new Set<number>();
    for (; to < hits.length && (hits[to] as Hit).end <= end; to++) distinct.add((hits[to] as Hit).matcher);
    const score = distinct.size * 1000 + (to - from);
    if (score > best.score) best = { start, end, score };
  });
  return `${best.start > 0 ? '…' : ''}${render(s, best.start, best.end, hits)}${best.end < s.length ? '…' : ''}`;
}

export interface Highlight {
  title: string;
  snippet: string;
}

export function highlightPaper(paper: { title: string; abstract: string }, matchers: readonly WordMatcher[]): Highlight {
  return { title: markText(squashWhitespace(paper.title), matchers), snippet: snippet(paper.abstract, matchers) };
}

/**
 * The authors an `author:` filter matched, by their index in the list, each as
 * HTML with the matched words marked ("Geoffrey E. <mark>Hinton</mark>"). A
 * name matches as the keyword index and paper-filter.ts match it: its words'
 * stems in a row within the whole author list, so a name that runs across two
 * authors marks both.
 */
export function markAuthors(authors: readonly string[], names: readonly string[]): Map<number, string> {
  const marked = new Map<number, string>();
  const wanted = names.map(phraseStems).filter((s) => s.length > 0);
  if (wanted.length === 0) return marked;
  const owner: number[] = [];
  const tokens: Token[] = [];
  authors.forEach((name, i) => {
    for (const t of tokenize(name)) {
      tokens.push(t);
      owner.push(i);
    }
  });
  const stems = tokens.map((t) => stemOf(t.folded));
  const hit = new Uint8Array(tokens.length);
  for (const name of wanted) {
    for (let i = 0; i + name.length <= stems.length; i++) {
      if (name.every((s, j) => stems[i + j] === s)) hit.fill(1, i, i + name.length);
    }
  }
  // Runs of marked words within one author become one mark.
  let k = 0;
  while (k < tokens.length) {
    if (hit[k] === 0) {
      k++;
      continue;
    }
    const author = owner[k] as number;
    const text = authors[author] as string;
    const hits: Hit[] = [];
    for (; k < tokens.length && owner[k] === author; k++) {
      if (hit[k] === 0) continue;
      const t = tokens[k] as Token;
      const prev = hits[hits.length - 1];
      if (prev !== undefined && hit[k - 1] === 1) prev.end = t.end;
      else hits.push({ ...t, matcher: 0 });
    }
    marked.set(author, render(text, 0, text.length, hits));
  }
  return marked;
}
