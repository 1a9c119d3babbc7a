// The join threshold of a calibration: a percentile of query-to-paper
// similarities that lets about RANDOM_JOINS papers of the whole collection
// in, whatever its size, and never less strict than JOIN_PERCENTILE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { mulberry32 } from '../../random.js';
import { paperText } from '../embedder.js';
import { calibrateOn, JOIN_PERCENTILE, joinPercentile, RANDOM_JOINS } from './calibrate.js';
import { LearnedEmbedder } from './learned-embedder.js';
import { trainLsa } from './lsa.js';
import { MODEL_FORMAT, modelId } from './model-file.js';
import type { SampledPaper } from './sample.js';

test('joinPercentile: JOIN_PERCENTILE up to the demo size, then about RANDOM_JOINS papers of the collection', () => {
  assert.equal(joinPercentile(1_000), JOIN_PERCENTILE);
  assert.equal(joinPercentile(9_877), JOIN_PERCENTILE);
  assert.equal(joinPercentile(100_000), 1 - RANDOM_JOINS / 100_000);
  assert.equal(joinPercentile(1_000_000), 1 - RANDOM_JOINS / 1_000_000);
  assert.equal(joinPercentile(0), JOIN_PERCENTILE);
});

test('calibrateOn: a larger collection gets a higher join threshold from the same papers', async () => {
  const lines = gunzipSync(readFileSync(new URL('../../../demo/hf-daily-papers.jsonl.gz', import.meta.url))).toString('utf8').split('\n');
  const pool: SampledPaper[] = lines
    .filter((l) => l.trim() !== '')
    .slice(0, 1500)
    .map((l) => JSON.parse(l) as { id: string; title: string; abstract?: string; summary?: string })
    .map((p) => ({ id: p.id, title: p.title, abstract: p.abstract ?? p.summary ?? '' }));
  const lsa = trainLsa(pool.map((p) => paperText(p.title, p.abstract)), { dimensions: 32, random: mulberry32(1) });
  const table = { stems: lsa.stems, dimensions: lsa.dimensions, rows: lsa.rows, scales: lsa.scales };
  const id = modelId(table);
  const embedder = new LearnedEmbedder({
    info: { format: MODEL_FORMAT, id, kind: 'lsa', dimensions: 32, createdAt: '2026-12-02T00:00:00Z', trainedOn: { papers: pool.length, sample: pool.length }, seed: 1, calibration: null },
    table,
  });
  const small = await calibrateOn(pool, embedder, { queries: 100, collectionSize: pool.length });
  const large = await calibrateOn(pool, embedder, { queries: 100, collectionSize: 1_000_000 });
  assert.ok(large.minSimilarity > small.minSimilarity, `1M: ${large.minSimilarity}, ${pool.length}: ${small.minSimilarity}`);
  assert.match(small.notes, /99\.5th percentile of similarities to random papers, about 8 of the collection's 1500 papers/);
  assert.match(large.notes, /99\.995th percentile of similarities to random papers, about 50 of the collection's 1000000 papers/);
  assert.ok(large.ownPaperAboveThreshold <= small.ownPaperAboveThreshold);
});
