/**
 * The contracts between the search parts: the semantic index (vectors of
 * papers), and the search service that the web layer and CLI call.
 */
import type { Paper } from '../model.js';
import type { RankedIds, SearchFilters } from '../store/store.js';
import type { ParsedQuery } from './query-parser.js';

/** How search uses a model's similarities on this instance's papers (calibrated per corpus). */
export interface SearchCalibration {
  /** Weight of the semantic side in hybrid fusion, 0..1 (keyword gets 1 - weight). */
  semanticWeight: number;
  /** A paper joins a result list by meaning alone only at this cosine similarity or above. */
  minSimilarity: number;
}

/** Nearest-neighbour search over paper vectors; persisted, survives a restart. */
export interface SemanticIndex {
  /** The embedder whose vectors this index holds. */
  readonly embedderId: string;
  /** The current model's calibration; null when it has none (the search service then uses its defaults). */
  readonly calibration?: SearchCalibration | null;
  /** Number of papers with a vector. */
  size(): number;
  /** True while its model is still loading and nothing can be found by meaning yet (learned-semantic-index.ts). */
  readonly loading?: boolean;
  /** Papers nearest to a free-text query, best first; scores are cosine similarities. */
  searchText(text: string, k: number): Promise<RankedIds>;
  /** Papers nearest to a paper's own vector (itself excluded); empty when it has none. */
  similarTo(paperId: string, k: number): Promise<RankedIds>;
}

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export type SearchSort = 'relevance' | 'newest' | 'upvotes';

export interface SearchRequest {
  /** The raw query as typed (grammar: src/search/query-parser.ts). */
  q: string;
  mode?: SearchMode;
  sort?: SearchSort;
  /** Filters from the form; merged with those written in the query (cat:, year:). */
  filters?: SearchFilters;
  limit: number;
  offset?: number;
  /** Search-as-you-type: the last word may be incomplete (and is never corrected). */
  prefix?: boolean;
  /** Search the words as typed: no spelling correction ("Search instead for ..."). */
  literal?: boolean;
}

export interface SearchHit {
  paper: Paper;
  /** Relevance under the chosen mode (fused score for hybrid). */
  score: number;
  /** Title and an abstract excerpt as HTML: text escaped, matched terms in <mark>. */
  highlight: { title: string; snippet: string };
}

/** The query was searched with misspelled words corrected. */
export interface SpellingCorrection {
  /** The query as searched: `original` with the corrected words replaced. */
  query: string;
  /** The query as typed. */
  original: string;
  /** Each replacement once, in query order. */
  words: { from: string; to: string }[];
}

/**
 * Another query to offer when nothing matched: the query spelled correctly
 * (when it was searched as typed), with one part left out that then matches,
 * or (nothing close enough in meaning) by keywords too.
 */
export interface QuerySuggestion {
  /** spelling: the query corrected; fewer-words: one part left out; mode: the same query in another mode. */
  kind: 'spelling' | 'fewer-words' | 'mode';
  query: string;
  /** fewer-words: the part left out, as typed. */
  dropped?: string;
  /** mode: the mode to search in. */
  mode?: SearchMode;
  /** mode: how many papers match the query's keywords. */
  count?: number;
}

export interface SearchResponse {
  hits: SearchHit[];
  /**
   * Papers that match, over all pages: the keyword matches (every one, as the
   * store counts them) plus the papers joining by meaning alone (semantic
   * neighbours at or above the similarity threshold, at most MAX_K).
   */
  total: number;
  mode: SearchMode;
  /** The query as searched (the corrected one when `correction` is set). */
  parsed: ParsedQuery;
  /** Soft problems to show the user (e.g. "year:abcd is not a year"; "semantic index not built"). */
  warnings: string[];
  /** Set when unknown words were corrected before searching; null otherwise. */
  correction?: SpellingCorrection | null;
  /** When nothing matched: queries that would match something, most useful first. */
  suggestions?: QuerySuggestion[];
  /**
   * A description sorted by newest or upvotes lists the papers holding at
   * least `least` of its `of` content words (SearchService sortedPlan); absent
   * for other lists.
   */
  wordsHeld?: { least: number; of: number };
}
