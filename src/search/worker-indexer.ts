// `serve`'s background indexer: indexPendingPapers in a worker thread
// (index-worker.ts) with its own connection, model and low priority. The
// main thread only asks for runs and hears how they went.
import type { Worker } from 'node:worker_threads';
import type { StoreConfig } from '../store/open-store.js';
import { spawnWorker, workerEntry } from '../workers/spawn-worker.js';
import type { EmbedderSpec } from './embedder-config.js';
import type { BackgroundIndexer, IndexProgress, IndexSummary } from './index-papers.js';

export interface IndexerWorkerData {
  /** The database the worker opens its own connection to. */
  store: StoreConfig;
  spec: EmbedderSpec;
  batchSize?: number;
  /** Learned models: where model files live and when to retrain. */
  learned?: { dataDir: string; retrainShare: number };
}

/** A new learned model was made current by the worker. */
export interface ModelSwitch {
  id: string;
  previousId: string | null;
  notes: string;
  trainSeconds: number;
  embedSeconds: number;
  calibrateSeconds: number;
}

export type IndexerCommand = { type: 'run' } | { type: 'stop' };

export type IndexerEvent =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'batch'; progress: IndexProgress }
  | { type: 'done'; summary: IndexSummary }
  | { type: 'error'; message: string }
  | { type: 'idle' }
  | { type: 'model'; model: ModelSwitch }
  | { type: 'step'; line: string }
  | { type: 'stopped' };

export interface WorkerIndexerOptions extends IndexerWorkerData {
  onBatch?: (p: IndexProgress) => void;
  onDone?: (s: IndexSummary) => void;
  onError?: (err: Error) => void;
  onModel?: (m: ModelSwitch) => void;
  onStep?: (line: string) => void;
  /** How long stop() waits for the batch in flight before ending the worker (default 5 s). */
  stopTimeoutMs?: number;
}

const ENTRY = workerEntry('index-worker', import.meta.url);

/** Starts the worker; runs begin when request() is called. */
export function startWorkerIndexer(opts: WorkerIndexerOptions): BackgroundIndexer {
  const { store, spec, batchSize, learned } = opts;
  const worker: Worker = spawnWorker(ENTRY, { workerData: { store, spec, batchSize, learned } satisfies IndexerWorkerData, name: 'paperboy-indexer' });
  let stopping = false;
  let exited = false;
  // Runs asked for and not yet reported idle.
  let outstanding = 0;
  let idleWaiters: (() => void)[] = [];
  let stoppedWaiter: (() => void) | null = null;

  const wakeIdle = () => {
    if (outstanding > 0) return;
    // Idle, it must not keep a finished command alive; busy, it does.
    worker.unref();
    for (const w of idleWaiters) w();
    idleWaiters = [];
  };

  worker.on('message', (event: IndexerEvent) => {
    switch (event.type) {
      case 'batch':
        opts.onBatch?.(event.progress);
        break;
      case 'done':
        opts.onDone?.(event.summary);
        break;
      case 'error':
        opts.onError?.(new Error(event.message));
        break;
      case 'model':
        opts.onModel?.(event.model);
        break;
      case 'step':
        opts.onStep?.(event.line);
        break;
      case 'failed':
        // It cannot index at all (the model or the database failed to open): nothing will run.
        opts.onError?.(new Error(event.message));
        void worker.terminate();
        break;
      case 'idle':
        outstanding = Math.max(0, outstanding - 1);
        wakeIdle();
        break;
      case 'stopped':
        stoppedWaiter?.();
        break;
    }
  });
  worker.on('error', (err) => opts.onError?.(err));
  worker.on('exit', () => {
    exited = true;
    outstanding = 0;
    wakeIdle();
    stoppedWaiter?.();
  });
  worker.unref();

  return {
    request() {
      if (stopping || exited) return;
      if (outstanding++ === 0) worker.ref();
      worker.postMessage({ type: 'run' } satisfies IndexerCommand);
    },
    idle() {
      if (outstanding === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      if (exited) return;
      stopping = true;
      worker.ref();
      const stopped = new Promise<void>((resolve) => (stoppedWaiter = resolve));
      worker.postMessage({ type: 'stop' } satisfies IndexerCommand);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), opts.stopTimeoutMs ?? 5000)));
      // A batch cut short by the time limit is not lost: the store still lists its papers as needing a vector.
      await Promise.race([stopped, late]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
