import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedEmbedding, tinyWeights, writeTinyModel } from '../../test/support/tiny-onnx-model.js';
import { createEmbedder } from './embedder-config.js';
import { EmbedderSetupError, importTransformers, inspectModelDir, loadOnnxEmbedder, OnnxEmbedder } from './onnx-embedder.js';
import type { TransformersModule } from './onnx-embedder.js';
import { dot } from './vector-math.js';
import { WorkerEmbedder } from './worker-embedder.js';

const root = mkdtempSync(join(tmpdir(), 'paperboy-onnx-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A directory laid out like a sentence-transformers ONNX export, with placeholder files. */
function modelDir(name: string, opts: { hidden?: number; cls?: boolean; quantized?: boolean } = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: opts.hidden ?? 4 }));
  writeFileSync(join(dir, 'tokenizer.json'), '{}');
  writeFileSync(join(dir, 'onnx', opts.quantized ? 'model_quantized.onnx' : 'model.onnx'), 'weights');
  if (opts.cls !== undefined) {
    mkdirSync(join(dir, '1_Pooling'), { recursive: true });
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: opts.cls, pooling_mode_mean_tokens: !opts.cls }));
  }
  return dir;
}

/** Stands in for @huggingface/transformers: records how it was called, returns [len, 1, 0, ...] per text. */
function fakeLibrary(dims = 4) {
  const calls: { pipeline: unknown[][]; extract: unknown[][] } = { pipeline: [], extract: [] };
  const lib: TransformersModule = {
    env: { allowRemoteModels: true, allowLocalModels: false, useFSCache: true },
    async pipeline(...args) {
      calls.pipeline.push(args);
      return async (texts, opts) => {
        calls.extract.push([texts, opts]);
        const data = new Float32Array(texts.length * dims);
        texts.forEach((t, i) => {
          data[i * dims] = t.length;
          data[i * dims + 1] = 1;
        });
        return { data, dims: [texts.length, dims] };
      };
    },
  };
  return { lib, calls };
}

const TEXTS = ['Gaussian splatting of scenes', 'low bit quantization of large language models', 'speech synthesis with diffusion', 'robot policy learning'];

test('inspectModelDir reads dimensions, pooling and weights, and derives a stable id', () => {
  const mean = inspectModelDir(modelDir('all-MiniLM-L6-v2', { hidden: 384 }));
  assert.deepEqual([mean.dimensions, mean.pooling, mean.dtype], [384, 'mean', 'fp32']);
  assert.match(mean.id, /^st-all-MiniLM-L6-v2-mean-fp32-[0-9a-f]{8}$/);
  assert.equal(inspectModelDir(join(root, 'all-MiniLM-L6-v2')).id, mean.id);
  const cls = inspectModelDir(modelDir('bge-small-en-v1.5', { hidden: 384, cls: true, quantized: true }));
  assert.deepEqual([cls.pooling, cls.dtype], ['cls', 'q8']);
  assert.notEqual(inspectModelDir(modelDir('other', { hidden: 768 })).id.split('-').pop(), mean.id.split('-').pop());
});

test('a fetched directory loads the weights its manifest names, and its id follows their checksum', () => {
  const dir = modelDir('fetched', { hidden: 8 });
  writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), 'other weights');
  assert.equal(inspectModelDir(dir).dtype, 'fp32', 'without a manifest the fp32 file comes first');
  const manifest = (sha256: string) => JSON.stringify({ weights: 'onnx/model_quantized.onnx', files: { 'onnx/model_quantized.onnx': { sha256 } } });
  writeFileSync(join(dir, 'paperboy-fetch.json'), manifest('a'.repeat(64)));
  const a = inspectModelDir(dir);
  assert.equal(a.dtype, 'q8');
  writeFileSync(join(dir, 'paperboy-fetch.json'), manifest('b'.repeat(64)));
  assert.notEqual(inspectModelDir(dir).id, a.id, 'new weights of the same size get a new id');
});

test('inspectModelDir names what is missing', () => {
  assert.throws(() => inspectModelDir(join(root, 'nope')), /model directory .*nope does not exist/);
  const dir = modelDir('no-weights');
  rmSync(join(dir, 'onnx'), { recursive: true });
  assert.throws(() => inspectModelDir(dir), /has no onnx\/model.onnx or onnx\/model_quantized.onnx/);
  const noTok = modelDir('no-tokenizer');
  rmSync(join(noTok, 'tokenizer.json'));
  assert.throws(() => inspectModelDir(noTok), /has no tokenizer.json/);
  const badConfig = modelDir('bad-config');
  writeFileSync(join(badConfig, 'config.json'), '{"model_type": "bert"}');
  assert.throws(() => inspectModelDir(badConfig), (err: Error) => err instanceof EmbedderSetupError && /names no hidden_size/.test(err.message));
});

test('the embedder reads only the local directory, pools as configured and returns unit vectors in batches', async () => {
  const dir = modelDir('e5-small', { cls: true });
  const { lib, calls } = fakeLibrary();
  const embedder = await loadOnnxEmbedder(dir, async () => lib);
  assert.equal(calls.pipeline.length, 0, 'the model loads on first use');
  const texts = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i + 1));
  const out = await embedder.embed([...texts, '']);
  assert.equal(out.length, 21);
  assert.deepEqual(lib.env, { allowRemoteModels: false, allowLocalModels: true, useFSCache: false });
  assert.deepEqual(calls.pipeline, [['feature-extraction', dir, { dtype: 'fp32', local_files_only: true }]]);
  assert.deepEqual(calls.extract.map(([t, o]) => [(t as string[]).length, o]), [[16, { pooling: 'cls', normalize: true }], [5, { pooling: 'cls', normalize: true }]]);
  assert.equal((calls.extract[1]![0] as string[])[4], ' ', 'an empty text is sent as one space');
  const v = out[2]!;
  assert.ok(Math.abs(v[0]! / v[1]! - 3) < 1e-6 && Math.abs(Math.hypot(...v) - 1) < 1e-6);
  await embedder.embed(['again']);
  assert.equal(calls.pipeline.length, 1, 'loaded once');
});

test('a model whose output does not match its config is an error', async () => {
  const { lib } = fakeLibrary(8);
  const embedder = await loadOnnxEmbedder(modelDir('mismatch', { hidden: 4 }), async () => lib);
  await assert.rejects(embedder.embed(['a']), /returned a 1x8 tensor, expected 1x4/);
});

test('a missing library is explained', async () => {
  await assert.rejects(importTransformers('paperboy-no-such-package'), (err: Error) => err instanceof EmbedderSetupError && /paperboy-no-such-package is not installed: run npm install/.test(err.message));
});

function assertClose(actual: Float32Array, expected: Float32Array, what: string) {
  assert.equal(actual.length, expected.length, what);
  const worst = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i]!)));
  assert.ok(worst < 1e-5, `${what}: differs by ${worst}`);
}

test('onnx:DIR with a real (tiny) model: tokenised, run and mean-pooled as the reference computes, unit length, deterministic', async () => {
  const dir = writeTinyModel(join(root, 'tiny-mean'), { pooling: 'mean' });
  const embedder = await createEmbedder({ kind: 'onnx', modelDir: dir });
  assert.ok(embedder instanceof OnnxEmbedder);
  assert.equal(embedder.dimensions, 32);
  // One call pads the shorter texts: padding must not change their vectors.
  const vectors = await embedder.embed(TEXTS);
  assert.equal(vectors.length, TEXTS.length);
  const w = tinyWeights();
  TEXTS.forEach((t, i) => {
    assert.equal(vectors[i]!.length, 32);
    assert.ok(Math.abs(dot(vectors[i]!, vectors[i]!) - 1) < 1e-5, 'unit length');
    assertClose(vectors[i]!, expectedEmbedding(w, t, 'mean'), t);
  });
  assert.deepEqual(await embedder.embed(TEXTS), vectors, 'deterministic');
  for (let i = 0; i < TEXTS.length; i++) for (let j = i + 1; j < TEXTS.length; j++) assert.ok(dot(vectors[i]!, vectors[j]!) < 0.999, `${TEXTS[i]} / ${TEXTS[j]}`);
  // Words the vocabulary lacks become [UNK]; "models" is "model" + "##s".
  assertClose((await embedder.embed(['Models of zebras']))[0]!, expectedEmbedding(w, 'models of zebras', 'mean'), 'WordPiece');
});

test('CLS pooling comes from 1_Pooling/config.json; the quantized file is used when it is the one there', async () => {
  const cls = await createEmbedder({ kind: 'onnx', modelDir: writeTinyModel(join(root, 'tiny-cls'), { pooling: 'cls' }) });
  const w = tinyWeights();
  const [a, b] = await cls!.embed(TEXTS.slice(0, 2));
  assertClose(a!, expectedEmbedding(w, TEXTS[0]!, 'cls'), 'cls');
  assertClose(b!, expectedEmbedding(w, TEXTS[1]!, 'cls'), 'cls');
  assert.ok(dot(a!, expectedEmbedding(w, TEXTS[0]!, 'mean')) < 0.999, 'not the mean');

  const q = await createEmbedder({ kind: 'onnx', modelDir: writeTinyModel(join(root, 'tiny-q8'), { quantized: true, noFp32: true }) });
  assert.match(q!.id, /^st-tiny-q8-mean-q8-/);
  assertClose((await q!.embed([TEXTS[0]!]))[0]!, expectedEmbedding(tinyWeights(32, 1001), TEXTS[0]!, 'mean'), 'quantized weights');
});

test('onnx:DIR in a worker thread (as serve runs it) gives the same vectors', async () => {
  const dir = writeTinyModel(join(root, 'tiny-worker'), { pooling: 'mean' });
  const worker = await WorkerEmbedder.start({ kind: 'onnx', modelDir: dir });
  try {
    assert.equal(worker.dimensions, 32);
    assert.equal(worker.id, inspectModelDir(dir).id);
    const vectors = await worker.embed(TEXTS);
    TEXTS.forEach((t, i) => assertClose(vectors[i]!, expectedEmbedding(tinyWeights(), t, 'mean'), t));
  } finally {
    await worker.close();
  }
});
