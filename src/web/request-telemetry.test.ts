// Request ids, request log lines and error logs of a real server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDailyItem } from '../../test/support/build.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../ops/logger.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { requestIdFrom } from './request-telemetry.js';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-telemetry-'));
const item = buildDailyItem('2024-05-27', { title: 'Gaussian splatting for maps' });
const lines: string[] = [];
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
let store: SqliteStore;
let server: RunningServer;

/** The store, except that reading one paper fails with a message quoting a connection URL. */
function failingGetPaper(real: Store): Store {
  return new Proxy(real, {
    get(target, key) {
      if (key === 'getPaper') return async () => Promise.reject(new Error('connection to postgres://paperboy:hunter2@db:5432/paperboy lost'));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

before(async () => {
  store = await SqliteStore.open(join(dir, 'paperboy.db'));
  await store.migrate();
  await store.upsertItems([item]);
  const log = createLogger({ level: 'info', destination: { write: (line) => lines.push(line) } });
  server = await startServer({ store: failingGetPaper(store), config: loadConfig({ PORT: '0', PAPERBOY_DEMO_DATA: 'off', PAPERBOY_LOG_REQUESTS: '1' }), log });
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(server.url + path, { headers });
  await res.arrayBuffer();
  return res;
};
const logged = async (reqId: string) => {
  // The line is written when the response has been sent, which the client may see first.
  for (let i = 0; i < 50 && !records().some((r) => r.reqId === reqId); i++) await new Promise((r) => setTimeout(r, 10));
  return records().filter((r) => r.reqId === reqId);
};

test('a sane X-Request-Id is kept and echoed; a missing or unsafe one is replaced by a new UUID', async () => {
  const kept = await get('/healthz', { 'X-Request-Id': 'lb-7f3a.1:2' });
  assert.equal(kept.headers.get('x-request-id'), 'lb-7f3a.1:2');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const fresh = await get('/');
  assert.match(fresh.headers.get('x-request-id') ?? '', uuid);
  for (const unsafe of ['has space', 'x'.repeat(129), 'quote"s', '{"level":"fatal"}']) {
    const res = await get('/healthz', { 'X-Request-Id': unsafe });
    assert.match(res.headers.get('x-request-id') ?? '', uuid, unsafe);
  }
  assert.notEqual(requestIdFrom(null), requestIdFrom(null));
});

test('with PAPERBOY_LOG_REQUESTS one JSON line per request: id, method, route pattern, path without query, status, duration', async () => {
  const res = await get('/api/papers/search?q=splatting&token=s3cret', { 'X-Request-Id': 'req-42', Authorization: 'Bearer abc', Cookie: 'session=xyz' });
  assert.equal(res.status, 200);
  const [line, ...more] = await logged('req-42');
  assert.deepEqual(more, []);
  assert.equal(line?.msg, 'request');
  assert.equal(line?.level, 'info');
  assert.equal(line?.method, 'GET');
  assert.equal(line?.route, '/api/papers/search');
  assert.equal(line?.path, '/api/papers/search');
  assert.equal(line?.status, 200);
  assert.equal(typeof line?.durationMs, 'number');
  const all = lines.join('');
  for (const secret of ['s3cret', 'Bearer abc', 'session=xyz']) assert.ok(!all.includes(secret), `${secret} was logged`);
});

test('a failing request is logged as an error with its request id and stack, the URL password redacted', async () => {
  const res = await get(`/api/papers/${item.paper.id}`, { 'X-Request-Id': 'req-500' });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('x-request-id'), 'req-500');
  const entries = await logged('req-500');
  const failed = entries.find((r) => r.msg === 'request failed') as { level: string; err: { message: string; stack: string } } | undefined;
  assert.ok(failed, JSON.stringify(entries));
  assert.equal(failed.level, 'error');
  assert.equal(failed.err.message, 'connection to postgres://paperboy:[REDACTED]@db:5432/paperboy lost');
  assert.ok(!lines.join('').includes('hunter2'));
  assert.equal(entries.find((r) => r.msg === 'request')?.status, 500);
});
