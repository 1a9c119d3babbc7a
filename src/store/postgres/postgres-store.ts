import pg from 'pg';
import type { DailyEntry, ImportItem, Paper, PaperDetail } from '../../model.js';
import { withoutNul } from '../without-nul.js';
import type { PaperChange, PaperChangeFeed } from '../change-feed.js';
import type {
  DailyPage,
  DailyQuery,
  EmbeddingTodo,
  KeywordQuery,
  NewEmbedding,
  PaperPage,
  RankedIds,
  PoolStats,
  SearchIndexCompaction,
  Store,
  StoreReadiness,
  StoredEmbedding,
  UpsertSummary,
} from '../store.js';
import type { SqliteStoreOptions } from '../sqlite/sqlite-store.js';
import { changeLogId, latestSeq, paperChangesAfter } from './change-log.js';
import * as daily from './daily-lists.js';
import * as embeddings from './embeddings.js';
import { LocalSearchIndex } from './local-search-index.js';
import { migratePostgres, pendingPostgresMigrations } from './migrate-postgres.js';
import * as reads from './paper-reads.js';
import { upsertItems } from './upsert-items.js';
import { writeTransaction } from './write-transaction.js';
import type { WriteTx } from './write-transaction.js';

export interface PostgresStoreOptions {
  /** Most connections this process opens (default 10). */
  maxConnections?: number;
  /**
   * This process's directory for its local keyword index (local-search-index.ts);
   * without one, keyword search is unavailable.
   */
  searchIndexDir?: string;
  /** Ranking options of that index (the SQLite store's). */
  searchIndex?: SqliteStoreOptions;
}

/** Keyword search on PostgreSQL is answered by a local index, which needs a directory. */
export class KeywordSearchUnavailableError extends Error {
  constructor(method: string) {
    super(
      `PostgresStore.${method} needs a local search index: on PostgreSQL, each process answers keyword search from ` +
        'an index in its own data directory that catches up through the paper change log. Open the store with searchIndexDir.',
    );
    this.name = 'KeywordSearchUnavailableError';
  }
}

/** The store for several processes on one PostgreSQL database (node-postgres, one pool per process). */
export class PostgresStore implements Store, PaperChangeFeed {
  private searchIndex: Promise<LocalSearchIndex> | null = null;

  private constructor(
    readonly pool: pg.Pool,
    private readonly opts: PostgresStoreOptions,
  ) {}

  /** Connects lazily: the first query opens the first connection. */
  static open(connectionString: string, opts: PostgresStoreOptions = {}): PostgresStore {
    const pool = new pg.Pool({ connectionString, max: opts.maxConnections ?? 10 });
    // An idle connection that the server drops must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    return new PostgresStore(pool, opts);
  }

  /** This process's keyword index, opened on first use (after migrate(), which it reads through). */
  localSearchIndex(method = 'searchKeyword'): Promise<LocalSearchIndex> {
    const dir = this.opts.searchIndexDir;
    if (dir === undefined) return Promise.reject(new KeywordSearchUnavailableError(method));
    this.searchIndex ??= LocalSearchIndex.open(dir, this, this.opts.searchIndex).catch((err: unknown) => {
      this.searchIndex = null;
      throw err;
    });
    return this.searchIndex;
  }

  private write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return writeTransaction(this.pool, fn);
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.pool);
  }

  async checkHealth(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async readiness(): Promise<StoreReadiness> {
    if (this.pool.ended) return { ready: false, reason: 'the connection pool is closed' };
    try {
      const pending = await pendingPostgresMigrations(this.pool);
      if (pending.length > 0) return { ready: false, reason: `${pending.length} migration(s) not applied: ${pending.join(', ')} (run paperboy migrate)` };
      return { ready: true };
    } catch (err) {
      return { ready: false, reason: `the database does not answer: ${(err as Error).message}` };
    }
  }

  poolStats(): PoolStats {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    const index = this.searchIndex;
    this.searchIndex = null;
    await (await index?.catch(() => null))?.close();
    if (!this.pool.ended) await this.pool.end();
  }

  async upsertItems(items: ImportItem[]): Promise<UpsertSummary> {
    const clean = items.map(withoutNul);
    const outcomes = await this.write((tx) => upsertItems(tx, clean));
    return {
      new: outcomes.filter((o) => o === 'new').length,
      updated: outcomes.filter((o) => o === 'updated').length,
      unchanged: outcomes.filter((o) => o === 'unchanged').length,
      outcomes,
    };
  }

  getPaper(id: string): Promise<PaperDetail | null> {
    return reads.getPaper(this.pool, id);
  }

  getPapers(ids: string[]): Promise<Paper[]> {
    return reads.getPapers(this.pool, ids);
  }

  getPaperDetails(ids: string[]): Promise<PaperDetail[]> {
    return reads.getPaperDetails(this.pool, ids);
  }

  getDailyEntries(ids: string[]): Promise<DailyEntry[]> {
    return reads.getDailyEntries(this.pool, ids);
  }

  /** From the local index, first brought up to date with every change committed so far (one query when it is). */
  async searchKeyword(query: KeywordQuery): Promise<RankedIds> {
    const index = await this.localSearchIndex('searchKeyword');
    await index.catchUpIfBehind();
    return index.searchKeyword(query);
  }

  async compactSearchIndex(opts?: { minSegments?: number }): Promise<SearchIndexCompaction> {
    return (await this.localSearchIndex('compactSearchIndex')).compactSearchIndex(opts);
  }

  countPapers(): Promise<number> {
    return reads.countPapers(this.pool);
  }

  listPapers(opts: { cursor?: string | null; limit: number }): Promise<PaperPage> {
    return reads.listPapers(this.pool, opts);
  }

  listDaily(query: DailyQuery): Promise<DailyPage> {
    return daily.listDaily(this.pool, query);
  }

  latestDailyDate(): Promise<string | null> {
    return daily.latestDailyDate(this.pool);
  }

  adjacentDailyDates(date: string): Promise<{ previous: string | null; next: string | null }> {
    return daily.adjacentDailyDates(this.pool, date);
  }

  papersNeedingEmbedding(embedderId: string, opts: { limit: number; afterId?: string | null }): Promise<EmbeddingTodo[]> {
    return embeddings.papersNeedingEmbedding(this.pool, embedderId, opts);
  }

  countPapersNeedingEmbedding(embedderId: string): Promise<number> {
    return embeddings.countPapersNeedingEmbedding(this.pool, embedderId);
  }

  putEmbeddings(embedderId: string, rows: NewEmbedding[]): Promise<number> {
    return this.write((tx) => embeddings.putEmbeddings(tx, embedderId, rows));
  }

  embeddingBatches(embedderId: string, opts?: { afterSeq?: number; batchSize?: number }): AsyncIterable<StoredEmbedding[]> {
    return embeddings.embeddingBatches(this.pool, embedderId, opts);
  }

  countEmbeddings(embedderId: string): Promise<number> {
    return embeddings.countEmbeddings(this.pool, embedderId);
  }

  latestEmbeddingSeq(): Promise<number> {
    return latestSeq(this.pool, 'embeddings');
  }

  getEmbedding(embedderId: string, paperId: string): Promise<StoredEmbedding | null> {
    return embeddings.getEmbedding(this.pool, embedderId, paperId);
  }

  paperChangesAfter(afterSeq: number, limit: number): Promise<PaperChange[]> {
    return paperChangesAfter(this.pool, afterSeq, limit);
  }

  latestPaperChangeSeq(): Promise<number> {
    return latestSeq(this.pool, 'papers');
  }

  paperChangeLogId(): Promise<string> {
    return changeLogId(this.pool);
  }

  async getState(key: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM app_state WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.write((tx) => tx.client.query('INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]));
  }

  async putModelFile(id: string, bytes: Uint8Array): Promise<void> {
    await this.pool.query('INSERT INTO model_files (id, bytes, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes', [
      id,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      new Date().toISOString(),
    ]);
  }

  async getModelFile(id: string): Promise<Uint8Array | null> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM model_files WHERE id = $1', [id]);
    const b = rows[0]?.bytes;
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // The server's clock decides expiry, so processes on machines whose clocks differ agree.
    const { rowCount } = await this.pool.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()`,
      [name, holder, ttlMs],
    );
    return rowCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
