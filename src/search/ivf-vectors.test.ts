// Inverted lists against an exact scan: clustered vectors (like papers on a
// few hundred subjects), recall of the nearest neighbours, changes after
// training, and training in steps that let the event loop through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEmbedding } from '../store/store.js';
import { mulberry32 } from '../random.js';
import { ExactVectors } from './exact-vectors.js';
import { IvfVectors } from './ivf-vectors.js';
import { quantise } from './vector-math.js';

const D = 64;

/** `n` unit vectors around `clusters` random centres, seeded. */
function clustered(n: number, clusters: number, seed: number): [string, Float32Array][] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: D }, gauss));
  return Array.from({ length: n }, (_, i) => {
    const c = centres[Math.floor(random() * clusters)]!;
    const v = Float32Array.from(c, (x) => x + 0.6 * gauss());
    const norm = Math.hypot(...v);
    return [`p${i}`, v.map((x) => x / norm)];
  });
}

let seq = 0;
const rows = (entries: [string, Float32Array][]): StoredEmbedding[] =>
  entries.map(([paperId, v]) => {
    const { q, scale } = quantise(v);
    return { seq: ++seq, paperId, textHash: 'h', scale, vector: q };
  });

const data = clustered(6000, 60, 7);
const queries = clustered(50, 60, 7).map(([, v], i) => [`q${i}`, v] as [string, Float32Array]);

async function trainedSets(probeShare: number): Promise<{ ivf: IvfVectors; exact: ExactVectors }> {
  const ivf = new IvfVectors(D, { probeShare });
  const exact = new ExactVectors(D);
  ivf.upsert(rows(data));
  exact.upsert(rows(data));
  await ivf.train();
  return { ivf, exact };
}

function recallAt10(ivf: IvfVectors, exact: ExactVectors): number {
  let hit = 0;
  for (const [, q] of queries) {
    const want = new Set(exact.search(q, 10).ids);
    hit += ivf.search(q, 10).ids.filter((id) => want.has(id)).length;
  }
  return hit / (queries.length * 10);
}

test('ivf vectors: trained lists find what an exact scan finds; probing every list is exact', async () => {
  const { ivf, exact } = await trainedSets(0.2);
  assert.equal(ivf.trained, true);
  assert.equal(ivf.size(), 6000);
  assert.equal(ivf.listCount, Math.round(Math.sqrt(6000)));
  assert.equal(ivf.probes, Math.ceil(ivf.listCount * 0.2));
  const recall = recallAt10(ivf, exact);
  assert.ok(recall >= 0.9, `recall@10 ${recall}`);

  const all = await trainedSets(1);
  for (const [, q] of queries.slice(0, 10)) {
    const a = all.ivf.search(q, 20);
    const b = all.exact.search(q, 20);
    assert.deepEqual(a.ids, b.ids);
    a.scores.forEach((s, i) => assert.ok(Math.abs(s - b.scores[i]!) < 1e-6));
  }
});

test('ivf vectors: before training they are searched exactly', () => {
  const ivf = new IvfVectors(D);
  const exact = new ExactVectors(D);
  ivf.upsert(rows(data.slice(0, 500)));
  exact.upsert(rows(data.slice(0, 500)));
  assert.equal(ivf.trained, false);
  for (const [, q] of queries.slice(0, 5)) assert.deepEqual(ivf.search(q, 10), exact.search(q, 10));
});

test('ivf vectors: after training, new papers join a list, replaced and removed ones move or leave', async () => {
  const { ivf } = await trainedSets(0.2);
  const [added] = clustered(1, 60, 99);
  ivf.upsert(rows([['new', added![1]]]));
  assert.equal(ivf.size(), 6001);
  assert.equal(ivf.search(added![1], 1).ids[0], 'new');

  // A paper's new vector replaces its old one.
  const [, otherVector] = data[4000]!;
  ivf.upsert(rows([['p0', otherVector]]));
  assert.equal(ivf.size(), 6001);
  const near = ivf.search(otherVector, 2).ids;
  assert.ok(near.includes('p0') && near.includes('p4000'), near.join());

  // Removing a row moves its list's last row into its place: every other paper keeps its vector.
  const before = new Map(data.slice(1, 300).map(([id]) => [id, ivf.vectorOf(id)!]));
  ivf.remove(['p1', 'p2', 'missing']);
  assert.equal(ivf.size(), 5999);
  assert.equal(ivf.has('p1'), false);
  assert.equal(ivf.vectorOf('p2'), null);
  assert.ok(!ivf.search(data[1]![1], 10).ids.includes('p1'));
  for (const [id, v] of before) if (id !== 'p1' && id !== 'p2') assert.deepEqual(ivf.vectorOf(id), v, id);
});

test('ivf vectors: training lets the event loop run between its steps', async () => {
  const ivf = new IvfVectors(D, { rounds: 2 });
  ivf.upsert(rows(data));
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  try {
    await ivf.train();
  } finally {
    clearInterval(timer);
  }
  // 6,000 rows in steps of 4,096: two steps per k-means round and two for the assignment.
  assert.ok(turns >= 3, `${turns} timer turns during training`);
});
