import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { embedderSettings, loadConfig } from '../config.js';
import { createEmbedder, EmbedderSetupError, parseEmbedderSpec, parseVectorIndexKind } from './embedder-config.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';
import { dot } from './vector-math.js';

/** Where fetched models would be: only model names read it. */
const DATA_DIR = '/srv/paperboy';

test('PAPERBOY_EMBEDDER: the learned model by default, use-lite, off, onnx:DIR (transformers:DIR the same), hash-test[:delay]', () => {
  assert.deepEqual(parseEmbedderSpec(undefined, DATA_DIR), { kind: 'learned' });
  assert.deepEqual(parseEmbedderSpec('learned', DATA_DIR), { kind: 'learned' });
  assert.deepEqual(parseEmbedderSpec(' use-lite ', DATA_DIR), { kind: 'use-lite' });
  assert.deepEqual(parseEmbedderSpec('off', DATA_DIR), { kind: 'off' });
  assert.deepEqual(parseEmbedderSpec('onnx:/models/bge-small-en-v1.5', DATA_DIR), { kind: 'onnx', modelDir: '/models/bge-small-en-v1.5' });
  assert.deepEqual(parseEmbedderSpec('transformers:/models/bge-small-en-v1.5', DATA_DIR), { kind: 'onnx', modelDir: '/models/bge-small-en-v1.5' });
  assert.deepEqual(parseEmbedderSpec('onnx:./models/bge', DATA_DIR), { kind: 'onnx', modelDir: resolve('models/bge') });
  assert.deepEqual(parseEmbedderSpec('onnx:../bge', DATA_DIR), { kind: 'onnx', modelDir: resolve('../bge') });
  assert.deepEqual(parseEmbedderSpec('hash-test', DATA_DIR), { kind: 'hash-test', delayMs: 0 });
  assert.deepEqual(parseEmbedderSpec('hash-test:25', DATA_DIR), { kind: 'hash-test', delayMs: 25 });
  for (const bad of ['transformers:', 'onnx: ', 'onnx:a/b/c', 'onnx:a--b', 'USE', 'hash-test:x', 'openai']) {
    assert.throws(() => parseEmbedderSpec(bad, DATA_DIR), (err: Error) => err instanceof EmbedderSetupError && err.message.startsWith('PAPERBOY_EMBEDDER: '), bad);
  }
  assert.throws(() => parseEmbedderSpec('onnx:a/b/c', DATA_DIR), /onnx:a\/b\/c is neither a directory \(start it with \/ or \.\/\) nor a model name such as BAAI\/bge-small-en-v1\.5/);
});

test('onnx:ORG/NAME is a model fetched into the data dir; the data dir is PAPERBOY_DATA_DIR unless given', () => {
  assert.deepEqual(parseEmbedderSpec('onnx:BAAI/bge-small-en-v1.5', '/srv/paperboy'), {
    kind: 'onnx',
    modelDir: '/srv/paperboy/models/onnx/BAAI__bge-small-en-v1.5',
    model: 'BAAI/bge-small-en-v1.5',
  });
  assert.equal((parseEmbedderSpec('transformers:bert-tiny', '/d') as { modelDir: string }).modelDir, '/d/models/onnx/bert-tiny');
  const saved = process.env.PAPERBOY_DATA_DIR;
  try {
    for (const dataDir of [undefined, 'some/where']) {
      if (dataDir === undefined) delete process.env.PAPERBOY_DATA_DIR;
      else process.env.PAPERBOY_DATA_DIR = dataDir;
      const config = loadConfig({ ...process.env, PAPERBOY_EMBEDDER: 'onnx:BAAI/bge-small-en-v1.5' });
      assert.deepEqual(config.embedder, { kind: 'onnx', modelDir: join(config.dataDir, 'models', 'onnx', 'BAAI__bge-small-en-v1.5'), model: 'BAAI/bge-small-en-v1.5' });
    }
  } finally {
    if (saved === undefined) delete process.env.PAPERBOY_DATA_DIR;
    else process.env.PAPERBOY_DATA_DIR = saved;
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
  assert.ok((await createEmbedder(embedderSettings({ PAPERBOY_EMBEDDER: 'hash-test' }).embedder)) instanceof HashTestEmbedder);
  await assert.rejects(createEmbedder({ kind: 'onnx', modelDir: '/nonexistent/model' }), /model directory \/nonexistent\/model does not exist/);
  await assert.rejects(createEmbedder({ kind: 'transformers', modelDir: '/nonexistent/model' }), /model directory \/nonexistent\/model does not exist/);
  await assert.rejects(
    createEmbedder(parseEmbedderSpec('onnx:BAAI/bge-small-en-v1.5', '/nonexistent')),
    /^Error: model BAAI\/bge-small-en-v1\.5 has not been fetched into \/nonexistent\/models\/onnx\/BAAI__bge-small-en-v1\.5: run paperboy model fetch BAAI\/bge-small-en-v1\.5$/,
  );
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
