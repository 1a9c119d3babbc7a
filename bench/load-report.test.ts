import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateTargets, formatSteadyP99, formatTable, formatTargets } from './load-report.js';
import type { Row } from './load-report.js';

const row = (over: Partial<Row>): Row => ({
  phase: 'alone',
  name: 'healthz',
  label: '/healthz',
  connections: 20,
  rps: 10_000,
  p50: 1,
  p99: 5,
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  bytesPerRequest: 200,
  cpuMsPerRequest: 0.05,
  mainMsPerRequest: 0.04,
  generatorCores: 0.5,
  ...over,
});

const passing: Row[] = [
  row({}),
  row({ name: 'api-daily', label: '/api/daily_papers', rps: 1000 }),
  row({ name: 'feed', label: '/feed.xml', rps: 1500 }),
  row({ name: 'search', label: '/papers/search?q=', rps: 300 }),
  row({ name: 'api-search', label: '/api/papers/search?q=', rps: 61 }),
  row({ phase: 'mix', name: 'search', label: '/papers/search?q=', rps: 30, p99: 999 }),
  row({ phase: 'mix', name: 'feed', label: '/feed.xml', rps: 300, p99: 400 }),
];

describe('load targets', () => {
  test('all met at the thresholds', () => {
    const targets = evaluateTargets(passing);
    assert.equal(targets.length, 7);
    assert.ok(targets.every((t) => t.pass), formatTargets(targets));
  });

  test('each one can fail', () => {
    const fails = (rows: Row[]) => evaluateTargets(rows).filter((t) => !t.pass).map((t) => t.text);
    const with_ = (i: number, over: Partial<Row>) => passing.map((r, j) => (j === i ? { ...r, ...over } : r));
    assert.deepEqual(fails(with_(5, { timeouts: 1 })), ['mix: 0 errors and 0 time-outs']);
    assert.deepEqual(fails(with_(6, { errors: 2 })), ['mix: 0 errors and 0 time-outs']);
    assert.deepEqual(fails(with_(5, { p99: 1000 })), ['mix: p99 < 1000 ms on every route']);
    assert.deepEqual(fails(with_(1, { rps: 999 })), ['/api/daily_papers >= 1000 req/s at 20 connections']);
    assert.deepEqual(fails(with_(2, { rps: 10 })), ['/feed.xml >= 1000 req/s at 20 connections']);
    assert.deepEqual(fails(with_(4, { rps: 59.9 })), ['hybrid search /api/papers/search?q= >= 60 req/s at 20 connections']);
    assert.deepEqual(fails(with_(3, { rps: 299 })), ['hybrid search page /papers/search?q= >= 300 req/s at 20 connections']);
    assert.deepEqual(fails(with_(3, { rps: 59 })), ['hybrid search /papers/search?q= >= 60 req/s at 20 connections', 'hybrid search page /papers/search?q= >= 300 req/s at 20 connections']);
  });

  test('the mix p99 target is judged on the whole run; the p99 without its start is shown beside it', () => {
    const rows = passing.map((r) => (r.phase === 'mix' ? { ...r, p99: r.name === 'search' ? 4000 : r.p99, p99Steady: 600 } : r));
    const t = evaluateTargets(rows).find((x) => x.text.startsWith('mix: p99'));
    assert.deepEqual(t, { text: 'mix: p99 < 1000 ms on every route', pass: false, got: 'worst 4000 ms (/papers/search?q=); without the first 5 s: worst 600 ms' });
    assert.equal(formatSteadyP99(rows), 'mix p99 without requests sent in the first 5 s (connections opening): /papers/search?q= 600 ms, /feed.xml 600 ms');
    assert.equal(formatSteadyP99(passing), '');
  });

  test('routes that were not measured have no target', () => {
    assert.deepEqual(evaluateTargets([row({})]), []);
  });
});

describe('load table', () => {
  test('one line per row, with the ratio to the baseline', () => {
    const lines = formatTable(passing, 10_000).split('\n');
    assert.equal(lines.length, passing.length + 2);
    assert.match(lines[0] ?? '', /^phase +route +conns +req\/s +p50 ms +p99 ms +errors +timeouts +non-2xx +KB\/req +cpu ms\/req +main ms\/req +gen cores +ratio$/);
    assert.match(lines[5] ?? '', /^alone +\/papers\/search\?q= +20 +300 +1\.0 +5\.0 +0 +0 +0 +0\.2 +0\.05 +0\.04 +0\.50 +0\.030x$/);
    assert.match(lines[6] ?? '', /^alone +\/api\/papers\/search\?q= +20 +61\.0 +1\.0 +5\.0 +0 +0 +0 +0\.2 +0\.05 +0\.04 +0\.50 +0\.006x$/);
  });
});
