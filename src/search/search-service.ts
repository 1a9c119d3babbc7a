// The search service the web layer and CLI call: parses the query, runs the
// keyword ranker (the store's FTS index), the semantic ranker (a vector index,
// optional) or both fused, applies filters, sorts, pages and highlights.
// Without a semantic index every mode answers with keyword results and says so.
import type { Paper } from '../model.js';
import type { RankedIds, SearchFilters, Store } from '../store/store.js';
import { ALL_TERMS_MAX_WORDS, toFtsExclusion, toFtsMatch } from './fts-query.js';
import { highlightMatchers, highlightPaper } from './highlight.js';
import type { Highlight } from './highlight.js';
import { filterPredicate, hasTextConstraints, textPredicate } from './paper-filter.js';
import { parseQuery, type ParsedQuery } from './query-parser.js';
import { DEFAULT_RRF_K, reciprocalRankFusion, scoreFusion } from './rank-fusion.js';
import type { Ranking } from './rank-fusion.js';
import { similarTitleMatch } from './similar-query.js';
import type { WordMatcher } from './text-match.js';
import type { SearchHit, SearchMode, SearchRequest, SearchResponse, SearchSort, SemanticIndex } from './types.js';

/** Reciprocal-rank-fusion constant for hybrid search. */
export const HYBRID_RRF_K = DEFAULT_RRF_K;
/** Relative weights of the two rankers in hybrid search. */
// Tuned on BEIR SciFact train only (BENCHMARKS.md): z-score score fusion with
// these weights scored nDCG@10 0.713; equal-weight RRF scored 0.474, because
// USE-lite alone is far weaker (0.239) than BM25 (0.707) there.
export const HYBRID_WEIGHTS: Readonly<{ keyword: number; semantic: number }> = Object.freeze({ keyword: 0.75, semantic: 0.25 });
/** How many candidates each ranker contributes; sorting and paging happen within them. */
export const CANDIDATE_DEPTH = 200;
export const SIMILAR_COUNT = 5;

export const EMPTY_QUERY_HINT = 'Type a few words to search for, such as: diffusion transformers, or "gaussian splatting" cat:cs.CV.';
export const NO_SEMANTIC_WARNING = 'Search by meaning is not available on this server (no vector index), so these are keyword results.';
const SEMANTIC_FAILED_WARNING = 'Search by meaning failed just now, so these are keyword results.';
const EMPTY_RANGE_WARNING = 'No paper can match: the date range ends before it starts.';

export interface SearchServiceOptions {
  /** The vector index; null or absent means keyword search only. */
  semantic?: SemanticIndex | null;
  depth?: number;
  rrfK?: number;
  weights?: { keyword: number; semantic: number };
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

export class SearchService {
  private readonly semantic: SemanticIndex | null;
  private readonly depth: number;
  private readonly rrfK: number;
  private readonly weights: { keyword: number; semantic: number };

  constructor(
    private readonly store: Store,
    opts: SearchServiceOptions = {},
  ) {
    this.semantic = opts.semantic ?? null;
    this.depth = opts.depth ?? CANDIDATE_DEPTH;
    this.rrfK = opts.rrfK ?? HYBRID_RRF_K;
    this.weights = opts.weights ?? HYBRID_WEIGHTS;
  }

  /** Whether searches by meaning (and semantic similar papers) are available. */
  get hasSemantic(): boolean {
    return this.semantic !== null;
  }

  async search(req: SearchRequest): Promise<SearchResponse> {
    const parsed = parseQuery(req.q);
    const warnings = [...parsed.errors];
    const filters = mergeFilters(parsed, req.filters);
    const requested: SearchMode = req.mode ?? 'hybrid';
    const empty = (mode: SearchMode): SearchResponse => ({ hits: [], total: 0, mode, parsed, warnings });

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
    }

    const papers = new PaperLookup(this.store);
    const prefix = req.prefix === true;
    let ranking: Ranking;
    if (mode === 'keyword') {
      ranking = await this.keywordRanking(parsed, filters, prefix);
    } else {
      const [keyword, semantic] = await Promise.all([
        mode === 'hybrid' ? this.keywordRanking(parsed, filters, prefix) : EMPTY,
        this.semanticRanking(parsed, filters, papers).catch((err: unknown) => {
          console.error('[paperboy] semantic search failed:', err);
          return null;
        }),
      ]);
      if (semantic === null) {
        warnings.push(SEMANTIC_FAILED_WARNING);
        ranking = mode === 'hybrid' ? keyword : await this.keywordRanking(parsed, filters, prefix);
        mode = 'keyword';
      } else if (mode === 'semantic') {
        ranking = semantic;
      } else {
        ranking = scoreFusion(
          [
            { ranking: keyword, weight: this.weights.keyword },
            { ranking: semantic, weight: this.weights.semantic },
          ],
          { normalisation: 'zscore', limit: this.depth },
        );
      }
    }
    const matchers = highlightMatchers(parsed, { prefixLast: prefix });
    const page = await this.page(ranking, papers, req.sort ?? 'relevance', req.limit, req.offset, matchers);
    return { ...page, mode, parsed, warnings };
  }

  /** The papers most like `paperId` (itself excluded): by vectors when indexed, else by shared title words. */
  async similar(paperId: string, k = SIMILAR_COUNT): Promise<Paper[]> {
    const papers = new PaperLookup(this.store);
    const found = await this.similarRanking(paperId, {}, papers, k);
    return found === null ? [] : papers.get(found.ranking.ids.slice(0, k));
  }

  /** "More like this": null when there is no such paper. */
  async moreLikeThis(req: SimilarRequest): Promise<SearchResponse | null> {
    const papers = new PaperLookup(this.store);
    const found = await this.similarRanking(req.paperId, req.filters ?? {}, papers, this.depth);
    if (found === null) return null;
    const page = await this.page(found.ranking, papers, req.sort ?? 'relevance', req.limit, req.offset, []);
    const warnings = found.mode === 'keyword' && this.semantic === null ? [NO_SEMANTIC_WARNING] : [];
    return { ...page, mode: found.mode, parsed: parseQuery(''), warnings };
  }

  private async keywordRanking(q: ParsedQuery, filters: SearchFilters, prefix: boolean): Promise<Ranking> {
    const anyTerm = q.terms.length > ALL_TERMS_MAX_WORDS;
    const match = toFtsMatch(q, { prefixLast: prefix, anyTerm });
    const exclude = match === null ? toFtsExclusion(q) : null;
    const base = { match, exclude, filters, limit: this.depth };
    const full = await this.store.searchKeyword(base);
    if (!prefix || match === null || !q.lastTermOpen) return full;
    // A half-typed word ("learnin") only matches in the unstemmed title/author index; fuse both.
    const titles = await this.store.searchKeyword({ ...base, prefix: true });
    return reciprocalRankFusion([{ ranking: full }, { ranking: titles }], { k: this.rrfK, limit: this.depth });
  }

  private async semanticRanking(q: ParsedQuery, filters: SearchFilters, papers: PaperLookup): Promise<Ranking> {
    const semantic = this.semantic as SemanticIndex;
    const found = await semantic.searchText(q.semanticText, this.depth);
    return this.filtered(found, filters, papers, hasTextConstraints(q) ? textPredicate(q) : null);
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
        console.error(`[paperboy] semantic similar papers for ${paperId} failed:`, err);
      }
    }
    const match = similarTitleMatch(paper.title);
    if (match === null) return { ranking: EMPTY, mode: 'keyword' };
    const found = await this.store.searchKeyword({ match, filters, limit: Math.min(k, this.depth) + 1 });
    return { ranking: notSelf(found), mode: 'keyword' };
  }

  /** Sorts the candidates, cuts one page and highlights it. */
  private async page(ranking: Ranking, papers: PaperLookup, sort: SearchSort, limit: number, offset: number | undefined, matchers: WordMatcher[]) {
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
    const hits = shown.map((paper) => lazyHit(paper, score.get(paper.id) ?? 0, matchers));
    return { hits, total };
  }
}
