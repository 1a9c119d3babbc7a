// /healthz, /readyz and /metrics of a real server over a real SQLite file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDailyItem } from '../../../test/support/build.js';
import { sampleValue } from '../../../test/support/prometheus.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../ops/logger.js';
import { Metrics, storeCounts } from '../../ops/metrics.js';
import { loadMigrations, migrateSqlite } from '../../store/sqlite/migrate-sqlite.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import { startServer } from '../server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-ops-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = () => loadConfig({ PORT: '0', PAPERBOY_DEMO_DATA: 'off' });
const quiet = createLogger({ level: 'silent' });

async function serving<T>(store: Store, fn: (url: string) => Promise<T>, metrics?: Metrics): Promise<T> {
  const server = await startServer({ store, config: config(), log: quiet, metrics });
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}

test('/healthz answers without the database; /readyz answers 503 with the reason once the store is closed', async () => {
  const store = await SqliteStore.open(join(dir, 'closing.db'));
  await store.migrate();
  await serving(store, async (url) => {
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    assert.equal(ready.headers.get('cache-control'), 'no-store');
    await store.close();
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok');
    const closed = await fetch(`${url}/readyz`);
    assert.equal(closed.status, 503);
    assert.deepEqual(await closed.json(), { status: 'not ready', reason: 'the database connection is closed' });
  });
});

test('/readyz is 503 naming the migrations a database lacks, and 200 once they are applied', async () => {
  const path = join(dir, 'behind.db');
  const db = new Database(path);
  const all = loadMigrations();
  migrateSqlite(db, all.slice(0, -1));
  db.close();
  const store = await SqliteStore.open(path);
  try {
    await serving(store, async (url) => {
      const behind = await fetch(`${url}/readyz`);
      assert.equal(behind.status, 503);
      const body = (await behind.json()) as { status: string; reason: string };
      assert.equal(body.status, 'not ready');
      assert.match(body.reason, new RegExp(`1 migration\\(s\\) not applied: ${all.at(-1)!.name}`));
      await store.migrate();
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
    });
  } finally {
    await store.close();
  }
});

test('/metrics counts the requests and searches made, by route pattern and mode, and the papers and vectors stored', async () => {
  const store = await SqliteStore.open(join(dir, 'metrics.db'));
  await store.migrate();
  const items = [buildDailyItem('2024-05-27', { title: 'Gaussian splatting for maps' }), buildDailyItem('2024-05-27'), buildDailyItem('2024-05-28')];
  await store.upsertItems(items);
  await store.putEmbeddings('test-embedder', [{ ...(await store.papersNeedingEmbedding('test-embedder', { limit: 1 }))[0]!, textHash: 'x', scale: 1, vector: new Int8Array([1, 2]) }]);
  const metrics = new Metrics({ counts: storeCounts(store, () => 'test-embedder'), processMetrics: true });
  try {
    const text = await serving(
      store,
      async (url) => {
        const id = items[0]!.paper.id;
        for (const path of [`/papers/${id}`, `/papers/${id}`, `/papers/${items[1]!.paper.id}`, '/api/papers/search?q=splatting&mode=keyword', '/no/such/page', '/healthz']) {
          const res = await fetch(url + path);
          await res.arrayBuffer();
        }
        await fetch(`${url}/`, { method: 'POST', body: 'x' }).then((r) => r.arrayBuffer());
        const res = await fetch(`${url}/metrics`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        return res.text();
      },
      metrics,
    );
    const requests = (route: string, method: string, status_class: string) => sampleValue(text, 'paperboy_http_request_duration_seconds_count', { route, method, status_class });
    assert.equal(requests('/papers/:id{.+}', 'GET', '2xx'), 3);
    assert.equal(requests('/api/papers/search', 'GET', '2xx'), 1);
    assert.equal(requests('unmatched', 'GET', '4xx'), 1);
    assert.equal(requests('unmatched', 'POST', '4xx'), 1);
    assert.equal(requests('/healthz', 'GET', '2xx'), 1);
    assert.ok(!text.includes(items[0]!.paper.id), 'no raw URL in any label');
    assert.equal(sampleValue(text, 'paperboy_search_duration_seconds_count', { mode: 'keyword' }), 1);
    assert.equal(sampleValue(text, 'paperboy_papers'), 3);
    assert.equal(sampleValue(text, 'paperboy_vectors'), 1);
    assert.ok((sampleValue(text, 'process_resident_memory_bytes') ?? 0) > 0, 'default process metrics');
    assert.ok(sampleValue(text, 'nodejs_eventloop_lag_seconds') !== undefined);
    // SQLite has no pool: no pool series rather than made-up ones.
    assert.doesNotMatch(text, /^paperboy_db_pool/m);
  } finally {
    await store.close();
  }
});
