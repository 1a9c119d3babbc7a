import type { DailyEntry, DailyListItem, ImportItem, Paper, PaperDetail } from '../model.js';

/** What happened to one imported record. */
export type UpsertOutcome = 'new' | 'updated' | 'unchanged';

export interface UpsertSummary {
  new: number;
  updated: number;
  unchanged: number;
  /** One outcome per input item, in input order. */
  outcomes: UpsertOutcome[];
}

/**
 * upvotes: most upvoted first; newest: newest arXiv date first; trending: stored
 * trending score; listed: most recently put on the daily list first.
 */
export type DailySort = 'upvotes' | 'newest' | 'trending' | 'listed';

export interface DailyQuery {
  /** Inclusive list-date range, YYYY-MM-DD. */
  from: string;
  to: string;
  sort?: DailySort;
  limit?: number;
  offset?: number;
  /** Only entries put on the list by this submitter. */
  submitter?: string;
  /** Only papers with at least one of these categories (exact or archive prefix, e.g. "cs" or "cs.CV"). */
  categories?: string[];
  /** Drop papers with any of these categories. */
  excludeCategories?: string[];
}

export interface DailyPage {
  items: DailyListItem[];
  /** Number of distinct papers matching the query, before limit/offset. */
  total: number;
}

/** Filters shared by every search mode; all optional. */
export interface SearchFilters {
  /** arXiv publication date range, inclusive, YYYY-MM-DD. */
  publishedFrom?: string;
  publishedTo?: string;
  /** At least one of these categories (archive prefixes such as "cs" match cs.*). */
  categories?: string[];
  excludeCategories?: string[];
  hasCode?: boolean;
}

/** Every ranker answers with ids and their scores, best first. */
export interface RankedIds {
  ids: string[];
  scores: number[];
  /** searchKeyword only: how many papers match in all (not only the ones returned). */
  total?: number;
}

/** The order of keyword matches: by BM25, or every match by a paper field (newest: publication date). */
export type KeywordOrder = 'relevance' | 'newest' | 'upvotes';

/** A word of a keyword query as typed; one holding several words ("IL-6") matches them in a row. */
export interface KeywordTerm {
  text: string;
  /** Its last word also matches the words it begins ("learn" finds "learning"). */
  prefix: boolean;
}

/**
 * What a keyword query matches, in the application's terms (search/keyword-query.ts
 * builds it from the search box); each backend translates it into its own
 * syntax. Matching ignores case and diacritics and compares stems ("models"
 * finds "model"); text without a letter or digit is ignored.
 */
export interface KeywordText {
  terms: KeywordTerm[];
  /**
   * all: every term must be in the paper; any: at least one must be
   * (natural language: BM25 ranks the papers holding more, and rarer, terms
   * first). Phrases and authors are required either way.
   */
  termMatch: 'all' | 'any';
  /**
   * With termMatch 'any': the paper must hold at least this many of the
   * distinct terms (default 1). Matching only; relevance ranking is meant
   * for the default.
   */
  minTerms?: number;
  /** Each must be in the paper, its words in a row in one field (title, abstract or authors). */
  phrases: string[];
  /** Each must be in the authors, its words in a row. */
  authors: string[];
  /** A paper holding any of these (its words in a row, in any field) is left out. */
  excluded: string[];
  /** A paper with any of these in its authors is left out. */
  excludedAuthors: string[];
}

/** A KeywordText without words, to add some to: alone it matches every paper (filters and exclusions still apply). */
export function noKeywords(): KeywordText {
  return { terms: [], termMatch: 'all', phrases: [], authors: [], excluded: [], excludedAuthors: [] };
}

/** Whether a piece of KeywordText counts: it has a letter or a digit. */
export function hasLetterOrDigit(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Whether the text asks for any words (else a query lists the papers its filters and exclusions allow). */
export function hasKeywords(text: KeywordText): boolean {
  return text.terms.some((t) => hasLetterOrDigit(t.text)) || text.phrases.some(hasLetterOrDigit) || text.authors.some(hasLetterOrDigit);
}

export interface KeywordQuery {
  /** The words to match; without any (hasKeywords false), every paper passing the filters and exclusions matches. */
  text: KeywordText;
  filters?: SearchFilters;
  limit: number;
  /**
   * Search-as-you-type: match against an unstemmed title and author index,
   * where a prefix of a half-typed word still finds it; exclusions too apply
   * to titles and authors only.
   */
  prefix?: boolean;
  /** Default relevance. newest/upvotes order every match by that field (ties: newest, then id). */
  order?: KeywordOrder;
  /** Skip this many matches of the order (paging a sorted list). Default 0. */
  offset?: number;
  /**
   * The query as typed, when it could be a pasted title: a paper whose title
   * equals it (title-key.ts: ignoring case, punctuation and spacing) is ranked first.
   */
  exactTitle?: string | null;
}

export interface PaperPage {
  items: Paper[];
  /** Opaque cursor for the next page, null when this was the last. */
  nextCursor: string | null;
}

/** A paper whose vector under some embedder is missing or stale: the text to embed. */
export interface EmbeddingTodo {
  paperId: string;
  title: string;
  abstract: string;
}

/** One paper's vector: int8 components with a scale (vector ~= components * scale). */
export interface PaperEmbedding {
  paperId: string;
  /** Hash of the text that was embedded (search/index-papers.ts paperTextHash). */
  textHash: string;
  scale: number;
  vector: Int8Array;
}

/** Whether a store can serve requests now; when not, a reason an operator can act on. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/** Connections of a pooled backend, for metrics. */
export interface PoolStats {
  /** Connections open, in use or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/** A stored vector with its write sequence number (grows with every write, for catching up). */
export interface StoredEmbedding extends PaperEmbedding {
  seq: number;
}

/** A vector to store, with the title and abstract it was computed from. */
export type NewEmbedding = EmbeddingTodo & PaperEmbedding;

/** Parts of the keyword index before and after compactSearchIndex, and how long it took. */
export interface SearchIndexCompaction {
  segmentsBefore: number;
  segmentsAfter: number;
  seconds: number;
}

/** Opening, checking and closing the database. */
export interface StoreLifecycle {
  /** Apply pending numbered migrations. Idempotent; processes starting together apply each once. */
  migrate(): Promise<void>;
  /** Throws when the database cannot be served (a damaged file, say), with a message naming the fix. */
  checkHealth(): Promise<void>;
  /** Ready when the database answers and every migration is applied (for /readyz: cheap, never throws). */
  readiness(): Promise<StoreReadiness>;
  /** A pooled backend's connections; absent where there is no pool (SQLite's one connection). */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

/** Papers, their versions, and the daily lists. */
export interface PaperStore {
  /**
   * Insert or merge papers, their versions, daily entries and community
   * snapshots in one transaction. A record never lowers a paper's version;
   * null fields never erase stored ones; votes, comments and daily entries
   * are kept.
   */
  upsertItems(items: ImportItem[]): Promise<UpsertSummary>;

  getPaper(id: string): Promise<PaperDetail | null>;
  /** Papers by id, in the order given; unknown ids are left out. */
  getPapers(ids: string[]): Promise<Paper[]>;
  /** What getPaper returns, for many papers in a few reads: in the order given, unknown ids left out. */
  getPaperDetails(ids: string[]): Promise<PaperDetail[]>;
  /** The daily-list entries of these papers, by paper id then list date (what getPaperDetails reads, without the papers). */
  getDailyEntries(ids: string[]): Promise<DailyEntry[]>;
  countPapers(): Promise<number>;
  /** Papers in id order, keyset-paginated. */
  listPapers(opts: { cursor?: string | null; limit: number }): Promise<PaperPage>;

  /** Daily-list entries whose list date is in [from, to]; each paper once (earliest entry in range). */
  listDaily(query: DailyQuery): Promise<DailyPage>;
  /** The newest list date that has entries, or null when there are none. */
  latestDailyDate(): Promise<string | null>;
  /** The nearest list dates with entries before and after `date`. */
  adjacentDailyDates(date: string): Promise<{ previous: string | null; next: string | null }>;
}

/** The keyword index over the papers' titles, abstracts and authors, kept in sync with every write. */
export interface KeywordIndex {
  /** BM25 keyword search (title weighted above abstract; authors searchable). */
  searchKeyword(query: KeywordQuery): Promise<RankedIds>;
  /**
   * Merges the keyword index's parts (SQLite: FTS5 segments) so queries read
   * one of each term's lists instead of one per import; only when it has at
   * least `minSegments` (default 2). Results do not change, only their speed.
   */
  compactSearchIndex(opts?: { minSegments?: number }): Promise<SearchIndexCompaction>;
}

/** The papers' vectors, per embedder. */
export interface EmbeddingStore {
  /**
   * Papers with no current vector under this embedder (none yet, or their title
   * or abstract changed since), in id order after `afterId`.
   */
  papersNeedingEmbedding(embedderId: string, opts: { limit: number; afterId?: string | null }): Promise<EmbeddingTodo[]>;
  countPapersNeedingEmbedding(embedderId: string): Promise<number>;
  /**
   * Stores vectors in one transaction, replacing older ones. A row whose paper is
   * gone, or whose title or abstract no longer equal the ones given, is skipped
   * (its text changed while it was being embedded). Returns the number stored.
   */
  putEmbeddings(embedderId: string, rows: NewEmbedding[]): Promise<number>;
  /** Stored vectors with seq > afterSeq, in seq order, in batches. */
  embeddingBatches(embedderId: string, opts?: { afterSeq?: number; batchSize?: number }): AsyncIterable<StoredEmbedding[]>;
  countEmbeddings(embedderId: string): Promise<number>;
  /** The highest seq written under any embedder, 0 when none: a cheap "anything new?" check. */
  latestEmbeddingSeq(): Promise<number>;
  getEmbedding(embedderId: string, paperId: string): Promise<StoredEmbedding | null>;
}

/** Small persistent key/value state: harvest cursors, import markers. */
export interface StateStore {
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;

  /** Keeps a learned model's file (search/model/model-file.ts) for every process sharing the database; replaces one with the same id. */
  putModelFile(id: string, bytes: Uint8Array): Promise<void>;
  /** The model file stored under `id`, or null. */
  getModelFile(id: string): Promise<Uint8Array | null>;

  /**
   * Takes the lease `name` for `holder` until `ttlMs` from now, or renews it:
   * true when `holder` has it now (it was free, had expired, or was already
   * the holder's), false while another holder's lease runs. Work that must run
   * once across processes sharing the database runs only under its lease.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it, so another process need not wait for it to expire. */
  releaseLease(name: string, holder: string): Promise<void>;
}

/**
 * The only code that runs SQL lives behind this interface, one per backend
 * (sqlite/; PostgreSQL next), all passing the *.contract.ts suites. Every
 * method is asynchronous so that a networked database implements it
 * unchanged, and every argument is in the application's terms (a
 * KeywordText, never SQL or FTS5 text).
 */
export interface Store extends StoreLifecycle, PaperStore, KeywordIndex, EmbeddingStore, StateStore {}
