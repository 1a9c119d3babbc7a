// Spelling correction for the search service: the query's unknown words
// replaced by the closest words of the keyword index (spelling.ts has the
// policy and its measurements).
//
// A word is unknown when the keyword index holds it in no paper
// (sqlite-vocabulary.ts isIndexedWord: one LIMIT 1 match, asked live, so a
// paper imported a moment ago makes its words known at once). Suggestions come
// from the words of titles in at least 2 papers, read from the index into a
// SpellingIndex. That read is the expensive part (0.3 s for 60k papers,
// 3-4 s for a million), so:
// - up to INLINE_BUILD_MAX_PAPERS papers (the demo's 9.9k: 30-70 ms to read,
//   15-100 ms to build), or for an in-memory database, it is built on the
//   calling thread and the first search waits for it;
// - above, it is built in a worker (spelling-worker.ts) with its own
//   read-only connection, and searches are not corrected until it is ready.
// The paper count is looked at again at most every RECHECK_MS; the index is
// rebuilt (in the background when one is in use) when the count changed: by
// any amount for a small collection, by REBUILD_FRACTION for a large one.
// Words found known are remembered (up to MAX_KNOWN_WORDS): papers are added,
// never removed, so a known word stays known, and asking the index again for
// every word of every query was ~0.5 ms of each search. Unknown words are
// asked again each time, so a new paper's words are known at once.
import type { Worker } from 'node:worker_threads';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { isIndexedWord, readTitleVocabulary } from '../store/sqlite/sqlite-vocabulary.js';
import type { Store } from '../store/store.js';
import { spawnWorker, workerEntry } from '../workers/spawn-worker.js';
import { correctQuery, SpellingIndex, type QueryCorrection } from './spelling.js';
import type { SpellingWorkerData, SpellingWorkerMessage } from './spelling-worker.js';

/** Corrects a search query's unknown words. */
export interface QuerySpeller {
  /** The query with unknown words corrected; null when nothing changes (or no index is ready yet). */
  correct(query: string): Promise<QueryCorrection | null>;
}

export const INLINE_BUILD_MAX_PAPERS = 20_000;
export const RECHECK_MS = 60_000;
export const REBUILD_FRACTION = 0.01;
export const MAX_KNOWN_WORDS = 50_000;

const WORKER_ENTRY = workerEntry('spelling-worker', import.meta.url);

export interface SqliteSpellerOptions {
  /** Build on the calling thread (true), in a worker (false), or by size (default). */
  inline?: boolean;
  recheckMs?: number;
  onError?: (err: unknown) => void;
}

/** A speller over a SQLite store's keyword index. */
export class SqliteSpeller implements QuerySpeller {
  private index: SpellingIndex | null = null;
  /** Papers counted when the index in use was built. */
  private builtFor = -1;
  private checkedAt = -Infinity;
  private building: Promise<void> | null = null;
  private worker: Worker | null = null;
  private readonly known = new Set<string>();

  constructor(
    private readonly store: SqliteStore,
    private readonly opts: SqliteSpellerOptions = {},
  ) {}

  async correct(query: string): Promise<QueryCorrection | null> {
    const index = await this.current();
    if (index === null || !this.store.db.open) return null;
    return correctQuery(query, (word) => this.isKnown(word), index);
  }

  private isKnown(word: string): boolean {
    if (this.known.has(word)) return true;
    if (!isIndexedWord(this.store.db, word)) return false;
    // Oldest first: a Set keeps insertion order.
    if (this.known.size >= MAX_KNOWN_WORDS) this.known.delete(this.known.values().next().value!);
    this.known.add(word);
    return true;
  }

  /** The index to use now, building or rebuilding it when due. */
  async current(): Promise<SpellingIndex | null> {
    const now = Date.now();
    if (this.building !== null || now - this.checkedAt < (this.opts.recheckMs ?? RECHECK_MS)) return this.index;
    this.checkedAt = now;
    const papers = await this.store.countPapers();
    if (this.index !== null && !this.stale(papers)) return this.index;
    const inline = this.opts.inline ?? (this.store.db.memory || papers <= INLINE_BUILD_MAX_PAPERS);
    if (inline) {
      if (this.index === null) {
        this.buildHere(papers);
      } else {
        // A rebuild is not worth holding this request for: the next turn of the event loop does it.
        this.building = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.buildHere(papers));
        void this.building.finally(() => (this.building = null));
      }
    } else {
      this.building = this.buildInWorker(papers).finally(() => (this.building = null));
    }
    return this.index;
  }

  private stale(papers: number): boolean {
    if (papers === this.builtFor) return false;
    return this.builtFor <= INLINE_BUILD_MAX_PAPERS || Math.abs(papers - this.builtFor) >= this.builtFor * REBUILD_FRACTION;
  }

  private buildHere(papers: number): void {
    try {
      if (!this.store.db.open) return;
      this.index = SpellingIndex.build(readTitleVocabulary(this.store.db));
      this.builtFor = papers;
    } catch (err) {
      this.report(err);
    }
  }

  private buildInWorker(papers: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const worker = spawnWorker(WORKER_ENTRY, { workerData: { databasePath: this.store.db.name } satisfies SpellingWorkerData, name: 'paperboy-spelling' });
      this.worker = worker;
      worker.unref();
      let settled = false;
      const done = (err?: unknown) => {
        if (settled) return;
        settled = true;
        this.worker = null;
        if (err !== undefined) this.report(err);
        resolve();
      };
      worker.once('message', (msg: SpellingWorkerMessage) => {
        if (msg.type === 'built') {
          this.index = SpellingIndex.fromData(msg.data);
          this.builtFor = papers;
          done();
        } else {
          done(new Error(msg.message));
        }
      });
      worker.once('error', done);
      worker.once('exit', (code) => done(code === 0 ? undefined : new Error(`spelling worker exited with ${code}`)));
    });
  }

  /** Waits for a build in progress (tests; shutting down). */
  async idle(): Promise<void> {
    await this.building;
  }

  /** Stops a build in progress. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private report(err: unknown): void {
    (this.opts.onError ?? ((e: unknown) => console.error('[paperboy] spelling index:', e instanceof Error ? e.message : e)))(err);
  }
}

/** A speller over this process's local keyword index, which answers keyword search on PostgreSQL. */
class LocalIndexSpeller implements QuerySpeller {
  private speller: Promise<SqliteSpeller> | null = null;

  constructor(
    private readonly store: PostgresStore,
    private readonly opts: SqliteSpellerOptions,
  ) {}

  async correct(query: string): Promise<QueryCorrection | null> {
    // Caught up first, as a search is: a speller first asked before the index caught up (a process that searches
    // without following the change log, like the benchmarks) built its vocabulary from an empty index and corrected
    // nothing until its next recheck a minute later (25 of SciFact's 809 train queries lost their correction).
    this.speller ??= this.store
      .localSearchIndex('spelling')
      .then(async (local) => {
        await local.catchUpIfBehind();
        return new SqliteSpeller(local.index, this.opts);
      })
      .catch((err: unknown) => {
        this.speller = null;
        throw err;
      });
    return (await this.speller).correct(query);
  }
}

/** The speller for a store: one over the keyword index it searches (SQLite's, or PostgreSQL's local one), none for other stores. */
export function spellerFor(store: Store, onError?: (err: unknown) => void): QuerySpeller | null {
  if (store instanceof SqliteStore) return new SqliteSpeller(store, { onError });
  if (store instanceof PostgresStore) return new LocalIndexSpeller(store, { onError });
  return null;
}
