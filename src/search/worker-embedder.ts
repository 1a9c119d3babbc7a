// An Embedder whose model runs in a worker thread, so that embedding a query
// (14-25 ms of USE-lite) never holds the event loop that answers requests.
// Requests queue in the worker and are embedded together; the queue is
// bounded, and a request that waits too long fails, so search falls back to
// keyword results instead of hanging. A worker that dies is started again on
// the next request.
import type { Worker } from 'node:worker_threads';
import { spawnWorker, workerEntry } from '../workers/spawn-worker.js';
import type { EmbedderSpec } from './embedder-config.js';
import { EmbedderSetupError } from './embedder-config.js';
import type { Embedder } from './embedder.js';

export interface EmbedderWorkerData {
  spec: EmbedderSpec;
  maxTextsPerCall: number;
}

export interface EmbedRequest {
  id: number;
  texts: string[];
}

export type WorkerReply =
  | { type: 'ready'; embedderId: string; dimensions: number }
  | { type: 'failed'; message: string }
  | { type: 'vectors'; id: number; vectors: Float32Array[]; calls: number }
  | { type: 'error'; id: number; message: string };

export interface WorkerEmbedderOptions {
  /** Texts waiting in the worker beyond which embed() fails at once (default 256). */
  maxPendingTexts?: number;
  /** A request not answered within this long fails (default 10 s). */
  timeoutMs?: number;
  /** Texts per model call in the worker (default 32). */
  maxTextsPerCall?: number;
  /** The worker failed (its requests fail too); default: written to standard error. */
  onWorkerError?: (err: Error) => void;
}

/** The worker has more work queued than it may take: answer without it. */
export class EmbedderBusyError extends Error {}

interface Pending {
  texts: number;
  resolve: (v: Float32Array[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const ENTRY = workerEntry('embedder-worker', import.meta.url);

export class WorkerEmbedder implements Embedder {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private pendingTexts = 0;
  private nextId = 1;
  private closed = false;
  /** Model calls the current worker has made (requests answered together share one). */
  modelCalls = 0;

  private constructor(
    readonly id: string,
    readonly dimensions: number,
    private readonly spec: EmbedderSpec,
    private readonly opts: Required<WorkerEmbedderOptions>,
    worker: Worker,
  ) {
    this.adopt(worker);
  }

  /** Starts the worker and waits until its model is loaded; a model that cannot load is an EmbedderSetupError. */
  static async start(spec: EmbedderSpec, options: WorkerEmbedderOptions = {}): Promise<WorkerEmbedder> {
    const opts = { maxPendingTexts: 256, timeoutMs: 10_000, maxTextsPerCall: 32, onWorkerError: (err: Error) => console.error('[paperboy] embedding worker failed:', err), ...options };
    const { worker, ready } = await launch(spec, opts.maxTextsPerCall);
    return new WorkerEmbedder(ready.embedderId, ready.dimensions, spec, opts, worker);
  }

  /** Texts sent to the worker and not yet answered. */
  get queued(): number {
    return this.pendingTexts;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError('embed() takes an array of strings');
    if (texts.length === 0) return [];
    if (this.closed) throw new Error('the embedder is closed');
    if (this.pendingTexts + texts.length > this.opts.maxPendingTexts && this.pendingTexts > 0) {
      throw new EmbedderBusyError(`the embedding worker is busy (${this.pendingTexts} texts queued)`);
    }
    // Counted at once, so that calls made before the worker is (re)started see each other.
    this.pendingTexts += texts.length;
    let worker: Worker;
    try {
      worker = await this.running();
    } catch (err) {
      this.pendingTexts -= texts.length;
      throw err;
    }
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, new Error(`embedding took longer than ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { texts: texts.length, resolve, reject, timer });
      worker.postMessage({ id, texts } satisfies EmbedRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the embedder is closed'));
    if (worker) await worker.terminate();
  }

  private async running(): Promise<Worker> {
    if (this.worker) return this.worker;
    this.starting ??= launch(this.spec, this.opts.maxTextsPerCall)
      .then(({ worker }) => {
        this.adopt(worker);
        return worker;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'vectors') {
        this.modelCalls = msg.calls;
        this.settle(msg.id, null, msg.vectors);
      }
      else if (msg.type === 'error') this.settle(msg.id, new Error(msg.message));
    });
    worker.on('error', this.opts.onWorkerError);
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new Error('the embedding worker stopped'));
    });
    // An idle worker must not keep a finished command alive; a busy one does (see embed and settle).
    worker.unref();
  }

  private settle(id: number, err: Error | null, vectors?: Float32Array[]): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.pendingTexts -= p.texts;
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    if (err) p.reject(err);
    else p.resolve(vectors!);
  }

  private failAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, err);
  }
}

function launch(spec: EmbedderSpec, maxTextsPerCall: number): Promise<{ worker: Worker; ready: Extract<WorkerReply, { type: 'ready' }> }> {
  const worker = spawnWorker(ENTRY, { workerData: { spec, maxTextsPerCall } satisfies EmbedderWorkerData, name: 'paperboy-embedder' });
  return new Promise((resolve, reject) => {
    const onMessage = (msg: WorkerReply) => {
      if (msg.type === 'ready') {
        cleanup();
        resolve({ worker, ready: msg });
      } else if (msg.type === 'failed') {
        cleanup();
        void worker.terminate();
        reject(new EmbedderSetupError(msg.message));
      }
    };
    const onError = (err: Error) => {
      cleanup();
      void worker.terminate();
      reject(new EmbedderSetupError(`the embedding worker failed to start: ${err.message}`));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new EmbedderSetupError(`the embedding worker exited with code ${code} before its model loaded`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
