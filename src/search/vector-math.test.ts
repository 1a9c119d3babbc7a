import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dequantise, dot, quantise, quantiseMatrix, topKFloat, topKInt8 } from './vector-math.js';
import { l2normalise } from './embedder.js';

/** Deterministic pseudo-random unit vectors (a small LCG), rows x dims. */
function unitRows(rows: number, dims: number, seed = 7): Float32Array {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const m = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) m.set(l2normalise(Float32Array.from({ length: dims }, next)), r * dims);
  return m;
}

describe('quantise / dequantise', () => {
  it('maps the largest magnitude to +-127 and rounds the rest', () => {
    const { q, scale } = quantise([0.5, -0.25, 0.001, -0.5]);
    assert.deepEqual([...q], [127, -64, 0, -127]);
    assert.equal(scale, 0.5 / 127);
    assert.deepEqual([...dequantise(q, scale)].map((x) => Math.round(x * 1000) / 1000), [0.5, -0.252, 0, -0.5]);
  });

  it('keeps a zero vector zero and rejects non-finite input', () => {
    assert.deepEqual(quantise([0, 0]), { q: new Int8Array(2), scale: 0 });
    assert.throws(() => quantise([1, Number.NaN]), RangeError);
  });

  it('preserves cosine similarity of 512-d unit vectors to about 1e-2', () => {
    const m = unitRows(20, 512);
    const qm = quantiseMatrix(m, 512);
    for (let r = 1; r < 20; r++) {
      const a = m.subarray(0, 512);
      const b = m.subarray(r * 512, (r + 1) * 512);
      const approx = dot(a, dequantise(qm.data.subarray(r * 512, (r + 1) * 512), qm.scales[r]!));
      assert.ok(Math.abs(approx - dot(a, b)) < 0.01, `row ${r}: ${approx} vs ${dot(a, b)}`);
    }
  });
});

describe('dot', () => {
  it('multiplies and sums, and rejects mismatched lengths', () => {
    assert.equal(dot([1, 2, 3], [4, -5, 6]), 12);
    assert.throws(() => dot([1], [1, 2]), RangeError);
  });
});

describe('top-k scans', () => {
  it('returns the best rows first, ties to the lower index', () => {
    const m = new Float32Array([1, 0, 0, 1, 0.6, 0.8, 1, 0]);
    assert.deepEqual(topKFloat(m, 2, [1, 0], 3), { indices: [0, 3, 2], scores: [1, 1, 0.6000000238418579] });
    const q = quantiseMatrix(m, 2);
    assert.deepEqual(topKInt8(q, [1, 0], 2).indices, [0, 3]);
    assert.deepEqual(topKInt8(q, [0, 1], 10).indices, [1, 2, 0, 3]);
  });

  it('int8 top-10 agrees with float top-10 on 2,000 random 512-d vectors', () => {
    const m = unitRows(2000, 512, 11);
    const qm = quantiseMatrix(m, 512);
    const queries = unitRows(5, 512, 99);
    let overlap = 0;
    for (let i = 0; i < 5; i++) {
      const query = queries.subarray(i * 512, (i + 1) * 512);
      const exact = new Set(topKFloat(m, 512, query, 10).indices);
      overlap += topKInt8(qm, query, 10).indices.filter((x) => exact.has(x)).length;
    }
    assert.ok(overlap >= 45, `only ${overlap}/50 of the exact top-10 found`);
  });

  it('handles k = 0, k > rows and rejects bad input', () => {
    const qm = quantiseMatrix(new Float32Array([1, 0]), 2);
    assert.deepEqual(topKInt8(qm, [1, 0], 0), { indices: [], scores: [] });
    assert.equal(topKInt8(qm, [1, 0], 5).indices.length, 1);
    assert.throws(() => topKInt8(qm, [1, 0, 0], 1), RangeError);
    assert.throws(() => topKInt8(qm, [1, 0], -1), RangeError);
    assert.throws(() => quantiseMatrix(new Float32Array(3), 2), RangeError);
  });
});
