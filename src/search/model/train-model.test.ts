// Which papers a model is trained on: calibration's pseudo-queries are held
// out of training, by a seeded draw, so calibration measures the model on
// text it has never seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../random.js';
import type { SampledPaper } from './sample.js';
import { calibrationHoldout, CONTRASTIVE_PAIRS_PAPERS, epochPairs, HOLDOUT_PAPERS, usableAsPseudoQuery } from './train-model.js';

function papers(n: number): SampledPaper[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `2401.${String(i).padStart(5, '0')}`,
    // Every fifth title is too short to say anything as a query.
    title: i % 5 === 0 ? 'Untitled' : `Sparse attention kernels for long context number ${i}`,
    abstract: i % 7 === 0 ? '' : `We study attention ${i}.`,
  }));
}

test('a quarter of a small sample, at most HOLDOUT_PAPERS of a large one, is held out, only papers usable as queries', () => {
  for (const [n, expected] of [
    [100, 25],
    [10_000, HOLDOUT_PAPERS],
  ] as const) {
    const sample = papers(n);
    const { train, heldOut } = calibrationHoldout(sample, mulberry32(3));
    assert.equal(heldOut.length, expected);
    assert.equal(train.length + heldOut.length, n);
    assert.ok(heldOut.every(usableAsPseudoQuery), 'held-out papers have a title of 3+ stems and an abstract');
    const trained = new Set(train.map((p) => p.id));
    assert.ok(heldOut.every((p) => !trained.has(p.id)), 'no held-out paper is trained on');
  }
});

test('the same seed holds out the same papers; another seed others', () => {
  const sample = papers(2_000);
  const ids = (seed: number) => calibrationHoldout(sample, mulberry32(seed)).heldOut.map((p) => p.id);
  assert.deepEqual(ids(5), ids(5));
  assert.notDeepEqual(ids(5), ids(6));
});

test('an epoch of contrastive pairs comes from at most CONTRASTIVE_PAIRS_PAPERS papers, all of a smaller sample', () => {
  const titled = (n: number) => papers(n).map((p) => ({ ...p, abstract: `We study attention number ${p.id}.` }));
  const small = titled(100);
  assert.equal(epochPairs(small, mulberry32(1)).length, small.filter((p) => p.title.trim() !== '').length);
  const large = titled(CONTRASTIVE_PAIRS_PAPERS + 5_000);
  const pairs = epochPairs(large, mulberry32(1));
  assert.equal(pairs.length, CONTRASTIVE_PAIRS_PAPERS, 'one (title, abstract) pair per drawn paper (these abstracts are one sentence)');
  assert.equal(new Set(pairs.map(([, abstract]) => abstract)).size, CONTRASTIVE_PAIRS_PAPERS, 'each paper drawn once');
  assert.notDeepEqual(pairs, epochPairs(large, mulberry32(2)), 'another draw, other papers');
});
