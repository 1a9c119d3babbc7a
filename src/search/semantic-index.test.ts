import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Embedder } from './embedder.js';
import { hnswMetaPath, openSemanticIndex } from './semantic-index.js';
import type { SemanticIndexOptions } from './semantic-index.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';
import { fixturePapers, storeFixture } from '../../test/fixtures/semantic/kit.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-semantic-'));
let n = 0;
async function fresh(): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `s-${++n}.db`));
  await store.migrate();
  return store;
}
async function reopen(store: SqliteStore): Promise<SqliteStore> {
  const path = store.db.name;
  await store.close();
  return SqliteStore.open(path);
}

// One real USE-lite model for every test; counts the texts it is asked to embed.
const use = new UseLiteEmbedder();
class CountingEmbedder implements Embedder {
  readonly id = use.id;
  readonly dimensions = use.dimensions;
  texts = 0;
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.texts += texts.length;
    return use.embed(texts);
  }
}

const topicOf = new Map(fixturePapers().map((p) => [p.id, p.topic]));
const topics = (ids: string[]) => ids.map((id) => topicOf.get(id));
const QUERIES: [string, string][] = [
  ['3D Gaussian splatting for novel view synthesis', 'splat'],
  ['text-to-speech synthesis with neural codec language models', 'speech'],
  ['benchmark for large language models writing code', 'code'],
];

async function answers(index: Awaited<ReturnType<typeof openSemanticIndex>>) {
  return Promise.all(QUERIES.map(([q]) => index.searchText(q, 5)));
}

for (const kind of ['exact', 'hnsw'] as const) {
  test(`semantic index (${kind}): real queries find their topic; similar papers exclude the paper itself`, async () => {
    const store = await fresh();
    await storeFixture(store);
    const index = await openSemanticIndex(store, new CountingEmbedder(), { kind, dataDir: dir });
    assert.equal(index.kind, kind);
    assert.equal(index.size(), 60);
    for (const [i, found] of (await answers(index)).entries()) {
      const want = QUERIES[i]![1];
      assert.equal(found.ids.length, 5);
      assert.equal(topicOf.get(found.ids[0]!), want, `top hit for "${QUERIES[i]![0]}"`);
      assert.ok(topics(found.ids).filter((t) => t === want).length >= 3, `${QUERIES[i]![0]}: ${topics(found.ids).join(',')}`);
      assert.ok(found.scores.every((s, j) => s <= 1.0001 && s > 0 && (j === 0 || s <= found.scores[j - 1]! + 1e-6)));
    }
    const splat = fixturePapers().find((p) => p.title.startsWith('WildGaussians'))!;
    const similar = await index.similarTo(splat.id, 5);
    assert.equal(similar.ids.length, 5);
    assert.ok(!similar.ids.includes(splat.id));
    assert.ok(topics(similar.ids).filter((t) => t === 'splat').length >= 4, topics(similar.ids).join(','));
    await index.close();
    await store.close();
  });
}

test('semantic index (exact): after a restart the same answers come from the stored vectors, nothing is re-embedded', async () => {
  const store = await fresh();
  await storeFixture(store);
  const before = await answers(await openSemanticIndex(store, new CountingEmbedder()));
  const again = await reopen(store);
  const embedder = new CountingEmbedder();
  const index = await openSemanticIndex(again, embedder);
  assert.deepEqual(await answers(index), before);
  assert.equal(embedder.texts, QUERIES.length, 'only the queries were embedded');
  await again.close();
});

test('semantic index (hnsw): the graph is saved, reloaded after a restart without a rebuild, and kept up to date', async () => {
  const dataDir = mkdtempSync(join(dir, 'hnsw-'));
  const opts: SemanticIndexOptions = { kind: 'hnsw', dataDir, saveDelaySeconds: 3600 };
  const store = await fresh();
  await storeFixture(store, (p) => p.topic !== 'code');
  const first = await openSemanticIndex(store, new CountingEmbedder(), opts);
  const before = await first.searchText(QUERIES[0]![0], 5);
  await first.close();
  const graphs = () => readdirSync(dataDir).filter((f) => f.endsWith('.usearch'));
  assert.equal(graphs().length, 1);
  const saved = { graph: graphs()[0]!, mtime: statSync(join(dataDir, graphs()[0]!)).mtimeMs };

  let again = await reopen(store);
  let index = await openSemanticIndex(again, new CountingEmbedder(), opts);
  assert.deepEqual(await index.searchText(QUERIES[0]![0], 5), before);
  assert.deepEqual(graphs(), [saved.graph]);
  assert.equal(statSync(join(dataDir, saved.graph)).mtimeMs, saved.mtime, 'loaded, not rebuilt');

  // Vectors written while it runs are picked up by the next query, and saved on close.
  await storeFixture(again, (p) => p.topic === 'code');
  assert.equal(topics((await index.searchText(QUERIES[2]![0], 5)).ids)[0], 'code');
  assert.equal(index.size(), 60);
  await index.close();
  assert.notDeepEqual(graphs(), [saved.graph]);

  // A deleted paper leaves the graph at the next start.
  const gone = (await index.searchText(QUERIES[2]![0], 1)).ids[0]!;
  again.db.prepare('DELETE FROM papers WHERE id = ?').run(gone);
  again = await reopen(again);
  index = await openSemanticIndex(again, new CountingEmbedder(), opts);
  assert.equal(index.size(), 59);
  assert.ok(!(await index.searchText(QUERIES[2]![0], 10)).ids.includes(gone));
  await index.close();
  await again.close();
});

test('semantic index (hnsw): a graph missing many vectors is built in a child process and loaded as the cache', async () => {
  const dataDir = mkdtempSync(join(dir, 'hnsw-child-'));
  const store = await fresh();
  await storeFixture(store);
  const exact = await openSemanticIndex(store, new CountingEmbedder(), { kind: 'exact' });
  const progress: string[] = [];
  let turns = 0;
  const timer = setInterval(() => turns++, 5);
  let index;
  try {
    index = await openSemanticIndex(store, new CountingEmbedder(), { kind: 'hnsw', dataDir, childBuildFrom: 10, onProgress: (line) => progress.push(line) });
  } finally {
    clearInterval(timer);
  }
  assert.ok(turns > 0, 'the event loop ran while the child built the graph');
  assert.match(progress.at(-1) ?? '', /^vector graph: 60 of 60 vectors added in \d+ s$/);
  assert.equal(readdirSync(dataDir).filter((f) => f.endsWith('.usearch')).length, 1);
  assert.equal(index.size(), 60);
  const ids = async (i: Awaited<ReturnType<typeof openSemanticIndex>>) => (await answers(i)).map((a) => a.ids);
  assert.deepEqual(await ids(index), await ids(exact));
  await index.close();
  // Below the threshold a graph is built on the calling thread, as before.
  const inline = await openSemanticIndex(store, new CountingEmbedder(), { kind: 'hnsw', dataDir: mkdtempSync(join(dir, 'hnsw-inline-')), onProgress: (line) => progress.push(`inline ${line}`) });
  assert.ok(!progress.some((l) => l.startsWith('inline')));
  assert.deepEqual(await ids(inline), await ids(exact));
  await store.close();
});

test('semantic index (hnsw): a damaged cache is rebuilt from the table', async () => {
  const dataDir = mkdtempSync(join(dir, 'hnsw-bad-'));
  const store = await fresh();
  await storeFixture(store);
  const opts: SemanticIndexOptions = { kind: 'hnsw', dataDir };
  const first = await openSemanticIndex(store, new CountingEmbedder(), opts);
  const before = await answers(first);
  await first.close();
  const graph = readdirSync(dataDir).find((f) => f.endsWith('.usearch'))!;
  const good = readFileSync(join(dataDir, graph));
  good[good.length - 100]! ^= 0xff;
  writeFileSync(join(dataDir, graph), good);
  assert.deepEqual(await answers(await openSemanticIndex(store, new CountingEmbedder(), opts)), before);
  writeFileSync(join(dataDir, readdirSync(dataDir).find((f) => f.endsWith('.usearch'))!), 'not a graph');
  const index = await openSemanticIndex(store, new CountingEmbedder(), opts);
  assert.deepEqual(await answers(index), before);
  writeFileSync(hnswMetaPath(dataDir, first.embedderId), '{"format":');
  assert.deepEqual(await answers(await openSemanticIndex(store, new CountingEmbedder(), opts)), before);
  await store.close();
});

test('semantic index: a large catch-up runs in the background; refresh() waits for it', async () => {
  const store = await fresh();
  await storeFixture(store, (p) => p.topic !== 'speech');
  const index = await openSemanticIndex(store, new CountingEmbedder(), { inlineCatchUp: 0 });
  assert.equal(index.size(), 50);
  await storeFixture(store, (p) => p.topic === 'speech');
  await index.searchText('speech', 3);
  await index.refresh();
  assert.equal(index.size(), 60);
  assert.equal(topics((await index.searchText(QUERIES[1]![0], 1)).ids)[0], 'speech');
  await store.close();
});

test('semantic index: empty and bad requests', async () => {
  const store = await fresh();
  const index = await openSemanticIndex(store, new CountingEmbedder());
  assert.deepEqual(await index.searchText('anything', 5), { ids: [], scores: [] });
  await storeFixture(store, (p) => p.topic === 'robot');
  assert.deepEqual(await index.searchText('   ', 5), { ids: [], scores: [] });
  assert.deepEqual(await index.searchText('robots', 0), { ids: [], scores: [] });
  assert.equal((await index.searchText('robots', 50)).ids.length, 10);
  assert.deepEqual(await index.similarTo('9999.99999', 5), { ids: [], scores: [] });
  await assert.rejects(index.searchText('robots', -1), RangeError);
  await assert.rejects(index.similarTo('2401.00001', 1.5), RangeError);
  await store.close();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
