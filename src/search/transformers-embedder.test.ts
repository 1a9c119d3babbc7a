import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbedderSetupError, importTransformers, inspectModelDir, loadTransformersEmbedder } from './transformers-embedder.js';
import type { TransformersModule } from './transformers-embedder.js';

const root = mkdtempSync(join(tmpdir(), 'paperboy-transformers-'));

/** A directory laid out like a sentence-transformers ONNX export. */
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
    env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/models/' },
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

test('inspectModelDir reads dimensions, pooling and weights, and derives a stable id', () => {
  const mean = inspectModelDir(modelDir('all-MiniLM-L6-v2', { hidden: 384 }));
  assert.deepEqual([mean.dimensions, mean.pooling, mean.dtype], [384, 'mean', 'fp32']);
  assert.match(mean.id, /^st-all-MiniLM-L6-v2-mean-fp32-[0-9a-f]{8}$/);
  assert.equal(inspectModelDir(join(root, 'all-MiniLM-L6-v2')).id, mean.id);
  const cls = inspectModelDir(modelDir('bge-small-en-v1.5', { hidden: 384, cls: true, quantized: true }));
  assert.deepEqual([cls.pooling, cls.dtype], ['cls', 'q8']);
  assert.notEqual(inspectModelDir(modelDir('other', { hidden: 768 })).id.split('-').pop(), mean.id.split('-').pop());
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

test('the embedder loads only the local directory, pools as configured and returns unit vectors in batches', async () => {
  const dir = modelDir('e5-small', { cls: true });
  const { lib, calls } = fakeLibrary();
  const embedder = await loadTransformersEmbedder(dir, async () => lib);
  assert.equal(calls.pipeline.length, 0, 'the model loads on first use');
  const texts = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i + 1));
  const out = await embedder.embed([...texts, '']);
  assert.equal(out.length, 21);
  assert.deepEqual(lib.env, { allowRemoteModels: false, allowLocalModels: true, localModelPath: `${root}/` });
  assert.deepEqual(calls.pipeline, [['feature-extraction', 'e5-small', { dtype: 'fp32', local_files_only: true }]]);
  assert.deepEqual(calls.extract.map(([t, o]) => [(t as string[]).length, o]), [[16, { pooling: 'cls', normalize: true }], [5, { pooling: 'cls', normalize: true }]]);
  assert.equal((calls.extract[1]![0] as string[])[4], ' ', 'an empty text is sent as one space');
  const v = out[2]!;
  assert.ok(Math.abs(v[0]! / v[1]! - 3) < 1e-6 && Math.abs(Math.hypot(...v) - 1) < 1e-6);
  await embedder.embed(['again']);
  assert.equal(calls.pipeline.length, 1, 'loaded once');
});

test('a model whose output does not match its config is an error', async () => {
  const { lib } = fakeLibrary(8);
  const embedder = await loadTransformersEmbedder(modelDir('mismatch', { hidden: 4 }), async () => lib);
  await assert.rejects(embedder.embed(['a']), /returned a 1x8 tensor, expected 1x4/);
});

test('without @huggingface/transformers installed the error says what to install', async () => {
  await assert.rejects(importTransformers(), /^Error: install @huggingface\/transformers to use PAPERBOY_EMBEDDER=transformers:/);
  await assert.rejects(importTransformers('paperboy-no-such-package'), EmbedderSetupError);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
