// Worker thread that embeds texts for the main thread (worker-embedder.ts).
// Requests that arrive while the model is busy are embedded together in the
// next call: USE-lite embeds 8 short queries in 33 ms, one in 14-25 ms.
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder } from './embedder-config.js';
import type { EmbedderSpec } from './embedder-config.js';
import type { Embedder } from './embedder.js';
import type { EmbedRequest, EmbedderWorkerData, WorkerReply } from './worker-embedder.js';

const port = parentPort!;
const { spec, maxTextsPerCall } = workerData as EmbedderWorkerData;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

let embedder: Embedder | null;
try {
  embedder = await createEmbedder(spec as EmbedderSpec);
  if (!embedder) throw new Error('semantic search is off: nothing to embed with');
  post({ type: 'ready', embedderId: embedder.id, dimensions: embedder.dimensions });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  embedder = null;
}

const queue: EmbedRequest[] = [];
let draining = false;
let calls = 0;

/** Lets the port deliver every message that arrived meanwhile: a model call holds this thread. */
const deliverPending = () => new Promise((resolve) => setImmediate(resolve));

async function drain(model: Embedder): Promise<void> {
  draining = true;
  await deliverPending();
  while (queue.length > 0) {
    // Whole requests, as many as fit one call (always at least one).
    const batch: EmbedRequest[] = [queue.shift()!];
    let texts = batch[0]!.texts.length;
    while (queue.length > 0 && texts + queue[0]!.texts.length <= maxTextsPerCall) {
      texts += queue[0]!.texts.length;
      batch.push(queue.shift()!);
    }
    try {
      const vectors = await model.embed(batch.flatMap((r) => r.texts));
      calls++;
      let at = 0;
      for (const r of batch) {
        const mine = vectors.slice(at, at + r.texts.length);
        at += r.texts.length;
        post({ type: 'vectors', id: r.id, vectors: mine, calls }, mine.map((v) => v.buffer as ArrayBuffer));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const r of batch) post({ type: 'error', id: r.id, message });
    }
    await deliverPending();
  }
  draining = false;
}

port.on('message', (msg: EmbedRequest) => {
  if (!embedder) {
    post({ type: 'error', id: msg.id, message: 'the embedder failed to load' });
    return;
  }
  queue.push(msg);
  if (!draining) void drain(embedder);
});
