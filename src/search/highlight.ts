// Search-result highlighting: every character of the text is HTML-escaped, and
// words the query matched (by Porter stem, as the keyword index matches them,
// or by prefix for `word*`) are wrapped in <mark>. The snippet is the window of
// the abstract that holds the most distinct matched words.
import type { ParsedQuery } from './query-parser.js';
import { matchesWord, stemOf, tokenize, tokensStartingWith, wordMatcher } from './text-match.js';
import type { Token, WordMatcher } from './text-match.js';

export const SNIPPET_CHARS = 240;
/** Context kept before the first match of a snippet window. */
const LEAD_CHARS = 60;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface HighlightOptions {
  /** Search-as-you-type: the last word may be unfinished, so mark words it begins. */
  prefixLast?: boolean;
}

/** The words to mark for a query: its words and the words of its phrases; never exclusions or field values. */
export function highlightMatchers(q: ParsedQuery, opts: HighlightOptions = {}): WordMatcher[] {
  const out = new Map<string, WordMatcher>();
  const add = (word: string, prefix: boolean) => {
    const m = wordMatcher(word, prefix);
    if (m) out.set(`${m.prefix ? '*' : ''}${m.key}`, m);
  };
  const last = q.terms.length - 1;
  q.terms.forEach((term, i) => {
    const words = tokenize(term.text);
    const open = term.prefix || (opts.prefixLast === true && q.lastTermOpen && i === last);
    words.forEach((w, j) => add(w.folded, open && j === words.length - 1));
  });
  for (const phrase of q.phrases) for (const w of tokenize(phrase)) add(w.folded, false);
  return [...out.values()];
}

interface Hit extends Token {
  matcher: number;
}

function findHits(text: string, matchers: readonly WordMatcher[]): Hit[] {
  if (matchers.length === 0) return [];
  // Whole-word matchers by stem, so each word of the text is stemmed and looked up once.
  const byStem = new Map<string, number>();
  const prefixes: number[] = [];
  matchers.forEach((m, i) => {
    if (m.prefix) prefixes.push(i);
    else if (!byStem.has(m.key)) byStem.set(m.key, i);
  });
  // A word can only match a matcher that begins with the word's first letter (see stemOf).
  const firsts = [...new Set(matchers.map((m) => m.key[0] as string))].sort().join('');
  const hits: Hit[] = [];
  for (const t of tokensStartingWith(text, firsts)) {
    let i = byStem.size > 0 ? (byStem.get(stemOf(t.folded)) ?? -1) : -1;
    for (const p of prefixes) if (p < i || i === -1) if (matchesWord(matchers[p]!, t)) i = p;
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
  const s = squash(text);
  const hits = findHits(s, matchers);
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
  return { title: markText(squash(paper.title), matchers), snippet: snippet(paper.abstract, matchers) };
}
