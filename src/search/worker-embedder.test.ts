import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbedderSetupError } from './embedder-config.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { EmbedderBusyError, WorkerEmbedder } from './worker-embedder.js';

test('vectors from the worker equal the model run in this thread, in order', async () => {
  const embedder = await WorkerEmbedder.start({ kind: 'hash-test', delayMs: 0 });
  try {
    const local = new HashTestEmbedder();
    assert.equal(embedder.id, local.id);
    assert.equal(embedder.dimensions, local.dimensions);
    const texts = ['gaussian splatting', 'diffusion transformers for video', '', 'speech synthesis'];
    assert.deepEqual(await embedder.embed(texts), await local.embed(texts));
    assert.deepEqual(await embedder.embed([]), []);
  } finally {
    await embedder.close();
  }
});

test('requests that arrive while the model is busy are answered together, each with its own vectors', async () => {
  const embedder = await WorkerEmbedder.start({ kind: 'hash-test', delayMs: 200, busy: true });
  try {
    const local = new HashTestEmbedder();
    const queries = ['a', 'b c', 'd e f', 'g', 'h i', 'j'];
    const answers = await Promise.all(queries.map((q) => embedder.embed([q])));
    for (let i = 0; i < queries.length; i++) assert.deepEqual(answers[i], await local.embed([queries[i]!]));
    // At most the first alone, then the five queued behind it.
    assert.ok(embedder.modelCalls <= 2, `six requests took ${embedder.modelCalls} model calls`);
  } finally {
    await embedder.close();
  }
});

test('the model never holds this thread: timers keep firing while it computes', async () => {
  const embedder = await WorkerEmbedder.start({ kind: 'hash-test', delayMs: 1000, busy: true });
  try {
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    await embedder.embed(['one second of model time']);
    clearInterval(ticker);
    assert.ok(longestGap < 500, `longest pause of this thread ${longestGap.toFixed(0)} ms while the model held its own for 1,000`);
  } finally {
    await embedder.close();
  }
});

test('a full queue answers at once with EmbedderBusyError; a slow answer times out', async () => {
  const embedder = await WorkerEmbedder.start({ kind: 'hash-test', delayMs: 300, busy: true }, { maxPendingTexts: 4, timeoutMs: 250 });
  try {
    const first = embedder.embed(['a', 'b', 'c']);
    await assert.rejects(embedder.embed(['d', 'e']), EmbedderBusyError);
    await assert.rejects(first, /embedding took longer than 250 ms/);
  } finally {
    await embedder.close();
  }
});

test('a model that cannot load is an EmbedderSetupError naming why', async () => {
  await assert.rejects(WorkerEmbedder.start({ kind: 'transformers', modelDir: '/nonexistent/model' }), (err: unknown) => {
    assert.ok(err instanceof EmbedderSetupError);
    assert.match((err as Error).message, /model directory \/nonexistent\/model does not exist/);
    return true;
  });
});

test('a worker that dies fails what it was doing, and the next request starts a new one', async () => {
  const embedder = await WorkerEmbedder.start({ kind: 'hash-test', delayMs: 0 });
  try {
    const worker = (embedder as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    const [v] = await embedder.embed(['after a restart']);
    assert.equal(v!.length, embedder.dimensions);
  } finally {
    await embedder.close();
  }
});
