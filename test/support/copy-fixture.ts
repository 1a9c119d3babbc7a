// TEST ONLY. A real SQLite instance for the copy tests: fixture papers and
// daily lists imported through the product's importer, vectors computed by
// the indexer (one then marked stale), state and a model file set through the store.
import Database from 'better-sqlite3';
import { importFiles } from '../../src/ingest/import-files.js';
import { HashTestEmbedder } from '../../src/search/hash-test-embedder.js';
import { indexPendingPapers } from '../../src/search/index-papers.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const FIXTURE_FILES = [
  'test/fixtures/kaggle/abs-records-sample.jsonl',
  'test/fixtures/api/abs-old-style.jsonl',
  'test/fixtures/hf-daily/papers-sample.jsonl.gz', 'test/fixtures/hf-daily/daily_papers-2025-01-10.json', 'test/fixtures/hf-daily/daily_papers-2024-05-27.json'];
export const FIXTURE_EMBEDDER = new HashTestEmbedder();

/** Builds the instance at `path`; returns its paper count. */
export async function buildFixtureInstance(path: string): Promise<number> {
  const store = await SqliteStore.open(path);
  try {
    await store.migrate();
    await importFiles(store, FIXTURE_FILES);
    await indexPendingPapers(store, FIXTURE_EMBEDDER, { batchSize: 50 });
    await store.setState('arxiv-api:cs.CL', JSON.stringify({ since: '2024-05-01', start: 200, newest: null, running: false, coveredUntil: '2024-05-27' }));
    await store.setState('search-model:current', 'lsa-64-abc');
    // A learned model's file: bytes of every value, a few pages long.
    await store.putModelFile('learned-64-0123456789', Uint8Array.from({ length: 70_001 }, (_, i) => (i * 131) % 256));
    const papers = await store.countPapers();
    await store.close();
    // A vector whose paper changed since (the store sets this flag when a title changes).
    const db = new Database(path);
    db.prepare('UPDATE paper_embeddings SET stale = 1 WHERE paper_id = (SELECT MIN(paper_id) FROM paper_embeddings)').run();
    db.close();
    return papers;
  } finally {
    await store.close();
  }
}
