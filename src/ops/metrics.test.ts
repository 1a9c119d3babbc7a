import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleValue } from '../../test/support/prometheus.js';
import { Metrics } from './metrics.js';

test('papers and vectors are counted once per few seconds however often scraped', async () => {
  let calls = 0;
  const metrics = new Metrics({ counts: async () => ({ papers: 10 + ++calls, vectors: 4 }) });
  const first = await metrics.scrape();
  const second = await metrics.scrape();
  assert.equal(calls, 1);
  assert.equal(sampleValue(first, 'paperboy_papers'), 11);
  assert.equal(sampleValue(second, 'paperboy_papers'), 11);
  assert.equal(sampleValue(second, 'paperboy_vectors'), 4);
});

test('counts that cannot be read keep their last values and the rest of the scrape goes on; they are read again when the cache expires', async () => {
  let fail = false;
  let calls = 0;
  const metrics = new Metrics({
    counts: async () => {
      calls++;
      if (fail) throw new Error('database gone');
      return { papers: 7, vectors: 3 };
    },
    countsTtlMs: 50,
  });
  const expire = () => new Promise((r) => setTimeout(r, 60));
  assert.equal(sampleValue(await metrics.scrape(), 'paperboy_papers'), 7);
  fail = true;
  await expire();
  metrics.observeSearch('hybrid', 0.02);
  const text = await metrics.scrape();
  assert.equal(calls, 2, 'one count for both gauges');
  assert.equal(sampleValue(text, 'paperboy_papers'), 7);
  assert.equal(sampleValue(text, 'paperboy_vectors'), 3);
  assert.equal(sampleValue(text, 'paperboy_search_duration_seconds_count', { mode: 'hybrid' }), 1);
  fail = false;
  await expire();
  await metrics.scrape();
  assert.equal(calls, 3);
});

test('background jobs: runs by outcome, durations of successes, time of the last success', async () => {
  const metrics = new Metrics();
  const before = Date.now() / 1000;
  metrics.observeJob({ job: 'embedding', ok: true, seconds: 2.5 });
  metrics.observeJob({ job: 'embedding', ok: true, seconds: 0.5 });
  metrics.observeJob({ job: 'embedding', ok: false, seconds: 0 });
  metrics.observeJob({ job: 'training', ok: true, seconds: 120 });
  const text = await metrics.scrape();
  assert.equal(sampleValue(text, 'paperboy_job_runs_total', { job: 'embedding', outcome: 'success' }), 2);
  assert.equal(sampleValue(text, 'paperboy_job_runs_total', { job: 'embedding', outcome: 'failure' }), 1);
  assert.equal(sampleValue(text, 'paperboy_job_duration_seconds_sum', { job: 'embedding' }), 3);
  assert.equal(sampleValue(text, 'paperboy_job_duration_seconds_count', { job: 'training' }), 1);
  const last = sampleValue(text, 'paperboy_job_last_success_timestamp_seconds', { job: 'training' }) ?? 0;
  assert.ok(last >= before && last <= Date.now() / 1000 + 1, String(last));
});

test('a pooled store fills the pool gauges at each scrape; without a pool there are no pool series', async () => {
  let stats = { total: 10, idle: 7, waiting: 0 };
  const metrics = new Metrics({ pool: () => stats });
  let text = await metrics.scrape();
  assert.equal(sampleValue(text, 'paperboy_db_pool_connections', { state: 'in_use' }), 3);
  assert.equal(sampleValue(text, 'paperboy_db_pool_connections', { state: 'idle' }), 7);
  assert.equal(sampleValue(text, 'paperboy_db_pool_waiting_queries'), 0);
  stats = { total: 10, idle: 0, waiting: 4 };
  text = await metrics.scrape();
  assert.equal(sampleValue(text, 'paperboy_db_pool_connections', { state: 'in_use' }), 10);
  assert.equal(sampleValue(text, 'paperboy_db_pool_waiting_queries'), 4);
  assert.doesNotMatch(await new Metrics().scrape(), /^paperboy_db_pool/m);
});

test('two servers in one process keep their counts apart; unknown methods share one label', async () => {
  const a = new Metrics();
  const b = new Metrics();
  a.observeRequest('/papers/:id{.+}', 'GET', 200, 0.01);
  a.observeRequest('unmatched', 'BREW', 418, 0.001);
  const [ta, tb] = [await a.scrape(), await b.scrape()];
  assert.equal(sampleValue(ta, 'paperboy_http_request_duration_seconds_count', { route: '/papers/:id{.+}', method: 'GET', status_class: '2xx' }), 1);
  assert.equal(sampleValue(ta, 'paperboy_http_request_duration_seconds_count', { route: 'unmatched', method: 'OTHER', status_class: '4xx' }), 1);
  assert.equal(sampleValue(tb, 'paperboy_http_request_duration_seconds_count', { route: '/papers/:id{.+}', method: 'GET', status_class: '2xx' }), undefined);
});
