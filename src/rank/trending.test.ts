import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trendingScore } from './trending.js';

test('a paper with one vote at the epoch scores 0', () => {
  assert.equal(trendingScore(1, Date.UTC(2020, 0, 1)), 0);
  assert.equal(trendingScore(0, Date.UTC(2020, 0, 1)), 0);
});

test('pinned values', () => {
  assert.equal(trendingScore(32, Date.parse('2024-05-27T03:50:58.348Z')), 3089.1731133);
  assert.equal(trendingScore(10, Date.UTC(2020, 0, 1) + 45_000_000), 2);
});

test('tenfold upvotes equal 12.5 hours of recency', () => {
  const t = Date.parse('2025-01-10T00:00:00Z');
  assert.equal(trendingScore(100, t), trendingScore(10, t + 45_000_000));
});
