import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Embedder } from './embedder.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { backgroundIndexer, indexPendingPapers, paperTextHash } from './index-papers.js';
import type { IndexProgress } from './index-papers.js';
import { dot } from './vector-math.js';
import { fixtureRecords, VECTORS_F32 } from '../../test/fixtures/semantic/kit.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-index-'));
let n = 0;
async function storeWith(count: number): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `s-${++n}.db`));
  await store.migrate();
  await store.upsertItems(fixtureRecords().slice(0, count).map((paper) => ({ paper })));
  return store;
}
const hash = new HashTestEmbedder();

test('paperTextHash is the hash the demo vectors were computed with', () => {
  const records = new Map(fixtureRecords().map((r) => [r.id, r]));
  const lines = readFileSync(VECTORS_F32, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; textHash: string });
  assert.equal(lines.length, 60);
  for (const l of lines) assert.equal(paperTextHash(records.get(l.id)!.title, records.get(l.id)!.abstract), l.textHash, l.id);
});

test('indexPendingPapers embeds every paper once, in batches, reporting progress; a second run has nothing to do', async () => {
  const store = await storeWith(25);
  const seen: IndexProgress[] = [];
  const summary = await indexPendingPapers(store, hash, { batchSize: 10, onBatch: (p) => seen.push(p) });
  assert.deepEqual([summary.embedded, summary.skipped, summary.total], [25, 0, 25]);
  assert.deepEqual(seen.map((p) => [p.done, p.total, p.batch]), [[10, 25, 10], [20, 25, 10], [25, 25, 5]]);
  assert.ok(seen.every((p) => p.textsPerSecond > 0));
  assert.equal(await store.countEmbeddings(hash.id), 25);
  assert.equal(await store.latestEmbeddingSeq(), 25, 'each paper written once');
  // The stored int8 vector is the embedder's vector.
  const paper = fixtureRecords()[3]!;
  const stored = (await store.getEmbedding(hash.id, paper.id))!;
  assert.equal(stored.textHash, paperTextHash(paper.title, paper.abstract));
  const [want] = await hash.embed([`${paper.title}. ${paper.abstract}`]);
  const d = dot(Array.from(stored.vector, (x) => x * stored.scale), want!);
  assert.ok(d > 0.99, String(d));
  const again = await indexPendingPapers(store, hash);
  assert.deepEqual([again.embedded, again.total], [0, 0]);
  await store.close();
});

test('--limit stops early; a changed abstract is embedded again on the next run', async () => {
  const store = await storeWith(12);
  assert.equal((await indexPendingPapers(store, hash, { limit: 7, batchSize: 3 })).embedded, 7);
  assert.equal(await store.countPapersNeedingEmbedding(hash.id), 5);
  assert.equal((await indexPendingPapers(store, hash)).embedded, 5);
  const p = fixtureRecords()[0]!;
  const before = (await store.getEmbedding(hash.id, p.id))!;
  await store.upsertItems([{ paper: { ...p, version: 2, abstract: 'Completely different words about tomatoes.' } }]);
  const again = await indexPendingPapers(store, hash);
  assert.deepEqual([again.total, again.embedded], [1, 1]);
  const after = (await store.getEmbedding(hash.id, p.id))!;
  assert.notDeepEqual(after.vector, before.vector);
  assert.equal(await store.countEmbeddings(hash.id), 12);
  await store.close();
});

test('a paper whose text changes while it is embedded is left for the next run', async () => {
  const store = await storeWith(4);
  const p = fixtureRecords()[1]!;
  const meddling: Embedder = {
    id: hash.id,
    dimensions: hash.dimensions,
    embed: async (texts) => {
      await store.upsertItems([{ paper: { ...p, version: 3, title: 'Retitled during embedding' } }]);
      return hash.embed(texts);
    },
  };
  const summary = await indexPendingPapers(store, meddling);
  assert.deepEqual([summary.embedded, summary.skipped], [3, 1]);
  assert.deepEqual((await store.papersNeedingEmbedding(hash.id, { limit: 5 })).map((t) => t.title), ['Retitled during embedding']);
  assert.equal((await indexPendingPapers(store, hash)).embedded, 1);
  await store.close();
});

test('an embedder that returns the wrong vectors fails the run and stores nothing of that batch', async () => {
  const store = await storeWith(3);
  const broken: Embedder = { id: 'broken', dimensions: 8, embed: async (texts) => texts.map(() => new Float32Array(4)) };
  await assert.rejects(indexPendingPapers(store, broken), /returned a 4-d vector, expected 8/);
  const short: Embedder = { id: 'short', dimensions: 4, embed: async () => [] };
  await assert.rejects(indexPendingPapers(store, short), /returned 0 vectors for 3 texts/);
  assert.equal(await store.latestEmbeddingSeq(), 0);
  await assert.rejects(indexPendingPapers(store, hash, { batchSize: 0 }), RangeError);
  await store.close();
});

test('an abort stops between batches; the batch in flight is kept', async () => {
  const store = await storeWith(10);
  const stop = new AbortController();
  const summary = await indexPendingPapers(store, hash, { batchSize: 4, signal: stop.signal, onBatch: () => stop.abort() });
  assert.equal(summary.embedded, 4);
  assert.equal(await store.countEmbeddings(hash.id), 4);
  await store.close();
});

test('backgroundIndexer runs one pass at a time and one more when asked meanwhile; errors are reported', async () => {
  const store = await storeWith(6);
  const done: number[] = [];
  const errors: unknown[] = [];
  const indexer = backgroundIndexer(store, new HashTestEmbedder(5), { onDone: (s) => done.push(s.embedded), onError: (e) => errors.push(e) });
  indexer.request();
  indexer.request();
  indexer.request();
  await indexer.idle();
  assert.deepEqual(done, [6, 0]);
  // stop() ends a long run after its current batch.
  await store.upsertItems(fixtureRecords().slice(6, 30).map((paper) => ({ paper })));
  const slow = backgroundIndexer(store, new HashTestEmbedder(20), { batchSize: 4, onDone: (s) => done.push(s.embedded) });
  slow.request();
  await new Promise((resolve) => setTimeout(resolve, 30));
  await slow.stop();
  const stoppedAt = await store.countEmbeddings(hash.id);
  assert.ok(stoppedAt > 6 && stoppedAt < 30 && (stoppedAt - 6) % 4 === 0, `stopped at ${stoppedAt}`);
  slow.request();
  await slow.idle();
  assert.equal(await store.countEmbeddings(hash.id), stoppedAt, 'no runs after stop()');
  const failing = backgroundIndexer(store, { id: 'x', dimensions: 2, embed: () => Promise.reject(new Error('model missing')) }, { onError: (e) => errors.push(e) });
  failing.request();
  await failing.idle();
  assert.match(String(errors[0]), /model missing/);
  await store.close();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
