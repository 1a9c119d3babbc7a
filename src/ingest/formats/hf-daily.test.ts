import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { ImportItem } from '../../model.js';
import { hfDailyApiItem, hfDailyJsonlRecord, parseHfDailyJson } from './hf-daily.js';

const dir = new URL('../../../test/fixtures/hf-daily/', import.meta.url);
const DATES = ['2024-05-27', '2024-12-11', '2025-01-10', '2025-09-15', '2026-08-21'];
const apiFile = (date: string) => parseHfDailyJson(readFileSync(new URL(`daily_papers-${date}.json`, dir), 'utf8'), `daily_papers-${date}.json`);
const archive: ImportItem[] = gunzipSync(readFileSync(new URL('papers-sample.jsonl.gz', dir)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const r = hfDailyJsonlRecord(JSON.parse(line));
    if (!r.ok) throw new Error(r.message);
    return r.value;
  });

test('every API era gives the same papers, dates and counters as the JSONL archive for that day', () => {
  const counts = DATES.map((d) => apiFile(d).items.length);
  assert.deepEqual(counts, [13, 26, 9, 12, 17]);
  for (const date of DATES) {
    const { items, errors } = apiFile(date);
    assert.deepEqual(errors, [], date);
    const expected = archive.filter((a) => a.daily?.date === date);
    assert.deepEqual(items.map((i) => i.paper), expected.map((e) => e.paper), date);
    assert.deepEqual(items.map((i) => i.community), expected.map((e) => e.community), date);
    // The archive has user identities removed; the raw responses name the submitter.
    assert.deepEqual(items.map((i) => ({ ...i.daily, submitter: null })), expected.map((e) => e.daily), date);
  }
});

test('2024-05 plain array: list date from the file name, submission time from the item', () => {
  const first = apiFile('2024-05-27').items[0]!;
  assert.equal(first.paper.id, '2405.15738');
  assert.equal(first.paper.title, 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models');
  assert.ok(first.paper.abstract.startsWith('High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens'));
  assert.equal(first.paper.authors.length, 9);
  assert.equal(first.paper.publishedAt, '2024-05-24T17:34:15.000Z');
  assert.deepEqual(first.daily, { date: '2024-05-27', submittedAt: '2024-05-27T03:50:58.348Z', submitter: null });
  assert.deepEqual(first.community, { upvotes: 32, numComments: 3 });
});

test('2024-12 era: items are Python-repr strings', () => {
  const { items } = apiFile('2024-12-11');
  const first = items[0]!;
  assert.equal(first.paper.id, '2412.07730');
  assert.equal(first.paper.title, 'STIV: Scalable Text and Image Conditioned Video Generation');
  assert.equal(first.paper.authors.length, 17);
  assert.deepEqual(first.paper.authors.slice(0, 4), ['Zongyu Lin', 'Wei Liu', 'Chen Chen', 'Jiasen Lu']);
  assert.deepEqual(first.daily, { date: '2024-12-11', submittedAt: '2024-12-11T01:02:25.688Z', submitter: 'user500' });
  assert.deepEqual(first.community, { upvotes: 54, numComments: 2 });
});

test('2025-01 wrapper {status, date, count, data}: the wrapper date wins over the submission day', () => {
  const first = apiFile('2025-01-10').items[0]!;
  assert.equal(first.paper.id, '2501.05441');
  assert.equal(first.paper.title, 'The GAN is dead; long live the GAN! A Modern GAN Baseline');
  assert.deepEqual(first.daily, { date: '2025-01-10', submittedAt: '2025-01-09T22:24:36.430Z', submitter: 'user500' });
});

test('2026 era: GitHub, project page, keywords, AI summary and organisation', () => {
  const p = apiFile('2026-08-21').items[0]!.paper;
  assert.equal(p.id, '2608.19880');
  assert.equal(p.githubRepo, 'https://github.com/google-research/envharness');
  assert.equal(p.githubStars, 8);
  assert.equal(p.projectPage, 'https://envharness.com/');
  assert.equal(p.organization, 'Google');
  assert.deepEqual(p.keywords?.slice(0, 3), ['LLM agents', 'Environment Harness', 'EnvHarness']);
  assert.match(p.aiSummary ?? '', /^EnvHarness and EnvRigger dynamically reshape static environments/);
  assert.equal(apiFile('2025-09-15').items[0]!.paper.title, 'The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs');
});

test('JSONL archive: hidden authors dropped, paragraphs kept, one paper on two days', () => {
  const hidden = archive.find((a) => a.paper.id === '2406.02265')!;
  assert.deepEqual(hidden.paper.authors, ['Wenyan Li', 'Rita Ramos', 'Raphael Tang', 'Desmond Elliott']);
  const twice = archive.filter((a) => a.paper.id === '2604.07429').map((a) => a.daily?.date);
  assert.equal(twice.length, 2);
  assert.notEqual(twice[0], twice[1]);
  const withParagraphs = archive.filter((a) => a.paper.abstract.includes('\n\n'));
  assert.ok(withParagraphs.every((a) => !/\n(?!\n)|\n\n\n| {2}/.test(a.paper.abstract.replace(/\n\n/g, '¶'))));
  assert.ok(archive.every((a) => !a.paper.title.includes('\n')));
});

test('hidden authors are left out; order is kept', () => {
  const r = hfDailyJsonlRecord({
    archiveDate: '2024-06-01', id: '2406.00001', title: 'T', summary: 'S',
    authors: [{ name: 'A', hidden: false }, { name: 'B', hidden: true }, { name: 'C', hidden: false }],
  });
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.value.paper.authors, ['A', 'C']);
});

test('bad items are errors with a record number, the rest parse', () => {
  const doc = JSON.stringify({ date: '2025-01-10', data: ["{'paper': {'id': 'x'", { paper: { id: '2501.00001' } }, { paper: { id: '2501.00002', title: 'Fine' } }, 7] });
  const r = parseHfDailyJson(doc);
  assert.deepEqual(r.items.map((i) => i.paper.id), ['2501.00002']);
  assert.deepEqual(r.errors.map((e) => e.where), ['record 1', 'record 2', 'record 4']);
  assert.match(r.errors[0]!.message, /not a Python literal/);
  assert.equal(r.errors[1]!.message, 'missing title for 2501.00001');
  assert.match(parseHfDailyJson('{"oops": 1}').errors[0]!.message, /expected an array/);
  assert.match(parseHfDailyJson('[\n{"a": 1},\n{"b" 2}]').errors[0]!.message, /^invalid JSON \(line 3\): /);
  const noDate = hfDailyApiItem({ paper: { id: '2501.00003', title: 'T' } }, { listDate: null, fileDate: null });
  assert.ok(noDate.ok && noDate.value.daily === null);
});
