import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { arxivListingRecord } from './arxiv-listing.js';

const lines = gunzipSync(readFileSync(new URL('../../../test/fixtures/listings/listings-2025-03-18.jsonl.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n');

test('a real listing day: no daily entry, no arXiv date, fields mapped', () => {
  const items = lines.map((l) => arxivListingRecord(JSON.parse(l)));
  assert.equal(items.length, 328);
  assert.ok(items.every((r) => r.ok));
  const first = items[0]!.ok ? items[0]!.value : null;
  assert.equal(first?.paper.id, '2503.11731');
  assert.equal(
    first?.paper.title,
    'Industrial-Grade Sensor Simulation via Gaussian Splatting: A Modular Framework for Scalable Editing and Full-Stack Validation',
  );
  assert.equal(first?.paper.authors.length, 16);
  assert.deepEqual(first?.paper.categories, ['cs.CV', 'cs.RO']);
  assert.equal(first?.paper.publishedAt, null);
  assert.equal(first?.paper.comment, null);
  assert.equal(first?.daily, null);
  assert.ok(first?.paper.abstract.startsWith('Sensor simulation is pivotal for scalable validation of autonomous driving systems, yet'));
  const second = items[1]!.ok ? items[1]!.value.paper : null;
  assert.equal(second?.comment, 'Work in progress');
});

test('separators listed as authors are dropped; bad ids are errors', () => {
  const r = arxivListingRecord({ id: '2505.07608', title: 'MiMo', authors: ['Xiaomi LLM-Core Team', ':', 'Bingquan Xia'], categories: ['cs.CL'], summary: 'S' });
  assert.deepEqual(r.ok && r.value.paper.authors, ['Xiaomi LLM-Core Team', 'Bingquan Xia']);
  assert.deepEqual(arxivListingRecord({ id: '2505.1', title: 'x' }), { ok: false, message: 'invalid arXiv id "2505.1"' });
});
