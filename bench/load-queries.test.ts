import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildQueries, DESCRIPTIVE_QUERIES, readCorpus } from './load-queries.js';

const corpus = readCorpus('test/fixtures/e2e/daily-sample.jsonl');

describe('load queries', () => {
  test('the corpus file gives ids, titles and abstracts', () => {
    assert.equal(corpus.length, 65);
    assert.ok(corpus.every((p) => p.id !== '' && p.title !== '' && p.abstract !== ''));
  });

  test('as many different queries as asked, the same ones for the same seed', () => {
    const qs = buildQueries(corpus, 300);
    assert.equal(qs.length, 300);
    assert.equal(new Set(qs).size, 300);
    assert.deepEqual(buildQueries(corpus, 300), qs);
    assert.notDeepEqual(buildQueries(corpus, 300, 9), qs);
    for (const d of DESCRIPTIVE_QUERIES) assert.ok(qs.includes(d), d);
    for (const q of qs) assert.match(q, /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}' -]{0,248}$/u, q);
  });

  test('a corpus too small for the count gives what it can', () => {
    const qs = buildQueries(corpus.slice(0, 1), 5000);
    assert.ok(qs.length > DESCRIPTIVE_QUERIES.length && qs.length < 5000);
    assert.equal(new Set(qs).size, qs.length);
  });
});
