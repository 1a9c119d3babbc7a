import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from '../errors.js';
import { dailyPapersParams, feedParams, paperListParams, parsePaperId, parseQuery, queryInput } from './query-params.js';

const url = (q: string) => `http://localhost/x?${q}`;
const rejects = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof HttpError && err.status === 400 && message.test(err.message));

test('queryInput: first value of scalars, list parameters split and repeated, empty values dropped', () => {
  assert.deepEqual(queryInput(new URL(url('limit=5&limit=7&category=cs.CV,%20cs.CL&category=eess&exclude=&date='))), {
    limit: '5',
    category: ['cs.CV', 'cs.CL', 'eess'],
  });
});

test('daily_papers defaults and values', () => {
  assert.deepEqual(parseQuery(dailyPapersParams, url('')), { p: 0, limit: 50, sort: 'publishedAt', category: [], exclude: [] });
  assert.deepEqual(parseQuery(dailyPapersParams, url('p=2&limit=100&week=2024-W01&sort=trending&submitter=ada&category=cs&exclude=cs.AI&other=1')), {
    p: 2,
    limit: 100,
    week: '2024-W01',
    sort: 'trending',
    submitter: 'ada',
    category: ['cs'],
    exclude: ['cs.AI'],
  });
});

test('errors name the parameter and echo the value', () => {
  rejects(() => parseQuery(dailyPapersParams, url('limit=abc')), /^limit must be a whole number from 1 to 100 \(got "abc"\)$/);
  rejects(() => parseQuery(dailyPapersParams, url('date=2024-13-01')), /^date .* \(got "2024-13-01"\)$/);
  rejects(() => parseQuery(dailyPapersParams, url('month=2024-05&date=2024-05-01')), /^give at most one of date, week and month$/);
  rejects(() => parseQuery(dailyPapersParams, url('category=cs,cs.CV,bad!')), /^category .* \(got "bad!"\)$/);
  rejects(() => parseQuery(feedParams, url('exclude=A.B')), /^exclude /);
  rejects(() => parseQuery(paperListParams, url('limit=101')), /^limit /);
  rejects(() => parseQuery(dailyPapersParams, url('p=10001')), /^p must be a whole number from 0 to 10000/);
});

test('category values: archives and categories of every shape arXiv uses', () => {
  const ok = ['cs', 'cs.CV', 'hep-th', 'astro-ph.GA', 'cond-mat.mes-hall', 'physics.acc-ph', 'q-bio.NC', 'math.AP', 'eess'];
  assert.deepEqual(parseQuery(feedParams, url(`category=${ok.join(',')}`)).category, ok);
  for (const bad of ['CS', 'cs.', '.CV', 'cs CV', 'cs.CV.x', '<b>']) rejects(() => parseQuery(feedParams, url(`category=${encodeURIComponent(bad)}`)), /category/);
});

test('parsePaperId: new and old style, version suffix dropped, anything else a 400', () => {
  assert.equal(parsePaperId('2405.15738'), '2405.15738');
  assert.equal(parsePaperId('2405.15738v3'), '2405.15738');
  assert.equal(parsePaperId('0704.0001'), '0704.0001');
  assert.equal(parsePaperId('hep-th/9901001'), 'hep-th/9901001');
  assert.equal(parsePaperId('math.GT/0309136v2'), 'math.GT/0309136');
  for (const bad of ['', 'search', '2405.157', '2405.15738x', 'hep-th/99', 'HEP-TH/9901001', '../../etc/passwd', '2405.15738/1']) {
    rejects(() => parsePaperId(bad), /^id must be an arXiv id/);
  }
});
