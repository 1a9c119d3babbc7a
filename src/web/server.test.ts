// Closing a real server: requests in flight finish, new ones are refused.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildDailyItem } from '../../test/support/build.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../ops/logger.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { startServer } from './server.js';

const stores: SqliteStore[] = [];
after(() => Promise.all(stores.map((s) => s.close())));

/** The store, with reading a paper held for `ms` (a slow query in flight when the server closes). */
function slowGetPaper(real: Store, ms: number): Store {
  return new Proxy(real, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key === 'getPaper') return async (id: string) => new Promise((r) => setTimeout(r, ms)).then(() => real.getPaper(id));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('close() lets a request in flight finish with its answer, refuses new connections, and resolves after the answer', async () => {
  const store = await SqliteStore.open(':memory:');
  stores.push(store);
  await store.migrate();
  const item = buildDailyItem('2024-05-27');
  await store.upsertItems([item]);
  const server = await startServer({ store: slowGetPaper(store, 600), config: loadConfig({ PORT: '0', PAPERBOY_DEMO_DATA: 'off' }), log: createLogger({ level: 'silent' }) });
  const inFlight = fetch(`${server.url}/api/papers/${item.paper.id}`).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string }, at: performance.now() }));
  await new Promise((r) => setTimeout(r, 150));
  const closing = server.close(5_000).then(() => performance.now());
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(fetch(`${server.url}/healthz`), 'a new connection is refused while closing');
  const [answer, closedAt] = await Promise.all([inFlight, closing]);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.id, item.paper.id);
  assert.ok(closedAt >= answer.at - 5, 'close resolved after the answer was sent');
});

test('close() cuts a request still running when the grace period ends', async () => {
  const store = await SqliteStore.open(':memory:');
  stores.push(store);
  await store.migrate();
  const item = buildDailyItem('2024-05-27');
  await store.upsertItems([item]);
  const server = await startServer({ store: slowGetPaper(store, 3_000), config: loadConfig({ PORT: '0', PAPERBOY_DEMO_DATA: 'off' }), log: createLogger({ level: 'silent' }) });
  const inFlight = fetch(`${server.url}/api/papers/${item.paper.id}`);
  await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  await server.close(300);
  assert.ok(performance.now() - t0 < 1_500, `closed in ${(performance.now() - t0).toFixed(0)} ms`);
  await assert.rejects(inFlight);
});
