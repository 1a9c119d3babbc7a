// Both vector sets (exact scan and HNSW graph) against an exact float scan, on real USE-lite vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEmbedding } from '../store/store.js';
import { ExactVectors, type VectorSet } from './exact-vectors.js';
import { HnswVectors } from './hnsw-vectors.js';
import { quantise, topKFloat } from './vector-math.js';
import { fixtureVectors } from '../../test/fixtures/semantic/kit.js';

const floats = [...fixtureVectors()];
const D = 512;
let seq = 0;
const rows = (entries: [string, Float32Array][]): StoredEmbedding[] =>
  entries.map(([paperId, v]) => {
    const { q, scale } = quantise(v);
    return { seq: ++seq, paperId, textHash: 'h', scale, vector: q };
  });

const matrix = Float32Array.from(floats.flatMap(([, v]) => Array.from(v)));
const exactTop = (query: Float32Array, k: number) => topKFloat(matrix, D, query, k).indices.map((i) => floats[i]![0]);

for (const make of [() => new ExactVectors(D, 4), () => HnswVectors.create(D)] as (() => VectorSet)[]) {
  const kind = make().kind;
  // An HNSW graph is approximate: asking for (nearly) every vector may miss a few.
  const assertAllReturned = (found: number, expected: number) => {
    if (kind === 'exact') assert.equal(found, expected);
    else assert.ok(found >= expected - 4 && found <= expected, `found ${found} of ${expected}`);
  };

  test(`${kind} vectors: nearest papers match an exact float scan; scores are cosines`, () => {
    const set = make();
    set.upsert(rows(floats.slice(0, 30)));
    set.upsert(rows(floats.slice(30))); // grows past its initial capacity
    assert.equal(set.size(), 60);
    for (const [id, v] of floats.slice(0, 10)) {
      const found = set.search(v, 5);
      assert.equal(found.ids[0], id);
      assert.ok(Math.abs(found.scores[0]! - 1) < 0.01);
      assert.deepEqual(found.ids, exactTop(v, 5));
    }
    assert.deepEqual(set.search(floats[0]![1], 0), { ids: [], scores: [] });
    assertAllReturned(set.search(floats[0]![1], 100).ids.length, 60);
    assert.throws(() => set.search(new Float32Array(3), 1), /query has 3 dimensions, expected 512/);
    assert.throws(() => set.upsert(rows([['x', new Float32Array(3).fill(0.5)]])), /vector of x has 3 dimensions/);
  });

  test(`${kind} vectors: a paper's new vector replaces its old one; removed papers are not found`, () => {
    const set = make();
    set.upsert(rows(floats));
    const [a, b, c] = floats;
    set.upsert(rows([[a![0], b![1]]])); // paper a now has b's vector
    assert.equal(set.size(), 60);
    assert.deepEqual(new Set(set.search(b![1], 2).ids), new Set([a![0], b![0]]));
    assert.ok(!set.search(a![1], 3).ids.includes(a![0]));
    set.remove([b![0], c![0], 'unknown']);
    assert.equal(set.size(), 58);
    assert.ok(!set.has(b![0]) && set.has(a![0]));
    const found = set.search(c![1], 60).ids;
    assertAllReturned(found.length, 58);
    assert.ok(!found.includes(b![0]) && !found.includes(c![0]));
    assert.equal(set.search(floats[5]![1], 1).ids[0], floats[5]![0]);
  });
}
