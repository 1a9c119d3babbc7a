import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { fixtureRecords } from '../../test/fixtures/semantic/kit.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import type { IndexSummary } from './index-papers.js';
import { startWorkerIndexer } from './worker-indexer.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-worker-indexer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hash = new HashTestEmbedder();

async function storeWith(name: string, count: number): Promise<{ store: SqliteStore; path: string }> {
  const path = join(dir, `${name}.db`);
  const store = await SqliteStore.open(path);
  await store.migrate();
  await store.upsertItems(fixtureRecords().slice(0, count).map((paper) => ({ paper })));
  return { store, path };
}

test('the worker embeds every paper needing a vector through its own connection, and reports each run', async () => {
  const { store, path } = await storeWith('all', 40);
  const done: IndexSummary[] = [];
  const indexer = startWorkerIndexer({ store: { database: { backend: 'sqlite', path }, ftsExtension: 'off', dataDir: dirname(path) }, spec: { kind: 'hash-test', delayMs: 0 }, batchSize: 16, onDone: (s) => done.push(s) });
  try {
    indexer.request();
    await indexer.idle();
    assert.equal(await store.countEmbeddings(hash.id), 40);
    assert.deepEqual(done.map((s) => s.embedded), [40]);
    // Papers written later by this process are picked up by the next request.
    await store.upsertItems(fixtureRecords().slice(40, 45).map((paper) => ({ paper })));
    indexer.request();
    await indexer.idle();
    assert.equal(await store.countEmbeddings(hash.id), 45);
    const stored = await store.getEmbedding(hash.id, fixtureRecords()[0]!.id);
    const [expected] = await hash.embed([`${fixtureRecords()[0]!.title}. ${fixtureRecords()[0]!.abstract}`]);
    assert.ok(stored && Math.abs(stored.vector[0]! * stored.scale - expected![0]!) < 0.02, 'the vector the model computes');
  } finally {
    await indexer.stop();
    await store.close();
  }
});

test('stop() ends a run after its batch in flight; what is left is embedded by the next indexer', async () => {
  const { store, path } = await storeWith('stop', 40);
  const spec = { kind: 'hash-test' as const, delayMs: 300, busy: true };
  const first = startWorkerIndexer({ store: { database: { backend: 'sqlite', path }, ftsExtension: 'off', dataDir: dirname(path) }, spec, batchSize: 8 });
  first.request();
  await new Promise((r) => setTimeout(r, 450));
  await first.stop();
  const partial = await store.countEmbeddings(hash.id);
  assert.ok(partial > 0 && partial < 40, `stopped part-way (${partial} of 40)`);
  const second = startWorkerIndexer({ store: { database: { backend: 'sqlite', path }, ftsExtension: 'off', dataDir: dirname(path) }, spec: { kind: 'hash-test', delayMs: 0 } });
  try {
    second.request();
    await second.idle();
    assert.equal(await store.countEmbeddings(hash.id), 40);
  } finally {
    await second.stop();
    await store.close();
  }
});

test('a model that fails to load is reported, and idle() still resolves', async () => {
  const { store, path } = await storeWith('broken', 3);
  const errors: Error[] = [];
  const indexer = startWorkerIndexer({ store: { database: { backend: 'sqlite', path }, ftsExtension: 'off', dataDir: dirname(path) }, spec: { kind: 'transformers', modelDir: '/nonexistent/model' }, onError: (e) => errors.push(e) });
  try {
    indexer.request();
    await indexer.idle();
    assert.match(errors[0]?.message ?? '', /model directory \/nonexistent\/model does not exist/);
  } finally {
    await indexer.stop();
    await store.close();
  }
});
