// The shared Store contract suites on a real PostgreSQL server, each store in
// its own new database (test/support/postgres.ts). Keyword search is left out
// until the local search index serves it (KeywordSearchUnavailableError).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storeDataContract } from '../store.contract.js';
import { storeEmbeddingsContract } from '../store-embeddings.contract.js';
import { testDatabases } from '../../../test/support/postgres.js';
import { buildPaper } from '../../../test/support/build.js';
import { KeywordSearchUnavailableError, PostgresStore } from './postgres-store.js';
import { noKeywords } from '../store.js';

const newDatabase = testDatabases('store');
// A locale whose order differs from bytes ("Z" after "h"), as an operator's database may well have.
const newEnglishDatabase = testDatabases('store_en', { icuLocale: 'en-US' });

async function fresh(): Promise<PostgresStore> {
  const store = PostgresStore.open((await newDatabase()).url);
  await store.migrate();
  return store;
}

storeDataContract('postgres', fresh);
storeEmbeddingsContract('postgres', fresh);

test('postgres: keyword search without a local index directory says what it needs', async () => {
  const store = await fresh();
  try {
    await assert.rejects(store.searchKeyword({ text: { ...noKeywords(), terms: [{ text: 'x', prefix: false }] }, limit: 5 }), KeywordSearchUnavailableError);
    await assert.rejects(store.compactSearchIndex(), /searchIndexDir/);
  } finally {
    await store.close();
  }
});

test('postgres: ids sort in byte order whatever the database locale, as on SQLite', async () => {
  const store = PostgresStore.open((await newEnglishDatabase()).url);
  await store.migrate();
  try {
    const ids = ['hep-th/9901001', '2401.00001', 'Z9.00001', 'a-b/0001', 'a.b/0001'];
    await store.upsertItems(ids.map((id) => ({ paper: buildPaper({ id }) })));
    const listed = (await store.listPapers({ limit: 10 })).items.map((p) => p.id);
    assert.deepEqual(listed, [...ids].sort());
  } finally {
    await store.close();
  }
});

test('postgres: papers without a publication date come last when sorting by newest, as on SQLite', async () => {
  const store = await fresh();
  try {
    const undated = buildPaper({ publishedAt: null });
    const dated = buildPaper({ publishedAt: '2024-05-01T00:00:00Z' });
    await store.upsertItems([undated, dated].map((paper) => ({ paper, daily: { date: '2024-05-02' } })));
    const list = await store.listDaily({ from: '2024-05-02', to: '2024-05-02', sort: 'newest' });
    assert.deepEqual(list.items.map((i) => i.paper.id), [dated.id, undated.id]);
  } finally {
    await store.close();
  }
});

test('postgres: concurrent imports of the same new papers merge instead of colliding', async () => {
  const store = await fresh();
  try {
    const papers = [buildPaper(), buildPaper(), buildPaper()];
    const day = (date: string) => papers.map((paper) => ({ paper, daily: { date }, community: { upvotes: 3, numComments: 0 } }));
    // Opposite orders: the per-paper locks are taken in id order, so neither waits for the other in a cycle.
    const summaries = await Promise.all([store.upsertItems(day('2024-05-01')), store.upsertItems(day('2024-05-02').reverse())]);
    assert.deepEqual(summaries.map((s) => s.new + s.updated).sort(), [3, 3]);
    assert.equal(summaries[0]!.new + summaries[1]!.new, 3);
    for (const p of papers) assert.deepEqual((await store.getPaper(p.id))?.dailyEntries.map((e) => e.date), ['2024-05-01', '2024-05-02']);
    assert.deepEqual((await store.paperChangesAfter(0, 10)).map((c) => c.seq), [1, 2, 3, 4, 5, 6]);
  } finally {
    await store.close();
  }
});
