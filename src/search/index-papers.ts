// Embeds papers that have no current vector, batch by batch. Each batch is
// written in one transaction, so a run killed at any moment loses at most the
// batch in flight and a rerun picks up where it stopped: the store, not a
// cursor file, knows which papers still need a vector.
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { paperText, type Embedder } from './embedder.js';
import { quantise } from './vector-math.js';

/** Short hash of the text a paper is embedded from (sha1 of paperText, 16 hex digits). */
export function paperTextHash(title: string, abstract: string): string {
  return createHash('sha1').update(paperText(title, abstract)).digest('hex').slice(0, 16);
}

export interface IndexProgress {
  /** Papers embedded and stored so far in this run. */
  done: number;
  /** Papers this run set out to embed. */
  total: number;
  /** Papers in the batch just written, and how long it took to embed. */
  batch: number;
  batchSeconds: number;
  /** Texts per second over the whole run so far. */
  textsPerSecond: number;
}

export interface IndexOptions {
  /** Texts per embedder call and per transaction (default 32). */
  batchSize?: number;
  /** Stop after this many papers. */
  limit?: number;
  onBatch?: (p: IndexProgress) => void;
  /** Stops between batches; the batch in flight is still written. */
  signal?: AbortSignal;
}

export interface IndexSummary {
  /** Vectors stored. */
  embedded: number;
  /** Papers whose text changed while they were embedded (left for the next run). */
  skipped: number;
  total: number;
  seconds: number;
  textsPerSecond: number;
}

export const DEFAULT_INDEX_BATCH = 32;

function checkCount(name: string, n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new RangeError(`${name} must be a positive integer, got ${n}`);
}

/** Embeds every paper that needs a vector under `embedder` (at most `limit`). */
export async function indexPendingPapers(store: Store, embedder: Embedder, opts: IndexOptions = {}): Promise<IndexSummary> {
  const batchSize = opts.batchSize ?? DEFAULT_INDEX_BATCH;
  checkCount('batchSize', batchSize);
  checkCount('limit', opts.limit);
  const pending = await store.countPapersNeedingEmbedding(embedder.id);
  const total = Math.min(pending, opts.limit ?? Infinity);
  const started = performance.now();
  let embedded = 0;
  let seen = 0;
  // Papers skipped in this run stay behind the cursor, so they are not retried in a loop.
  let afterId: string | null = null;
  while (seen < total && !opts.signal?.aborted) {
    const todo = await store.papersNeedingEmbedding(embedder.id, { limit: Math.min(batchSize, total - seen), afterId });
    if (todo.length === 0) break;
    const t0 = performance.now();
    const vectors = await embedder.embed(todo.map((t) => paperText(t.title, t.abstract)));
    if (vectors.length !== todo.length) throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${todo.length} texts`);
    const rows = todo.map((t, i) => {
      const v = vectors[i]!;
      if (v.length !== embedder.dimensions) throw new Error(`embedder ${embedder.id} returned a ${v.length}-d vector, expected ${embedder.dimensions}`);
      const { q, scale } = quantise(v);
      return { ...t, textHash: paperTextHash(t.title, t.abstract), scale, vector: q };
    });
    const batchSeconds = (performance.now() - t0) / 1000;
    embedded += await store.putEmbeddings(embedder.id, rows);
    seen += todo.length;
    afterId = todo.at(-1)!.paperId;
    const seconds = (performance.now() - started) / 1000;
    opts.onBatch?.({ done: embedded, total, batch: todo.length, batchSeconds, textsPerSecond: seconds > 0 ? seen / seconds : 0 });
    // A model call resolves without leaving the thread; let messages and timers (a stop request) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  return { embedded, skipped: seen - embedded, total, seconds, textsPerSecond: seconds > 0 ? seen / seconds : 0 };
}

export interface BackgroundIndexer {
  /** Asks for a run; while one is running, one more run follows it. Never throws. */
  request(): void;
  /** Resolves when no run is running or asked for. */
  idle(): Promise<void>;
  /** Stops after the batch in flight (which is kept) and ignores later requests; resolves when stopped. */
  stop(): Promise<void>;
}

/**
 * Runs `work` in the background, one run at a time: a request during a run
 * asks for one more run after it. Errors go to onError; the next request
 * retries. stop() aborts the signal given to `work` and waits for the run.
 */
export function backgroundJob(work: (signal: AbortSignal) => Promise<void>, opts: { signal?: AbortSignal; onError?: (err: unknown) => void } = {}): BackgroundIndexer {
  let running: Promise<void> | null = null;
  let again = false;
  const stopping = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopping.signal]) : stopping.signal;
  const runLoop = async (): Promise<void> => {
    do {
      again = false;
      try {
        await work(signal);
      } catch (err) {
        opts.onError?.(err);
      }
    } while (again && !signal.aborted);
  };
  const idle = async () => {
    while (running) await running;
  };
  return {
    request() {
      if (signal.aborted) return;
      if (running) {
        again = true;
        return;
      }
      running = runLoop().finally(() => {
        running = null;
      });
    },
    idle,
    async stop() {
      stopping.abort();
      await idle();
    },
  };
}

/**
 * Runs indexPendingPapers in the background, one run at a time (for `serve`
 * after an import or a harvest). Errors go to onError; the next request retries.
 */
export function backgroundIndexer(
  store: Store,
  embedder: Embedder,
  opts: IndexOptions & { onDone?: (s: IndexSummary) => void; onError?: (err: unknown) => void } = {},
): BackgroundIndexer {
  return backgroundJob(async (signal) => {
    const summary = await indexPendingPapers(store, embedder, { ...opts, signal });
    opts.onDone?.(summary);
  }, opts);
}
