import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmbedder, EmbedderSetupError, embedderFromEnv, parseEmbedderSpec, parseVectorIndexKind } from './embedder-config.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';
import { dot } from './vector-math.js';

test('PAPERBOY_EMBEDDER: use-lite by default, off, transformers:DIR, hash-test[:delay]', () => {
  assert.deepEqual(parseEmbedderSpec(undefined), { kind: 'use-lite' });
  assert.deepEqual(parseEmbedderSpec(' use-lite '), { kind: 'use-lite' });
  assert.deepEqual(parseEmbedderSpec('off'), { kind: 'off' });
  assert.deepEqual(parseEmbedderSpec('transformers:/models/bge-small-en-v1.5'), { kind: 'transformers', modelDir: '/models/bge-small-en-v1.5' });
  assert.deepEqual(parseEmbedderSpec('hash-test'), { kind: 'hash-test', delayMs: 0 });
  assert.deepEqual(parseEmbedderSpec('hash-test:25'), { kind: 'hash-test', delayMs: 25 });
  for (const bad of ['transformers:', 'transformers: ', 'USE', 'hash-test:x', 'openai']) {
    assert.throws(() => parseEmbedderSpec(bad), (err: Error) => err instanceof EmbedderSetupError && err.message.startsWith('PAPERBOY_EMBEDDER: '), bad);
  }
});

test('PAPERBOY_VECTOR_INDEX: auto by default, exact or hnsw', () => {
  assert.equal(parseVectorIndexKind(undefined), 'auto');
  assert.equal(parseVectorIndexKind('hnsw'), 'hnsw');
  assert.equal(parseVectorIndexKind('exact'), 'exact');
  assert.throws(() => parseVectorIndexKind('faiss'), /PAPERBOY_VECTOR_INDEX: expected auto, exact or hnsw, got "faiss"/);
});

test('createEmbedder builds the named embedder; off is null', async () => {
  assert.equal(await createEmbedder({ kind: 'off' }), null);
  assert.ok((await createEmbedder({ kind: 'use-lite' })) instanceof UseLiteEmbedder);
  assert.ok((await embedderFromEnv({ PAPERBOY_EMBEDDER: 'hash-test' })) instanceof HashTestEmbedder);
  await assert.rejects(createEmbedder({ kind: 'transformers', modelDir: '/nonexistent/model' }), /model directory \/nonexistent\/model does not exist/);
});

test('the hash test embedder is deterministic, unit length, and closer for texts sharing words', async () => {
  const e = new HashTestEmbedder();
  const [a, b, c, a2, empty] = await e.embed(['Gaussian splatting of scenes', 'Splatting gaussian scenes quickly', 'Speech synthesis', 'Gaussian splatting of scenes', '']);
  assert.deepEqual(a, a2);
  assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-6);
  assert.ok(dot(a!, b!) > 0.7 && dot(a!, c!) < 0.3);
  assert.equal(dot(empty!, empty!), 0);
  assert.throws(() => new HashTestEmbedder(-1), RangeError);
});
