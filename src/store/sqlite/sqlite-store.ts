import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensureDataDir } from '../../data-dir.js';
import { DatabaseDamagedError } from '../../errors.js';
import { isCorruption, quickCheck } from './sqlite-health.js';
import type { DailyEntry, ImportItem, Paper, PaperDetail, PaperVersion } from '../../model.js';
import { mergeDailyEntry, mergeRow, mergeVersions, newRow, rowsEqual, trendingFor } from '../merge.js';
import type { PaperRow } from '../merge.js';
import { migrateSqlite, pendingMigrations } from './migrate-sqlite.js';
import { withoutNul } from '../without-nul.js';
import { toDailyEntry, toDbParams, toPaper, toPaperRow } from './sqlite-rows.js';
import type { DailyDbRow, PaperDbRow } from './sqlite-rows.js';
import { DEFAULT_KEYWORD_WEIGHTS, DEFAULT_MAX_SCORED, DEFAULT_RARE_BUDGET, DEFAULT_SCORE_ALL_BELOW, flushKeywordIndex, searchKeywordSqlite } from './sqlite-keyword.js';
import type { KeywordSearchOptions, KeywordWeights } from './sqlite-keyword.js';
import * as embeddings from './sqlite-embeddings.js';
import { extensionSetting, loadFtsExtension, type ExtensionSetting } from './fts-extension.js';
import { PhraseHitCounts } from './phrase-hits.js';
import { MatchCounts } from './match-counts.js';
import { compactKeywordIndexes } from './sqlite-fts-compact.js';
import type { DailyPage, DailyQuery, DailySort, KeywordQuery, PaperPage, RankedIds, SearchIndexCompaction, Store, StoreReadiness, UpsertOutcome, UpsertSummary } from '../store.js';
import type { EmbeddingTodo, NewEmbedding, StoredEmbedding } from '../store.js';
import { DEFAULT_LOCK_WAIT, retryWhileBusy, writeTransaction } from './sqlite-write-lock.js';
import type { LockWait } from './sqlite-write-lock.js';

/** ORDER BY for the ranking step (over chosen entries c and papers p) and for the final rows (ranked r). */
const ORDER_BY: Record<DailySort, { inner: string; outer: string }> = {
  upvotes: { inner: 'p.upvotes DESC, p.trending DESC, p.id', outer: 'r.upvotes DESC, r.trending DESC, r.paper_id' },
  trending: { inner: 'p.trending DESC, p.id', outer: 'r.trending DESC, r.paper_id' },
  newest: { inner: 'p.published_at DESC, p.id', outer: 'r.published_at DESC, r.paper_id' },
  listed: { inner: 'c.list_date DESC, c.submitted_at DESC, c.paper_id', outer: 'r.list_date DESC, r.submitted_at DESC, r.paper_id' },
};

/** `cs` matches cs.* as well as a category named exactly "cs". */
function categoryFilter(kind: 'EXISTS' | 'NOT EXISTS', categories: string[] | undefined, prefix: string, params: Record<string, unknown>): string {
  if (!categories || categories.length === 0) return '';
  const tests = categories.map((c, i) => {
    params[`${prefix}${i}`] = c;
    return `pc.category = @${prefix}${i} OR pc.category LIKE @${prefix}${i} || '.%'`;
  });
  return `${kind} (SELECT 1 FROM paper_categories pc WHERE pc.paper_id = p.id AND (${tests.join(' OR ')}))`;
}

const PAPER_COLUMNS = `id, version, metadata_origin, title, abstract, authors, categories, published_at, updated_at, comment,
  journal_ref, doi, github_repo, github_stars, project_page, keywords, ai_summary, organization,
  external_upvotes, local_upvotes, upvotes, external_comments, local_comments, num_comments, trending`;
const PAPER_VALUES = `@id, @version, @metadata_origin, @title, @abstract, @authors, @categories, @published_at, @updated_at, @comment,
  @journal_ref, @doi, @github_repo, @github_stars, @project_page, @keywords, @ai_summary, @organization,
  @external_upvotes, @local_upvotes, @upvotes, @external_comments, @local_comments, @num_comments, @trending`;

/** The largest mmap_size better-sqlite3's SQLite accepts (SQLITE_MAX_MMAP_SIZE). */
const SQLITE_MMAP_BYTES = 0x7fff0000;

export interface SqliteStoreOptions {
  keywordWeights?: Partial<KeywordWeights>;
  /**
   * Keyword queries score every match while the collection holds fewer papers
   * than this (default DEFAULT_SCORE_ALL_BELOW, 200,000): exact ranking. From
   * this size on, the two bounds below apply (sqlite-keyword.ts).
   */
  keywordScoreAllBelow?: number;
  /** See sqlite-keyword.ts: the newest this many matches are scored per keyword query... */
  keywordMaxScored?: number;
  /** ...and those holding the query's rarest phrases, within this much work (scoringPlan; 0: never). */
  keywordRareBudget?: number;
  /** The native ranking extension (fts-extension.ts; config.ts reads PAPERBOY_FTS_EXTENSION); default: the built one, when there is one. */
  ftsExtension?: ExtensionSetting;
  /**
   * How long SQLite itself waits for a lock, holding the thread (default 5000
   * ms). A server's main thread uses a short one: writes then wait for the
   * lock asynchronously (sqlite-write-lock.ts), and the event loop keeps going.
   */
  busyTimeoutMs?: number;
  /** How long a write waits for another process's write lock in all. */
  lockWait?: LockWait;
}

/** The embedded default store: one SQLite file in WAL mode, driven synchronously behind the async Store interface. */
export class SqliteStore implements Store {
  private readonly statements = new Map<string, Database.Statement>();

  /** BM25 column weights and work bound for searchKeyword; may be changed at any time (evaluation tunes them). */
  readonly keywordSearch: KeywordSearchOptions;
  /** Why the native ranking extension did not load, when its file exists; keyword search then uses bm25(). */
  readonly extensionWarning: string | null;
  private readonly extensionLoaded: boolean;
  /** PRAGMA data_version when the extension's document lengths were last known good. */
  private dataVersion = -1;

  private readonly lockWait: LockWait;

  private constructor(
    readonly db: Database.Database,
    opts: SqliteStoreOptions,
  ) {
    this.lockWait = opts.lockWait ?? DEFAULT_LOCK_WAIT;
    const extension = loadFtsExtension(db, opts.ftsExtension ?? extensionSetting({}));
    this.extensionWarning = extension.warning;
    this.extensionLoaded = extension.loaded;
    this.keywordSearch = {
      weights: { ...DEFAULT_KEYWORD_WEIGHTS, ...opts.keywordWeights },
      scoreAllBelow: opts.keywordScoreAllBelow ?? DEFAULT_SCORE_ALL_BELOW,
      maxScored: opts.keywordMaxScored ?? DEFAULT_MAX_SCORED,
      rareBudget: opts.keywordRareBudget ?? DEFAULT_RARE_BUDGET,
      phraseHits: extension.loaded ? new PhraseHitCounts() : null,
      matchCounts: new MatchCounts(),
    };
  }

  /** The ranking function keyword search uses: paperboy_bm25() (native, cached counts) or FTS5's bm25(). */
  get keywordRanker(): 'paperboy_bm25' | 'bm25' {
    return this.keywordSearch.phraseHits === null ? 'bm25' : 'paperboy_bm25';
  }

  private flushKeywordIndex(): void {
    const rows = flushKeywordIndex((text) => this.sql(text));
    if (rows > 0) {
      this.keywordSearch.phraseHits?.noteWrites(rows);
      this.forgetDocLengths();
    }
  }

  /**
   * The extension remembers each scored paper's length (native/paperboy_fts.c);
   * it must forget them when the keyword index changes: after this store
   * writes it, and when another connection has committed (data_version).
   */
  private forgetDocLengths(): void {
    if (this.extensionLoaded) this.sql('SELECT paperboy_doclen_reset()').get();
  }

  private forgetDocLengthsIfOthersWrote(): void {
    if (!this.extensionLoaded) return;
    // A prepared statement: db.pragma() compiles one on every call (1.3% of a search page's main thread).
    const version = this.sql('PRAGMA data_version').pluck().get() as number;
    if (version === this.dataVersion) return;
    this.forgetDocLengths();
    this.dataVersion = version;
  }

  /** Prepared statements are compiled once per SQL text. */
  private sql(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      // Filter lists make SQL texts vary; bound the cache so odd requests cannot grow it forever.
      if (this.statements.size < 500) this.statements.set(text, s);
    }
    return s;
  }

  static async open(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
    if (path !== ':memory:') ensureDataDir(dirname(path));
    const db = new Database(path);
    try {
      return await SqliteStore.setUp(db, opts);
    } catch (err) {
      db.close();
      if (isCorruption(err)) throw new DatabaseDamagedError(path, [(err as Error).message]);
      throw err;
    }
  }

  private static async setUp(db: Database.Database, opts: SqliteStoreOptions): Promise<SqliteStore> {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    // Switching to WAL needs a moment of exclusive access: another process may be writing.
    await retryWhileBusy(() => db.pragma('journal_mode = WAL'), opts.lockWait);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // So that a REPLACE of a papers row fires the delete trigger that keeps the keyword index in sync.
    db.pragma('recursive_triggers = ON');
    // Keyword queries over a large collection read many index pages: a 64 MiB
    // page cache (default 16 MB) and reading the file through mmap (up to the
    // 2 GiB this SQLite build allows) took 1M-paper keyword search from p90 14.1
    // to 10.5-12.6 ms. Mapped pages are the OS page cache, shared between
    // processes, counted in RSS once touched.
    db.pragma('cache_size = -65536');
    db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
    return new SqliteStore(db, opts);
  }

  /** Throws DatabaseDamagedError when PRAGMA quick_check finds damage. */
  async checkHealth(): Promise<void> {
    const problems = quickCheck(this.db);
    if (problems.length > 0) throw new DatabaseDamagedError(this.db.name, problems);
  }

  async migrate(): Promise<void> {
    await retryWhileBusy(() => migrateSqlite(this.db), this.lockWait);
    this.forgetDocLengths();
  }

  async readiness(): Promise<StoreReadiness> {
    if (!this.db.open) return { ready: false, reason: 'the database connection is closed' };
    try {
      const pending = pendingMigrations(this.db);
      if (pending.length > 0) return { ready: false, reason: `${pending.length} migration(s) not applied: ${pending.join(', ')} (run paperboy migrate)` };
      return { ready: true };
    } catch (err) {
      return { ready: false, reason: `the database does not answer: ${(err as Error).message}` };
    }
  }

  /** `fn` in a write transaction that takes the lock up front, waiting for it without blocking. */
  private write<T>(fn: () => T): Promise<T> {
    return writeTransaction(this.db, fn, this.lockWait);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async upsertItems(items: ImportItem[]): Promise<UpsertSummary> {
    const outcomes = await this.write(() => {
      const done = items.map((item) => this.upsertOne(withoutNul(item)));
      this.flushKeywordIndex();
      return done;
    });
    return {
      new: outcomes.filter((o) => o === 'new').length,
      updated: outcomes.filter((o) => o === 'updated').length,
      unchanged: outcomes.filter((o) => o === 'unchanged').length,
      outcomes,
    };
  }

  private upsertOne(item: ImportItem): UpsertOutcome {
    const { paper: record, daily, community } = item;
    const storedDb = this.sql('SELECT * FROM papers WHERE id = ?').get(record.id) as PaperDbRow | undefined;
    const stored = storedDb ? toPaperRow(storedDb) : null;
    const row = stored ? mergeRow(stored, record, community, this.isLatestListing(record.id, daily?.date)) : newRow(record, community);
    const changed = !stored || !rowsEqual(stored, row);

    const storedVersions = this.versionsOf(record.id);
    const versions = mergeVersions(storedVersions, versionsFrom(record.version, record.versions));
    const versionsChanged = JSON.stringify(versions) !== JSON.stringify(storedVersions);

    let dailyChanged = false;
    let entry: DailyEntry | null = null;
    if (daily) {
      const old = this.sql('SELECT * FROM daily_entries WHERE paper_id = ? AND list_date = ?').get(record.id, daily.date) as DailyDbRow | undefined;
      const storedEntry = old ? toDailyEntry(old) : null;
      entry = mergeDailyEntry(storedEntry, record.id, daily);
      dailyChanged = JSON.stringify(storedEntry) !== JSON.stringify(entry);
    }

    if (!changed && !versionsChanged && !dailyChanged) return 'unchanged';
    const now = new Date().toISOString();
    if (!stored) {
      // A new paper is first listed by this record's entry, if any: its trending score is known now, and the row is written once.
      // (An UPDATE of every column rewrites each of the row's index entries: 30,000 new papers took 19-21 s with it, 17.4-18.2 s
      // without, as long as before migration 007 added three indexes and 008 a trigger.)
      const listedAt = entry ? (entry.submittedAt ?? `${entry.date}T00:00:00.000Z`) : null;
      this.sql(`INSERT INTO papers (${PAPER_COLUMNS}, created_at, modified_at) VALUES (${PAPER_VALUES}, @now, @now)`).run(toDbParams(row, trendingFor(row, listedAt), now));
    }
    if (entry && dailyChanged) {
      this.sql('INSERT INTO daily_entries (paper_id, list_date, submitted_at, submitter) VALUES (?, ?, ?, ?) ON CONFLICT (paper_id, list_date) DO UPDATE SET submitted_at = excluded.submitted_at, submitter = excluded.submitter')
        .run(entry.paperId, entry.date, entry.submittedAt, entry.submitter);
    }
    if (versionsChanged) {
      const put = this.sql('INSERT OR REPLACE INTO paper_versions (paper_id, version, submitted_at, size) VALUES (?, ?, ?, ?)');
      for (const v of versions) put.run(record.id, v.version, v.submittedAt, v.size ?? null);
    }
    if (!stored || JSON.stringify(stored.categories) !== JSON.stringify(row.categories)) this.writeCategories(row);
    if (!stored) return 'new';
    const trending = trendingFor(row, this.firstListedAt(row.id));
    this.sql(`UPDATE papers SET (${PAPER_COLUMNS}, modified_at) = (${PAPER_VALUES}, @now) WHERE id = @id`)
      .run(toDbParams(row, trending, now));
    return 'updated';
  }

  private writeCategories(row: PaperRow): void {
    this.sql('DELETE FROM paper_categories WHERE paper_id = ?').run(row.id);
    const put = this.sql('INSERT OR IGNORE INTO paper_categories (paper_id, position, category) VALUES (?, ?, ?)');
    row.categories.forEach((c, i) => put.run(row.id, i, c));
  }

  /** A record without a list date, or from the paper's newest list date (or a newer one), carries current community fields. */
  private isLatestListing(id: string, date: string | undefined): boolean {
    if (!date) return true;
    const r = this.sql('SELECT MAX(list_date) AS d FROM daily_entries WHERE paper_id = ?').get(id) as { d: string | null };
    return r.d == null || date >= r.d;
  }

  private firstListedAt(id: string): string | null {
    const r = this.sql('SELECT list_date, submitted_at FROM daily_entries WHERE paper_id = ? ORDER BY list_date LIMIT 1').get(id) as
      | { list_date: string; submitted_at: string | null }
      | undefined;
    return r ? (r.submitted_at ?? `${r.list_date}T00:00:00.000Z`) : null;
  }

  private versionsOf(id: string): PaperVersion[] {
    const rows = this.sql('SELECT version, submitted_at, size FROM paper_versions WHERE paper_id = ? ORDER BY version').all(id) as {
      version: number;
      submitted_at: string | null;
      size: string | null;
    }[];
    return rows.map((r) => ({ version: r.version, submittedAt: r.submitted_at, size: r.size }));
  }

  async getPaper(id: string): Promise<PaperDetail | null> {
    const row = this.sql('SELECT * FROM papers WHERE id = ?').get(id) as PaperDbRow | undefined;
    if (!row) return null;
    const entries = this.sql('SELECT * FROM daily_entries WHERE paper_id = ? ORDER BY list_date').all(id) as DailyDbRow[];
    return { ...toPaper(row), versions: this.versionsOf(id), dailyEntries: entries.map(toDailyEntry) };
  }

  async getPaperDetails(ids: string[]): Promise<PaperDetail[]> {
    if (ids.length === 0) return [];
    const wanted = JSON.stringify(ids);
    const rows = this.sql('SELECT p.* FROM json_each(?) j JOIN papers p ON p.id = j.value ORDER BY j.key').all(wanted) as PaperDbRow[];
    const versions = new Map<string, PaperVersion[]>();
    const versionRows = this.sql(`SELECT paper_id, version, submitted_at, size FROM paper_versions
      WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, version`).all(wanted) as { paper_id: string; version: number; submitted_at: string | null; size: string | null }[];
    for (const v of versionRows) {
      const list = versions.get(v.paper_id) ?? [];
      list.push({ version: v.version, submittedAt: v.submitted_at, size: v.size });
      versions.set(v.paper_id, list);
    }
    const entries = new Map<string, DailyEntry[]>();
    for (const e of this.dailyEntriesOf(wanted)) {
      const list = entries.get(e.paperId) ?? [];
      list.push(e);
      entries.set(e.paperId, list);
    }
    return rows.map((row) => ({ ...toPaper(row), versions: versions.get(row.id) ?? [], dailyEntries: entries.get(row.id) ?? [] }));
  }

  async getDailyEntries(ids: string[]): Promise<DailyEntry[]> {
    return ids.length === 0 ? [] : this.dailyEntriesOf(JSON.stringify(ids));
  }

  /** `ids` as a JSON array. */
  private dailyEntriesOf(ids: string): DailyEntry[] {
    return (this.sql('SELECT * FROM daily_entries WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, list_date').all(ids) as DailyDbRow[]).map(toDailyEntry);
  }

  async getPapers(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const rows = this.sql('SELECT p.* FROM json_each(?) j JOIN papers p ON p.id = j.value ORDER BY j.key').all(JSON.stringify(ids)) as PaperDbRow[];
    return rows.map(toPaper);
  }

  /**
   * BM25 search, or every match in a paper order, with the number of matches;
   * `prefix: true` runs against the unstemmed title+authors index
   * (search-as-you-type). See sqlite-keyword.ts.
   */
  async searchKeyword(query: KeywordQuery): Promise<RankedIds> {
    // Every write method flushes; this only catches papers written some other way.
    if (this.sql('SELECT 1 FROM papers_fts_pending LIMIT 1').get() !== undefined) {
      await this.write(() => this.flushKeywordIndex());
    }
    this.forgetDocLengthsIfOthersWrote();
    return searchKeywordSqlite((text) => this.sql(text), query, this.keywordSearch);
  }

  async compactSearchIndex(opts: { minSegments?: number } = {}): Promise<SearchIndexCompaction> {
    const t0 = performance.now();
    const results = await compactKeywordIndexes(this.db, { minSegments: opts.minSegments, lockWait: this.lockWait });
    const sum = (key: 'segmentsBefore' | 'segmentsAfter') => results.reduce((n, r) => n + r[key], 0);
    return { segmentsBefore: sum('segmentsBefore'), segmentsAfter: sum('segmentsAfter'), seconds: (performance.now() - t0) / 1000 };
  }

  async countPapers(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM papers').get() as { n: number }).n;
  }

  async listPapers(opts: { cursor?: string | null; limit: number }): Promise<PaperPage> {
    const rows = this.sql('SELECT * FROM papers WHERE id > ? ORDER BY id LIMIT ?')
      .all(opts.cursor ?? '', opts.limit + 1) as PaperDbRow[];
    const page = rows.slice(0, opts.limit);
    return { items: page.map(toPaper), nextCursor: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null };
  }

  async listDaily(q: DailyQuery): Promise<DailyPage> {
    const params: Record<string, unknown> = { from: q.from, to: q.to, limit: q.limit ?? 50, offset: q.offset ?? 0 };
    // Each paper once: its earliest entry in the range (by this submitter, when one is given).
    const bySubmitter = q.submitter != null ? ' AND d.submitter = @submitter' : '';
    const bySubmitterE = q.submitter != null ? ' AND e.submitter = @submitter' : '';
    if (q.submitter != null) params.submitter = q.submitter;
    const filters = [
      categoryFilter('EXISTS', q.categories, 'inc', params),
      categoryFilter('NOT EXISTS', q.excludeCategories, 'exc', params),
    ].filter(Boolean);
    const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
    const chosen = `WITH chosen AS (
        SELECT d.paper_id, d.list_date, d.submitted_at, d.submitter FROM daily_entries d
        WHERE d.list_date BETWEEN @from AND @to${bySubmitter}
          AND NOT EXISTS (SELECT 1 FROM daily_entries e WHERE e.paper_id = d.paper_id
                          AND e.list_date >= @from AND e.list_date < d.list_date${bySubmitterE}))`;
    const total = (
      this.sql(`${chosen} SELECT COUNT(*) AS n FROM chosen c${where ? ` JOIN papers p INDEXED BY papers_rank ON p.id = c.paper_id ${where}` : ''}`).get(params) as { n: number }
    ).n;
    const order = ORDER_BY[q.sort ?? 'upvotes'];
    const rows = this.sql(
      `${chosen}, ranked AS (
        SELECT c.*, p.upvotes, p.trending, p.published_at FROM chosen c JOIN papers p INDEXED BY papers_rank ON p.id = c.paper_id ${where}
        ORDER BY ${order.inner} LIMIT @limit OFFSET @offset)
      SELECT p.*, r.list_date AS d_list_date, r.submitted_at AS d_submitted_at, r.submitter AS d_submitter
      FROM ranked r JOIN papers p ON p.id = r.paper_id ORDER BY ${order.outer}`,
    ).all(params) as (PaperDbRow & { d_list_date: string; d_submitted_at: string | null; d_submitter: string | null })[];
    return {
      total,
      items: rows.map((r) => ({
        paper: toPaper(r),
        entry: { paperId: r.id, date: r.d_list_date, submittedAt: r.d_submitted_at, submitter: r.d_submitter },
      })),
    };
  }

  async latestDailyDate(): Promise<string | null> {
    return (this.sql('SELECT MAX(list_date) AS d FROM daily_entries').get() as { d: string | null }).d;
  }

  async adjacentDailyDates(date: string): Promise<{ previous: string | null; next: string | null }> {
    const previous = (this.sql('SELECT MAX(list_date) AS d FROM daily_entries WHERE list_date < ?').get(date) as { d: string | null }).d;
    const next = (this.sql('SELECT MIN(list_date) AS d FROM daily_entries WHERE list_date > ?').get(date) as { d: string | null }).d;
    return { previous, next };
  }

  async papersNeedingEmbedding(embedderId: string, opts: { limit: number; afterId?: string | null }): Promise<EmbeddingTodo[]> {
    return embeddings.papersNeedingEmbedding((text) => this.sql(text), embedderId, opts);
  }

  async countPapersNeedingEmbedding(embedderId: string): Promise<number> {
    return embeddings.countPapersNeedingEmbedding((text) => this.sql(text), embedderId);
  }

  async putEmbeddings(embedderId: string, rows: NewEmbedding[]): Promise<number> {
    return this.write(() => embeddings.putEmbeddings((text) => this.sql(text), embedderId, rows));
  }

  embeddingBatches(embedderId: string, opts?: { afterSeq?: number; batchSize?: number }): AsyncIterable<StoredEmbedding[]> {
    return embeddings.embeddingBatches((text) => this.sql(text), embedderId, opts);
  }

  async countEmbeddings(embedderId: string): Promise<number> {
    return embeddings.countEmbeddings((text) => this.sql(text), embedderId);
  }

  async latestEmbeddingSeq(): Promise<number> {
    return embeddings.latestEmbeddingSeq((text) => this.sql(text));
  }

  async getEmbedding(embedderId: string, paperId: string): Promise<StoredEmbedding | null> {
    return embeddings.getEmbedding((text) => this.sql(text), embedderId, paperId);
  }

  async getState(key: string): Promise<string | null> {
    const r = this.sql('SELECT value FROM app_state WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.write(() => this.sql('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value));
  }

  async putModelFile(id: string, bytes: Uint8Array): Promise<void> {
    await this.write(() =>
      this.sql('INSERT INTO model_files (id, bytes, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes').run(id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), new Date().toISOString()),
    );
  }

  async getModelFile(id: string): Promise<Uint8Array | null> {
    const r = this.sql('SELECT bytes FROM model_files WHERE id = ?').get(id) as { bytes: Buffer } | undefined;
    return r ? new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) : null;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const changed = await this.write(
      () =>
        this.sql(
          `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
        ).run({ name, holder, expires: now + ttlMs, now }).changes,
    );
    return changed === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.write(() => this.sql('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder));
  }
}

/** A record that names its version implies that version exists even without a list of versions. */
function versionsFrom(version: number | null | undefined, versions: PaperVersion[] | undefined): PaperVersion[] {
  if (versions && versions.length > 0) return versions;
  return version != null ? [{ version, submittedAt: null, size: null }] : [];
}
