// The search service the web layer and CLI call: corrects misspelled words,
// parses the query, runs the keyword ranker (the store's FTS index), the
// semantic ranker (a vector index, optional) or both fused, applies filters,
// sorts, pages and highlights. Without a semantic index every mode answers
// with keyword results and says so.
//
// What a search lists (issue 9, "honest result lists"):
// - every keyword match (the store counts them all: `total`);
// - in hybrid mode, also the papers the semantic index finds at or above a
//   similarity threshold that match no keyword ("joins"); in semantic mode
//   only those neighbours. The threshold and the fusion weight come from the
//   semantic index's calibration, else DEFAULT_MIN_SIMILARITY and
//   HYBRID_WEIGHTS;
// - sorted by newest or upvotes, the store orders every keyword match by that
//   field and pages through them (order + offset), and the joins are merged
//   into that order, so each page holds the next papers of one list.
// `total` is the keyword matches plus the joins, so a query that matches
// nothing says 0, and offers other queries (SearchResponse.suggestions).
import type { Paper } from '../model.js';
import { createLogger } from '../ops/logger.js';
import type { Logger } from '../ops/logger.js';
import { hasKeywords, type KeywordQuery, type RankedIds, type SearchFilters, type Store } from '../store/store.js';
import { hasTitleKey, titleKey } from '../store/title-key.js';
import { highlightMatchers, highlightPaper } from './highlight.js';
import type { Highlight } from './highlight.js';
import { keywordMatchPredicate } from './keyword-match.js';
import { ALL_TERMS_MAX_WORDS, keywordText, mostWordsTexts } from './keyword-query.js';
import { filterPredicate } from './paper-filter.js';
import { parseQuery, type ParsedQuery } from './query-parser.js';
import { droppable, queryParts } from './query-parts.js';
import { spellerFor, type QuerySpeller } from './query-spelling.js';
import { DEFAULT_RRF_K, reciprocalRankFusion, scoreFusion } from './rank-fusion.js';
import type { Ranking } from './rank-fusion.js';
import { similarTitleText } from './similar-query.js';
import { STOPWORDS } from './stopwords.js';
import type { WordMatcher } from './text-match.js';
import type { QuerySuggestion, SearchHit, SearchMode, SearchRequest, SearchResponse, SearchSort, SemanticIndex, SpellingCorrection } from './types.js';

/** Reciprocal-rank-fusion constant for hybrid search. */
export const HYBRID_RRF_K = DEFAULT_RRF_K;
/** Relative weights of the two rankers in hybrid search, when the semantic index has no calibration. */
// Tuned on BEIR SciFact train only (BENCHMARKS.md): z-score score fusion with
// these weights scored nDCG@10 0.713; equal-weight RRF scored 0.474, because
// USE-lite alone is far weaker (0.239) than BM25 (0.707) there.
export const HYBRID_WEIGHTS: Readonly<{ keyword: number; semantic: number }> = Object.freeze({ keyword: 0.75, semantic: 0.25 });
/**
 * The cosine similarity at or above which a paper joins a result list by
 * meaning alone, when the semantic index has no calibration (USE-lite).
 *
 * Measured with scripts/measure-semantic-threshold.mts on the dev half of
 * bench/meaning-queries.json only (50 paraphrase and 15 keyword queries), with
 * the demo's shipped USE-lite vectors, against 20 queries the demo has no
 * paper for (8 of keyboard gibberish such as "asdkjhqwezzz", 12 on subjects
 * far from it such as "sourdough bread baking recipe"):
 *
 *   threshold                        0.50   0.55   0.575  0.60   0.625  0.65
 *   no-match queries with any join   3/20   1/20   1/20   0/20   0/20   0/20
 *   paraphrase targets in the top 10
 *     kept (of 8)                     8      7      7      7      5      3
 *   keyword targets in the top 10
 *     kept (of 12)                   12     12     12     11     10      9
 *   median joins, paraphrase query  1000+   425    186     79     30      7
 *
 * The highest similarity of a no-match query was 0.599 ("football world cup
 * results"), the gibberish ones 0.28-0.46. 0.60 is the lowest threshold at
 * which none of them lists a paper, and it keeps 7 of the 8 paraphrase
 * targets and 11 of the 12 keyword targets that USE-lite ranks in its top 10
 * (below the top 10 USE-lite rarely finds the paper at all: 8 of 50
 * paraphrase targets are in its top 10, 36 in its top 1000). Neighbours just
 * above it share the query's subject loosely (video, code generation), which
 * is as close as USE-lite gets; a calibrated model sets its own threshold.
 */
export const DEFAULT_MIN_SIMILARITY = 0.6;
/**
 * A sorted list of a description takes fewer of its words until at least this
 * many papers hold them. On the demo, "a model that turns a single photo into
 * a 3d scene" by upvotes: 2 papers hold five of its six words, both only
 * because they say "single-turn"; 103 hold four ("single image to 3D scene").
 */
export const SORTED_LIST_MIN = 5;
/** How many candidates each ranker contributes to a relevance ranking (the rest of the keyword matches follow them). */
export const CANDIDATE_DEPTH = 200;
/** At most this many papers join by meaning alone (the vector index's largest k). */
export const MAX_SEMANTIC_JOINS = 1000;
export const SIMILAR_COUNT = 5;
/** A query that matches nothing is tried with each of its first this many parts left out. */
const MAX_DROPPED_PARTS = 8;
const MAX_FEWER_WORDS_SUGGESTIONS = 3;
/** Papers sharing one pasted title kept first over a hybrid fusion. */
const MAX_EXACT_TITLES = 5;

export const EMPTY_QUERY_HINT = 'Type a few words to search for, such as: diffusion transformers, or "gaussian splatting" cat:cs.CV.';
export const NO_SEMANTIC_WARNING = 'Search by meaning is not available on this server (no vector index), so these are keyword results.';
const SEMANTIC_FAILED_WARNING = 'Search by meaning failed just now, so these are keyword results.';
export const SEMANTIC_LOADING_WARNING = 'Search by meaning is still starting up on this server, so these are keyword results.';
const EMPTY_RANGE_WARNING = 'No paper can match: the date range ends before it starts.';

export type SearchedListener = (mode: SearchMode, seconds: number) => void;

export interface SearchServiceOptions {
  /** The vector index; null or absent means keyword search only. */
  semantic?: SemanticIndex | null;
  depth?: number;
  rrfK?: number;
  /** Hybrid fusion weights; default: the semantic index's calibration (keyword 1 - w, semantic w), else HYBRID_WEIGHTS. */
  weights?: { keyword: number; semantic: number };
  /** The join threshold; default: the semantic index's calibration, else DEFAULT_MIN_SIMILARITY. */
  minSimilarity?: number;
  /** Spelling correction; default: over the store's keyword index (SQLite), null for none. */
  spelling?: QuerySpeller | null;
  /** Where failures that do not fail a search are logged (semantic ranking, spelling); default: JSON on standard error. */
  log?: Logger;
}

/** A "more like this" search: papers similar to one paper, filtered, sorted and paged like a search. */
export interface SimilarRequest {
  paperId: string;
  sort?: SearchSort;
  filters?: SearchFilters;
  limit: number;
  offset?: number;
}

const EMPTY: Ranking = { ids: [], scores: [] };

function uniq(xs: string[]): string[] | undefined {
  const out = [...new Set(xs)];
  return out.length > 0 ? out : undefined;
}

const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a > b ? a : b);
const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a < b ? a : b);

/** The form's filters and the query's own (cat:, -cat:, year:) as one SearchFilters. */
export function mergeFilters(q: ParsedQuery, form: SearchFilters = {}): SearchFilters {
  const merged: SearchFilters = {
    categories: uniq([...(form.categories ?? []), ...q.categories]),
    excludeCategories: uniq([...(form.excludeCategories ?? []), ...q.excludedCategories]),
    publishedFrom: later(form.publishedFrom, q.yearFrom === null ? undefined : `${q.yearFrom}-01-01`),
    publishedTo: earlier(form.publishedTo, q.yearTo === null ? undefined : `${q.yearTo}-12-31`),
    hasCode: form.hasCode === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as SearchFilters;
}

function hasFilters(f: SearchFilters): boolean {
  return Object.keys(f).length > 0;
}

function hasQueryParts(q: ParsedQuery): boolean {
  return q.terms.length + q.phrases.length + q.authors.length + q.excluded.length + q.excludedPhrases.length + q.excludedAuthors.length > 0;
}

/** Whether the query constrains text for papers found by meaning: phrases, authors, exclusions. */
function hasTextConstraints(q: ParsedQuery): boolean {
  return q.phrases.length + q.authors.length + q.excludedAuthors.length + q.excluded.length + q.excludedPhrases.length > 0;
}

/** Nothing but plain words (no operators, fields or prefixes): it could be a pasted title. */
function couldBeTitle(q: ParsedQuery): boolean {
  return q.terms.length > 0 && !hasTextConstraints(q) && q.categories.length + q.excludedCategories.length === 0 && q.yearFrom === null && q.yearTo === null && !q.terms.some((t) => t.prefix);
}

/** Whether two titles are the same for KeywordQuery.exactTitle (the store's title key). */
export function sameTitle(a: string, b: string): boolean {
  return hasTitleKey(a) && titleKey(a) === titleKey(b);
}

/** A word that natural-language matching drops ("the", "with"): every run of letters in it is a stopword. */
function isStopword(word: string): boolean {
  const parts = word.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return parts.length > 0 && parts.every((p) => STOPWORDS.has(p));
}

const clampInt = (n: number | undefined, min: number, max: number, fallback: number) =>
  n === undefined || !Number.isFinite(n) ? fallback : Math.max(min, Math.min(Math.floor(n), max));

/** Papers of one request, each fetched from the store at most once. */
class PaperLookup {
  private readonly known = new Map<string, Paper>();
  constructor(private readonly store: Store) {}

  async get(ids: string[]): Promise<Paper[]> {
    const missing = ids.filter((id) => !this.known.has(id));
    if (missing.length > 0) for (const p of await this.store.getPapers(missing)) this.known.set(p.id, p);
    return ids.map((id) => this.known.get(id)).filter((p): p is Paper => p !== undefined);
  }
}

/**
 * A hit whose highlight is computed when first read (an enumerable property,
 * so the hit compares and serialises like a plain object): the search page
 * shows it, the JSON API and suggestions never do.
 */
function lazyHit(paper: Paper, score: number, matchers: readonly WordMatcher[]): SearchHit {
  let marked: Highlight | undefined;
  const get = () => (marked ??= highlightPaper(paper, matchers));
  return Object.defineProperty({ paper, score } as SearchHit, 'highlight', { get, enumerable: true });
}

function sortKey(sort: SearchSort): ((p: Paper) => number) | null {
  if (sort === 'upvotes') return (p) => p.upvotes;
  if (sort === 'newest') return (p) => (p.publishedAt === null ? -Infinity : Date.parse(p.publishedAt) || -Infinity);
  return null;
}

/** Newest publication date first, papers without one last (as SQLite orders NULLs in DESC). */
function byDate(a: Paper, b: Paper): number {
  const x = a.publishedAt;
  const y = b.publishedAt;
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x > y ? -1 : 1;
}

const byId = (a: Paper, b: Paper) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The store's order for KeywordQuery.order (ties: newest, then id), for merging papers into it. */
export function sortComparator(sort: 'newest' | 'upvotes'): (a: Paper, b: Paper) => number {
  if (sort === 'newest') return (a, b) => byDate(a, b) || byId(a, b);
  return (a, b) => b.upvotes - a.upvotes || byDate(a, b) || byId(a, b);
}

/** How a query is asked of the keyword index, and how to tell a keyword match in TypeScript. */
interface KeywordPlan {
  base: KeywordQuery;
  /** Search-as-you-type: the last word is also matched as a prefix in the title index. */
  typing: boolean;
  /** Whether a paper matches `base` (and, typing, the title index): keyword-match.ts. */
  matches: (p: Paper) => boolean;
  /** A sorted description's level (sortedPlan): at least `least` of its `of` content words. */
  held?: { least: number; of: number };
}

/**
 * Whether papers may join a hybrid list by meaning alone. A query matched by
 * every one of its words (one or two words, a phrase, or a sorted list of a
 * description whose words all occur somewhere) names what it wants: a paper
 * that never says it does not match, however near its vector. Measured on the
 * demo: "gaussian splatting" sorted by newest let in "InfoNCE Induces
 * Gaussian Distribution" (similarity 0.367) above view-synthesis papers
 * (0.29-0.32), so no similarity threshold tells them apart. Such a query
 * takes joins only when no paper has its words; a natural-language query
 * (any of its words) always may. `keywordTotal` null: not counted yet.
 */
function joinsWelcome(plan: KeywordPlan, keywordTotal: number | null): boolean {
  return (plan.base.text.termMatch === 'any' && (plan.base.text.minTerms ?? 1) <= 1) || keywordTotal === 0;
}

/** A ranking with the number of papers it was cut from. */
interface Counted extends Ranking {
  total: number;
}

interface Listed {
  papers: Paper[];
  scores: Map<string, number>;
  total: number;
}

export class SearchService {
  private readonly semantic: SemanticIndex | null;
  private readonly depth: number;
  private readonly rrfK: number;
  private readonly weights: { keyword: number; semantic: number } | null;
  private readonly minSimilarity: number | null;
  private readonly speller: QuerySpeller | null;
  private readonly log: Logger;

  constructor(
    private readonly store: Store,
    opts: SearchServiceOptions = {},
  ) {
    this.semantic = opts.semantic ?? null;
    this.depth = opts.depth ?? CANDIDATE_DEPTH;
    this.rrfK = opts.rrfK ?? HYBRID_RRF_K;
    this.weights = opts.weights ?? null;
    this.minSimilarity = opts.minSimilarity ?? null;
    this.log = opts.log ?? createLogger({ level: 'error', destination: process.stderr });
    this.speller = opts.spelling === undefined ? spellerFor(store, (err) => this.log.error({ err }, 'spelling index failed')) : opts.spelling;
  }

  /** Whether searches by meaning (and semantic similar papers) are available. */
  get hasSemantic(): boolean {
    return this.semantic !== null;
  }

  /** The hybrid fusion weights now: given ones, else the model's calibration, else HYBRID_WEIGHTS. */
  get fusionWeights(): { keyword: number; semantic: number } {
    if (this.weights !== null) return this.weights;
    const w = this.semantic?.calibration?.semanticWeight;
    return w === undefined || !Number.isFinite(w) ? HYBRID_WEIGHTS : { keyword: 1 - w, semantic: w };
  }

  /** The similarity at or above which a paper joins by meaning: given, else the model's calibration, else DEFAULT_MIN_SIMILARITY. */
  get joinThreshold(): number {
    if (this.minSimilarity !== null) return this.minSimilarity;
    const t = this.semantic?.calibration?.minSimilarity;
    return t === undefined || !Number.isFinite(t) ? DEFAULT_MIN_SIMILARITY : t;
  }

  private readonly searchedListeners = new Set<SearchedListener>();

  /** The embedder whose vectors semantic search uses now; null without semantic search. */
  get embedderId(): string | null {
    return this.semantic?.embedderId ?? null;
  }

  /** Hears every search and "more like this" with the mode that answered and how long it took; returns the unsubscribe. */
  onSearched(listener: SearchedListener): () => void {
    this.searchedListeners.add(listener);
    return () => this.searchedListeners.delete(listener);
  }

  private async timed<T extends { mode: SearchMode } | null>(work: Promise<T>, started: number): Promise<T> {
    const result = await work;
    if (result !== null && this.searchedListeners.size > 0) {
      const seconds = (performance.now() - started) / 1000;
      for (const listener of this.searchedListeners) listener(result.mode, seconds);
    }
    return result;
  }

  search(req: SearchRequest): Promise<SearchResponse> {
    return this.timed(this.correctedOrLiteral(req), performance.now());
  }

  /**
   * A correction is only worth showing when it finds papers: "Showing results
   * for unposed phrase" above no results is worse than none. Then the query is
   * answered as typed; when that finds nothing either, the corrected query's
   * suggestions are kept (its words are the index's, so leaving one out can
   * find papers; leaving out a word the index lacks only repeats the query),
   * so the literal search makes none of its own.
   */
  private async correctedOrLiteral(req: SearchRequest): Promise<SearchResponse> {
    const corrected = await this.runSearch(req);
    if (corrected.correction === null || corrected.total > 0) return corrected;
    const literal = await this.runSearch({ ...req, literal: true }, false);
    return literal.total > 0 ? literal : { ...literal, suggestions: corrected.suggestions };
  }

  private async runSearch(req: SearchRequest, suggest = true): Promise<SearchResponse> {
    const prefix = req.prefix === true;
    const correction = req.literal === true ? null : await this.correct(req.q, prefix);
    const q = correction?.query ?? req.q;
    const parsed = parseQuery(q);
    const warnings = [...parsed.errors];
    const filters = mergeFilters(parsed, req.filters);
    const requested: SearchMode = req.mode ?? 'hybrid';
    const empty = (mode: SearchMode): SearchResponse => ({ hits: [], total: 0, mode, parsed, warnings, correction: null, suggestions: [] });

    if (!hasQueryParts(parsed) && !hasFilters(filters)) {
      warnings.push(EMPTY_QUERY_HINT);
      return empty(requested);
    }
    if (filters.publishedFrom && filters.publishedTo && filters.publishedFrom > filters.publishedTo) {
      if (parsed.yearFrom === null || parsed.yearTo === null || parsed.yearFrom <= parsed.yearTo) warnings.push(EMPTY_RANGE_WARNING);
      return empty(requested);
    }

    let mode = requested;
    // Only filters, authors or exclusions: nothing to compare by meaning.
    if (parsed.semanticText.trim() === '') mode = 'keyword';
    if (mode !== 'keyword' && this.semantic === null) {
      warnings.push(NO_SEMANTIC_WARNING);
      mode = 'keyword';
    } else if (mode !== 'keyword' && this.semantic?.loading === true) {
      // A first model still loading finds nothing yet: say so rather than pass keyword results off as hybrid.
      warnings.push(SEMANTIC_LOADING_WARNING);
      mode = 'keyword';
    }

    const sort = req.sort ?? 'relevance';
    const size = clampInt(req.limit, 1, this.depth, 10);
    const from = clampInt(req.offset, 0, Number.MAX_SAFE_INTEGER, 0);
    const papers = new PaperLookup(this.store);
    const plan = await this.sortedPlan(parsed, filters, prefix, q, sort);

    let semantic: { all: Ranking; near: Ranking } | null = null;
    let keywordFirst: Promise<Counted> | null = null;
    if (mode !== 'keyword') {
      // The keyword relevance ranking does not depend on the neighbours: ask both at once.
      if (mode === 'hybrid' && sort === 'relevance') keywordFirst = this.keywordRanking(plan);
      keywordFirst?.catch(() => undefined);
      semantic = await this.semanticCandidates(parsed, filters, papers).catch((err: unknown) => {
        this.log.error({ err }, 'semantic search failed; answering by keywords');
        return null;
      });
      if (semantic === null) {
        warnings.push(SEMANTIC_FAILED_WARNING);
        mode = 'keyword';
      }
    }

    let listed: Listed;
    if (mode === 'semantic') listed = await this.semanticList(semantic!.near, papers, sort, from, size);
    else if (sort === 'relevance') listed = await this.relevanceList(plan, keywordFirst, mode === 'hybrid' ? semantic : null, papers, from, size);
    else listed = await this.sortedList(plan, sort, mode === 'hybrid' ? semantic!.near : EMPTY, papers, from, size);

    const matchers = highlightMatchers(parsed, { prefixLast: prefix });
    const hits = listed.papers.map((paper) => lazyHit(paper, listed.scores.get(paper.id) ?? 0, matchers));
    const suggestions = suggest && listed.total === 0 && !prefix ? await this.suggestions(req, q, mode) : [];
    const wordsHeld = mode !== 'semantic' && plan.held ? { wordsHeld: plan.held } : {};
    return { hits, total: listed.total, mode, parsed, warnings, correction, suggestions, ...wordsHeld };
  }

  /** The papers most like `paperId` (itself excluded): by vectors when indexed, else by shared title words. */
  async similar(paperId: string, k = SIMILAR_COUNT): Promise<Paper[]> {
    const papers = new PaperLookup(this.store);
    const found = await this.similarRanking(paperId, {}, papers, k);
    return found === null ? [] : papers.get(found.ranking.ids.slice(0, k));
  }

  /** "More like this": null when there is no such paper. */
  moreLikeThis(req: SimilarRequest): Promise<SearchResponse | null> {
    return this.timed(this.runMoreLikeThis(req), performance.now());
  }

  private async runMoreLikeThis(req: SimilarRequest): Promise<SearchResponse | null> {
    const papers = new PaperLookup(this.store);
    const found = await this.similarRanking(req.paperId, req.filters ?? {}, papers, this.depth);
    if (found === null) return null;
    const page = await this.neighbourPage(found.ranking, papers, req.sort ?? 'relevance', req.limit, req.offset);
    const warnings = found.mode === 'keyword' && this.semantic === null ? [NO_SEMANTIC_WARNING] : [];
    return { ...page, mode: found.mode, parsed: parseQuery(''), warnings, correction: null, suggestions: [] };
  }

  /**
   * The query with unknown words corrected, or null. While typing, the last
   * word may be unfinished, so it is left as it is.
   */
  private async correct(q: string, prefix: boolean): Promise<SpellingCorrection | null> {
    if (this.speller === null) return null;
    let head = q;
    let tail = '';
    if (prefix && !/\s$/u.test(q)) {
      const last = /\S+$/u.exec(q);
      if (last) {
        head = q.slice(0, last.index);
        tail = last[0];
      }
    }
    if (head.trim() === '') return null;
    try {
      const fixed = await this.speller.correct(head);
      return fixed === null ? null : { query: fixed.text + tail, original: q, words: fixed.corrections };
    } catch (err) {
      this.log.error({ err }, 'spelling correction failed');
      return null;
    }
  }

  /**
   * A natural-language query matches papers holding any of its words, which
   * relevance ranking orders by how many and how rare; sorted by date or
   * upvotes the same set would put a paper holding only "model" above the
   * ones about the whole query. So a sorted list holds the papers with every
   * content word; when fewer than SORTED_LIST_MIN papers have them all,
   * those with all but one, and so on down to any one (mostWordsTexts): the
   * papers holding the most of the query's words.
   */
  private async sortedPlan(q: ParsedQuery, filters: SearchFilters, prefix: boolean, text: string, sort: SearchSort): Promise<KeywordPlan> {
    const anyWord = this.keywordPlan(q, filters, prefix, text);
    if (sort === 'relevance' || q.terms.length <= ALL_TERMS_MAX_WORDS) return anyWord;
    const count = async (plan: KeywordPlan) => (await this.store.searchKeyword({ ...plan.base, limit: 0 })).total ?? 0;
    const levels = anyWord.typing ? [] : mostWordsTexts(anyWord.base.text);
    if (levels.length === 0) {
      // Typing, or stopwords only: every word as typed.
      const everyWord = this.keywordPlan(q, filters, prefix, text, true);
      return hasKeywords(everyWord.base.text) && (await count(everyWord)) > 0 ? everyWord : anyWord;
    }
    let loosest: KeywordPlan | null = null;
    for (const words of levels) {
      const held = { least: words.minTerms ?? words.terms.length, of: words.terms.length };
      const plan: KeywordPlan = { base: { ...anyWord.base, text: words }, typing: false, matches: keywordMatchPredicate(words), held };
      const n = await count(plan);
      if (n >= SORTED_LIST_MIN) return plan;
      if (n > 0) loosest = plan;
    }
    return loosest ?? anyWord;
  }

  private keywordPlan(q: ParsedQuery, filters: SearchFilters, prefix: boolean, text: string, everyWord = false): KeywordPlan {
    let words = keywordText(q, { prefixLast: prefix, anyTerm: !everyWord && q.terms.length > ALL_TERMS_MAX_WORDS });
    // Natural language of stopwords only ("what is this"): match the words themselves, never every paper.
    if (!hasKeywords(words) && words.termMatch === 'any') words = keywordText(q, { prefixLast: prefix });
    const matchesWords = hasKeywords(words);
    const exactTitle = matchesWords && couldBeTitle(q) ? text.trim() : null;
    const typing = prefix && matchesWords && q.lastTermOpen;
    const full = keywordMatchPredicate(words);
    const titles = typing ? keywordMatchPredicate(words, { prefixIndex: true }) : null;
    return {
      base: { text: words, filters, limit: this.depth, exactTitle },
      typing,
      matches: titles === null ? full : (p) => full(p) || titles(p),
    };
  }

  /** The best keyword matches by relevance (at most `depth`), and how many match in all. */
  private async keywordRanking(plan: KeywordPlan): Promise<Counted> {
    const full = await this.store.searchKeyword(plan.base);
    const fullTotal = full.total ?? full.ids.length;
    if (!plan.typing) return { ids: full.ids, scores: full.scores, total: fullTotal };
    // A half-typed word ("learnin") only matches in the unstemmed title/author index; fuse both.
    const titles = await this.store.searchKeyword({ ...plan.base, prefix: true, exactTitle: null });
    const fused = reciprocalRankFusion([{ ranking: full }, { ranking: titles }], { k: this.rrfK });
    const titlesTotal = titles.total ?? titles.ids.length;
    // Both lists whole: their union is the count; else the larger list is as close as it gets.
    const whole = fullTotal <= full.ids.length && titlesTotal <= titles.ids.length;
    return { ids: fused.ids, scores: fused.scores, total: whole ? fused.ids.length : Math.max(fullTotal, titlesTotal, fused.ids.length) };
  }

  /**
   * The semantic index's neighbours that pass the filters and the query's text
   * constraints (`all`, for fusion), and those of them at or above the join
   * threshold (`near`). When the first `depth` are all above it, up to
   * MAX_SEMANTIC_JOINS are read, so that the count is right.
   */
  private async semanticCandidates(q: ParsedQuery, filters: SearchFilters, papers: PaperLookup): Promise<{ all: Ranking; near: Ranking }> {
    const semantic = this.semantic as SemanticIndex;
    const min = this.joinThreshold;
    let found = await semantic.searchText(q.semanticText, this.depth);
    const last = found.scores[found.scores.length - 1];
    if (found.ids.length >= this.depth && last !== undefined && last >= min && this.depth < MAX_SEMANTIC_JOINS) {
      found = await semantic.searchText(q.semanticText, MAX_SEMANTIC_JOINS);
    }
    const text = hasTextConstraints(q) ? keywordMatchPredicate(keywordText({ ...q, terms: [] })) : null;
    const all = await this.filtered(found, filters, papers, text);
    const near: Ranking = { ids: [], scores: [] };
    all.ids.forEach((id, i) => {
      const s = all.scores[i] ?? -Infinity;
      if (s >= min) {
        near.ids.push(id);
        near.scores.push(s);
      }
    });
    // Fused with the keyword ranking: the first `depth` (as tuned), or every neighbour that joins when there are more.
    const fused = Math.max(this.depth, near.ids.length);
    return { all: { ids: all.ids.slice(0, fused), scores: all.scores.slice(0, fused) }, near };
  }

  /** Semantic mode: the neighbours at or above the threshold, best first or sorted. */
  private async semanticList(near: Ranking, papers: PaperLookup, sort: SearchSort, from: number, size: number): Promise<Listed> {
    const scores = new Map(near.ids.map((id, i) => [id, near.scores[i] ?? 0]));
    if (sort === 'relevance') return { papers: await papers.get(near.ids.slice(from, from + size)), scores, total: near.ids.length };
    const all = (await papers.get(near.ids)).sort(sortComparator(sort));
    return { papers: all.slice(from, from + size), scores, total: all.length };
  }

  /** Which of `ids` (found by meaning) are keyword matches: every one the ranking holds, the rest decided in TypeScript. */
  private async keywordMatches(ids: string[], plan: KeywordPlan, papers: PaperLookup, ranked: Counted | null): Promise<Set<string>> {
    const inRanking = new Set(ranked?.ids ?? []);
    const out = new Set(ids.filter((id) => inRanking.has(id)));
    // The ranking holds every match: the rest are not matches.
    if (ranked !== null && ranked.total <= ranked.ids.length) return out;
    const unknown = ids.filter((id) => !out.has(id));
    if (unknown.length > 0) for (const p of await papers.get(unknown)) if (plan.matches(p)) out.add(p.id);
    return out;
  }

  /**
   * By relevance: the best keyword matches fused with the neighbours (hybrid),
   * keeping keyword matches and neighbours at or above the threshold; a
   * paper whose title is the query goes first; then the rest of the keyword
   * matches in the store's order.
   */
  private async relevanceList(
    plan: KeywordPlan,
    started: Promise<Counted> | null,
    semantic: { all: Ranking; near: Ranking } | null,
    papers: PaperLookup,
    from: number,
    size: number,
  ): Promise<Listed> {
    const keyword = await (started ?? this.keywordRanking(plan));
    let ids = keyword.ids;
    let scores = new Map(keyword.ids.map((id, i) => [id, keyword.scores[i] ?? 0]));
    let listedMatches = new Set<string>();
    let joins = 0;
    if (semantic !== null && semantic.near.ids.length > 0) {
      const inKeyword = new Set(keyword.ids);
      const nearOnly = semantic.near.ids.filter((id) => !inKeyword.has(id));
      listedMatches = await this.keywordMatches(nearOnly, plan, papers, keyword);
      const joinable = joinsWelcome(plan, keyword.total);
      if (joinable) joins = nearOnly.length - listedMatches.size;
      const w = this.fusionWeights;
      const fused = scoreFusion(
        [
          { ranking: keyword, weight: w.keyword },
          { ranking: semantic.all, weight: w.semantic },
        ],
        { normalisation: 'zscore' },
      );
      const keep = new Set([...keyword.ids, ...(joinable ? semantic.near.ids : listedMatches)]);
      ids = fused.ids.filter((id) => keep.has(id));
      scores = new Map(fused.ids.map((id, i) => [id, fused.scores[i] ?? 0]));
    }
    const title = plan.base.exactTitle;
    if (title && semantic !== null && keyword.ids.length > 0) {
      // The store ranks the papers with the typed title first; fusion must not move them down.
      const lead = await papers.get(keyword.ids.slice(0, MAX_EXACT_TITLES));
      const exact: string[] = [];
      for (const p of lead) {
        if (!sameTitle(p.title, title)) break;
        exact.push(p.id);
      }
      if (exact.length > 0) ids = [...exact, ...ids.filter((id) => !exact.includes(id))];
    }
    const total = keyword.total + joins;
    const pageIds = ids.slice(from, from + size);
    if (pageIds.length < size && from + size > ids.length && keyword.total > keyword.ids.length && !plan.typing) {
      // Past the fused candidates: the next keyword matches in the store's relevance order, without those already listed.
      const skip = Math.max(0, from - ids.length);
      const want = from + size - ids.length;
      const listed = new Set(ids);
      if (listedMatches.size === 0) {
        // Every listed keyword match is among the first keyword.ids.length: the rest follow in order.
        const more = await this.store.searchKeyword({ ...plan.base, offset: keyword.ids.length + skip, limit: want - skip });
        pageIds.push(...more.ids.filter((id) => !listed.has(id)));
      } else {
        // Some matches further down are listed already (found by meaning): read from the first candidate on, without them.
        const more = await this.store.searchKeyword({ ...plan.base, offset: keyword.ids.length, limit: want + listedMatches.size });
        pageIds.push(...more.ids.filter((id) => !listed.has(id)).slice(skip, want));
      }
    }
    return { papers: await papers.get(pageIds), scores, total };
  }

  /**
   * Sorted by newest or upvotes: the store pages through every keyword match
   * in that order; the papers joining by meaning (`near`, not keyword
   * matches) are merged in. Merged position of a keyword match = its position
   * in the store's order + the joins before it, so the keyword matches this
   * page can hold start at most `joins` before `from`.
   */
  private async sortedList(plan: KeywordPlan, sort: 'newest' | 'upvotes', near: Ranking, papers: PaperLookup, from: number, size: number): Promise<Listed> {
    const compare = sortComparator(sort);
    if (near.ids.length > 0 && !joinsWelcome(plan, null)) {
      const { total } = await this.store.searchKeyword({ ...plan.base, exactTitle: null, limit: 0 });
      if (!joinsWelcome(plan, total ?? 0)) near = EMPTY;
    }
    const matching = await this.keywordMatches(near.ids, plan, papers, null);
    const joins = (await papers.get(near.ids.filter((id) => !matching.has(id)))).sort(compare);
    const start = Math.max(0, from - joins.length);
    const window = await this.store.searchKeyword({ ...plan.base, exactTitle: null, order: sort, offset: start, limit: size + (from - start) });
    const keywordTotal = window.total ?? start + window.ids.length;
    const keywordPapers = await papers.get(window.ids);
    const reachedEnd = start + keywordPapers.length >= keywordTotal;

    // Positions of the fetched keyword matches and of the joins whose position is known.
    const placed: { paper: Paper; at: number }[] = [];
    let j = 0;
    // Joins before the first fetched match sit before position `from` (or are placed exactly when start is 0).
    const first = keywordPapers[0];
    while (j < joins.length && (first === undefined ? reachedEnd : compare(joins[j]!, first) < 0)) {
      if (start === 0) placed.push({ paper: joins[j]!, at: j });
      j++;
    }
    keywordPapers.forEach((paper, i) => {
      const next = keywordPapers[i + 1];
      placed.push({ paper, at: start + i + j });
      // Joins between this match and the next (or after the last one, when it is the last match).
      while (j < joins.length && (next !== undefined ? compare(joins[j]!, next) < 0 : reachedEnd)) {
        placed.push({ paper: joins[j]!, at: start + i + 1 + j });
        j++;
      }
    });
    const page: Paper[] = [];
    const seen = new Set<string>();
    for (const { paper } of placed.filter((x) => x.at >= from && x.at < from + size).sort((a, b) => a.at - b.at)) {
      if (seen.has(paper.id)) continue;
      seen.add(paper.id);
      page.push(paper);
    }
    const scores = new Map(near.ids.map((id, i) => [id, near.scores[i] ?? 0]));
    return { papers: page, scores, total: keywordTotal + joins.length };
  }

  /**
   * For a query that matched nothing: the query spelled correctly (when it
   * was searched as typed and the correction matches keywords); in semantic
   * mode, when its words match papers, the same query by keywords and
   * meaning; else the query without one of its parts (query-parts.ts
   * droppable), for those that then match keywords (most matches first;
   * stopwords are left in, leaving them out changes nothing).
   */
  private async suggestions(req: SearchRequest, searched: string, mode: SearchMode): Promise<QuerySuggestion[]> {
    const out: QuerySuggestion[] = [];
    if (req.literal === true) {
      const fixed = await this.correct(req.q, false);
      if (fixed !== null && (await this.keywordCount(fixed.query, req.filters ?? {})) > 0) out.push({ kind: 'spelling', query: fixed.query });
    }
    if (mode === 'semantic') {
      const count = await this.keywordCount(searched, req.filters ?? {});
      if (count > 0) return [...out, { kind: 'mode', query: searched, mode: 'hybrid', count }];
    }
    const parts = queryParts(searched);
    const positive = parts.map((p, i) => [p, i] as const).filter(([p]) => droppable(p) && !(p.kind === 'word' && isStopword(p.text)));
    if (positive.length < 2) return out;
    const counted: { query: string; dropped: string; count: number }[] = [];
    for (const [part, i] of positive.slice(0, MAX_DROPPED_PARTS)) {
      const query = parts
        .filter((_, k) => k !== i)
        .map((p) => p.text)
        .join(' ');
      const count = await this.keywordCount(query, req.filters ?? {});
      if (count > 0) counted.push({ query, dropped: part.text, count });
    }
    counted.sort((a, b) => b.count - a.count);
    for (const c of counted.slice(0, MAX_FEWER_WORDS_SUGGESTIONS)) out.push({ kind: 'fewer-words', query: c.query, dropped: c.dropped });
    return out;
  }

  /** How many papers match `query`'s keywords under the form's filters. */
  private async keywordCount(query: string, form: SearchFilters): Promise<number> {
    const parsed = parseQuery(query);
    const plan = this.keywordPlan(parsed, mergeFilters(parsed, form), false, query);
    if (!hasKeywords(plan.base.text)) return 0;
    const found = await this.store.searchKeyword({ ...plan.base, exactTitle: null, limit: 1 });
    return found.total ?? found.ids.length;
  }

  /**
   * Keeps the ranked papers that pass the filters, in order. Without filters
   * nothing needs reading: vectors are deleted with their papers, and paging
   * reads only the papers it shows (reading all 200 candidates here was 9% of
   * a hybrid search's main-thread time).
   */
  private async filtered(found: RankedIds, filters: SearchFilters, papers: PaperLookup, text: ((p: Paper) => boolean) | null): Promise<Ranking> {
    const unfiltered = !hasFilters(filters) && text === null;
    const pass = filterPredicate(filters);
    const kept = unfiltered ? new Set(found.ids) : new Set((await papers.get(found.ids)).filter((p) => pass(p) && (text === null || text(p))).map((p) => p.id));
    const out: Ranking = { ids: [], scores: [] };
    found.ids.forEach((id, i) => {
      if (!kept.has(id)) return;
      kept.delete(id); // a duplicate counts once
      out.ids.push(id);
      out.scores.push(found.scores[i] ?? 0);
    });
    return out;
  }

  private async similarRanking(paperId: string, filters: SearchFilters, papers: PaperLookup, k: number): Promise<{ ranking: Ranking; mode: SearchMode } | null> {
    const [paper] = await papers.get([paperId]);
    if (!paper) return null;
    const notSelf = (r: RankedIds): Ranking => {
      const keep = r.ids.map((id, i) => [id, r.scores[i] ?? 0] as const).filter(([id]) => id !== paperId);
      return { ids: keep.map(([id]) => id), scores: keep.map(([, s]) => s) };
    };
    if (this.semantic !== null) {
      try {
        // Over-fetch when filtering, so that enough neighbours survive it.
        const depth = hasFilters(filters) ? this.depth : Math.min(k, this.depth);
        const near = await this.filtered(notSelf(await this.semantic.similarTo(paperId, depth)), filters, papers, null);
        if (near.ids.length > 0 || hasFilters(filters)) return { ranking: near, mode: 'semantic' };
      } catch (err) {
        this.log.error({ err, paperId }, 'semantic similar papers failed');
      }
    }
    const text = similarTitleText(paper.title);
    if (text === null) return { ranking: EMPTY, mode: 'keyword' };
    const found = await this.store.searchKeyword({ text, filters, limit: Math.min(k, this.depth) + 1 });
    return { ranking: notSelf(found), mode: 'keyword' };
  }

  /** "More like this": sorts the neighbours, cuts one page (no highlights: there is no query). */
  private async neighbourPage(ranking: Ranking, papers: PaperLookup, sort: SearchSort, limit: number, offset: number | undefined) {
    const size = clampInt(limit, 1, this.depth, 10);
    const from = clampInt(offset, 0, Number.MAX_SAFE_INTEGER, 0);
    const ids = ranking.ids.slice(0, this.depth);
    const score = new Map(ids.map((id, i) => [id, ranking.scores[i] ?? 0]));
    const key = sortKey(sort);
    let shown: Paper[];
    let total = ids.length;
    if (key === null) {
      shown = await papers.get(ids.slice(from, from + size));
    } else {
      const all = await papers.get(ids);
      total = all.length;
      const rank = new Map(ids.map((id, i) => [id, i]));
      all.sort((a, b) => key(b) - key(a) || (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
      shown = all.slice(from, from + size);
    }
    const hits = shown.map((paper) => lazyHit(paper, score.get(paper.id) ?? 0, []));
    return { hits, total };
  }
}
