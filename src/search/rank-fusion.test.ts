import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseScores, reciprocalRankFusion, scoreFusion, type Ranking } from './rank-fusion.js';

const A: Ranking = { ids: ['a', 'b', 'c'], scores: [10, 5, 0] };
const B: Ranking = { ids: ['b', 'd'], scores: [0.9, 0.5] };

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over rankers (k = 60 by default)', () => {
    const r = reciprocalRankFusion([{ ranking: A }, { ranking: B }]);
    assert.deepEqual(r.ids, ['b', 'a', 'd', 'c']);
    assert.deepEqual(r.scores, [1 / 62 + 1 / 61, 1 / 61, 1 / 62, 1 / 63]);
  });

  it('applies per-ranker weights and a custom k', () => {
    const r = reciprocalRankFusion([{ ranking: A }, { ranking: B, weight: 2 }]);
    assert.deepEqual(r.ids, ['b', 'd', 'a', 'c']);
    const k0 = reciprocalRankFusion([{ ranking: A }, { ranking: B }], { k: 0, limit: 2 });
    assert.deepEqual(k0, { ids: ['b', 'a'], scores: [1.5, 1] });
  });

  it('breaks ties by best rank, then id; counts a duplicate once', () => {
    const r = reciprocalRankFusion([{ ranking: { ids: ['y', 'x'], scores: [2, 1] } }, { ranking: { ids: ['x', 'y', 'x'], scores: [3, 2, 1] } }]);
    assert.deepEqual(r.ids, ['x', 'y']);
    assert.equal(r.scores[0], r.scores[1]);
  });

  it('rejects malformed input', () => {
    assert.throws(() => reciprocalRankFusion([{ ranking: { ids: ['a'], scores: [] } }]), TypeError);
    assert.throws(() => reciprocalRankFusion([{ ranking: A, weight: -1 }]), RangeError);
    assert.throws(() => reciprocalRankFusion([{ ranking: A }], { k: Number.NaN }), RangeError);
    assert.deepEqual(reciprocalRankFusion([]), { ids: [], scores: [] });
  });
});

describe('normaliseScores', () => {
  it('min-max maps to [0, 1], equal scores to 1', () => {
    assert.deepEqual(normaliseScores([10, 5, 0], 'minmax'), [1, 0.5, 0]);
    assert.deepEqual(normaliseScores([3, 3], 'minmax'), [1, 1]);
  });

  it('z-score centres and scales', () => {
    const z = normaliseScores([10, 5, 0], 'zscore');
    assert.ok(Math.abs(z[0]! - Math.sqrt(1.5)) < 1e-12 && z[1] === 0 && Math.abs(z[2]! + Math.sqrt(1.5)) < 1e-12);
    assert.throws(() => normaliseScores([1, Number.NaN], 'minmax'), RangeError);
  });

  it('copes with lists too long to spread into Math.min', () => {
    const long = Array.from({ length: 300_000 }, (_, i) => i);
    const n = normaliseScores(long, 'minmax');
    assert.equal(n[0], 0);
    assert.equal(n[299_999], 1);
  });
});

describe('scoreFusion', () => {
  it('adds weighted min-max scores; a missing document gets the ranker floor', () => {
    const r = scoreFusion([{ ranking: A }, { ranking: B }]);
    assert.deepEqual(r, { ids: ['b', 'a', 'd', 'c'], scores: [1.5, 1, 0, 0] });
  });

  it('is a convex combination with weights', () => {
    const r = scoreFusion([{ ranking: A, weight: 0.3 }, { ranking: B, weight: 0.7 }], { limit: 2 });
    assert.deepEqual(r.ids, ['b', 'a']);
    assert.ok(Math.abs(r.scores[0]! - 0.85) < 1e-12 && Math.abs(r.scores[1]! - 0.3) < 1e-12);
  });
});
