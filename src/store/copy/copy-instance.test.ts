// Copying a real instance (fixture papers imported through the product, real
// vectors and state) from a SQLite file to a real PostgreSQL database and back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { keywordText } from '../../search/keyword-query.js';
import { parseQuery } from '../../search/query-parser.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import type { Store } from '../store.js';
import { buildFixtureInstance, FIXTURE_EMBEDDER } from '../../../test/support/copy-fixture.js';
import { testDatabases } from '../../../test/support/postgres.js';
import { CopyError } from './copy-error.js';
import { copyInstance } from './copy-instance.js';
import type { CopyReport } from './copy-instance.js';
import type { CopySide } from './copy-side.js';
import { COPY_TABLES } from './copy-tables.js';
import { openCopySide } from './open-copy-side.js';
import { tableChecksum } from './table-checksum.js';

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-copy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const newDatabase = testDatabases('copy');
const sourcePath = join(tmp, 'source.db');
let paperCount = 0;

before(async () => {
  paperCount = await buildFixtureInstance(sourcePath);
});

async function withSides<T>(from: string, to: string, fn: (source: CopySide, target: CopySide) => Promise<T>): Promise<T> {
  const endpoint = (s: string) => (s.startsWith('postgres') ? { backend: 'postgres' as const, url: s } : { backend: 'sqlite' as const, path: s });
  const source = await openCopySide(endpoint(from), 'source');
  const target = await openCopySide(endpoint(to), 'target').catch(async (err: unknown) => {
    await source.close();
    throw err;
  });
  try {
    return await fn(source, target);
  } finally {
    await source.close();
    await target.close();
  }
}

function copy(from: string, to: string, batchSize = 25): Promise<CopyReport> {
  return withSides(from, to, (source, target) => copyInstance(source, target, { batchSize }));
}

/** Every copy table's checksum on one database, by table name. */
async function checksums(path: string): Promise<Record<string, string>> {
  const side = await openCopySide({ backend: 'sqlite', path }, 'source');
  try {
    const out: Record<string, string> = {};
    for (const table of COPY_TABLES) {
      if (!(await side.tableColumns(table.name))) continue;
      const { rows, sha256 } = await tableChecksum(side, table, 100);
      out[table.name] = `${rows}:${sha256}`;
    }
    return out;
  } finally {
    await side.close();
  }
}

function copiedTables(report: CopyReport) {
  return report.tables.filter((t) => t.copied);
}

async function allPaperIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listPapers({ cursor, limit: 50 });
    ids.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** What the product reads, through each store's own interface, side by side. */
async function productAnswers(store: Store) {
  const ids = await allPaperIds(store);
  const keyword = async (q: string) => (await store.searchKeyword({ text: keywordText(parseQuery(q)), limit: 20 })).ids;
  const vectors = [];
  for (const id of ids) {
    const v = await store.getEmbedding(FIXTURE_EMBEDDER.id, id);
    vectors.push(v && { paperId: v.paperId, textHash: v.textHash, scale: v.scale, vector: [...v.vector] });
  }
  return {
    ids,
    papers: await store.getPaperDetails(ids),
    firstPaper: await store.getPaper(ids[0]!),
    daily: await store.listDaily({ from: '2024-01-01', to: '2025-12-31', limit: 200 }),
    dailyByUpvotes: await store.listDaily({ from: '2024-05-27', to: '2024-05-27', sort: 'upvotes', limit: 10 }),
    latestDaily: await store.latestDailyDate(),
    searchModels: await keyword('language models'),
    searchVision: await keyword('visual encoder'),
    searchPhrase: await keyword('"large language"'),
    vectorCount: await store.countEmbeddings(FIXTURE_EMBEDDER.id),
    vectors,
    needingVectors: await store.countPapersNeedingEmbedding(FIXTURE_EMBEDDER.id),
    state: await store.getState('arxiv-api:cs.CL'),
  };
}

describe('sqlite -> postgres -> sqlite', () => {
  let pgUrl = '';
  const backPath = join(tmp, 'back.db');
  let there: CopyReport;
  let back: CopyReport;

  before(async () => {
    pgUrl = (await newDatabase()).url;
    there = await copy(sourcePath, pgUrl);
    back = await copy(pgUrl, backPath);
  });

  test('each copy verifies: every table has the same rows and checksum on both sides', () => {
    for (const report of [there, back]) {
      assert.equal(report.verified, true);
      assert.equal(report.resumed, false);
      assert.deepEqual(
        copiedTables(report).map((t) => t.table),
        ['papers', 'paper_versions', 'paper_categories', 'daily_entries', 'app_state', 'paper_embeddings', 'model_files'],
      );
    }
    const papers = there.tables.find((t) => t.table === 'papers')!;
    assert.ok(papers.copied && papers.source.rows === paperCount && paperCount > 80, `papers: ${JSON.stringify(papers)}`);
    for (const t of copiedTables(there)) assert.ok(t.copied && t.source.rows > 0, `${t.table} has rows to copy`);
  });

  test('the round trip gives back every table with the same checksum', async () => {
    assert.deepEqual(await checksums(backPath), await checksums(sourcePath));
  });

  test('PostgreSQL answers the product queries as the source does, keyword search through a local index', async () => {
    const sqlite = await SqliteStore.open(sourcePath);
    const postgres = PostgresStore.open(pgUrl, { searchIndexDir: join(tmp, 'pg-search-index') });
    try {
      const expected = await productAnswers(sqlite);
      assert.ok(expected.searchModels.length > 0 && expected.searchVision.length > 0 && expected.searchPhrase.length > 0);
      assert.equal(expected.needingVectors, 1, 'the stale vector needs recomputing');
      assert.deepEqual(await productAnswers(postgres), expected);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  test('the copy back to SQLite answers them too, its keyword index built by its triggers', async () => {
    const source = await SqliteStore.open(sourcePath);
    const copyBack = await SqliteStore.open(backPath);
    try {
      assert.deepEqual(await productAnswers(copyBack), await productAnswers(source));
      const db = new Database(backPath, { readonly: true });
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM papers_fts_pending').get() as { n: number }).n, 0, 'nothing left queued for the keyword index');
      db.close();
    } finally {
      await source.close();
      await copyBack.close();
    }
  });

  test("PostgreSQL's change log names every copied paper once, and vectors are numbered from its counter", async () => {
    const store = PostgresStore.open(pgUrl);
    try {
      const changes = await store.paperChangesAfter(0, 10_000);
      assert.equal(changes.length, paperCount);
      assert.equal(new Set(changes.map((c) => c.paperId)).size, paperCount);
      assert.equal(await store.latestPaperChangeSeq(), paperCount);
      const seqs: number[] = [];
      for await (const batch of store.embeddingBatches(FIXTURE_EMBEDDER.id)) seqs.push(...batch.map((e) => e.seq));
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      assert.equal(await store.latestEmbeddingSeq(), seqs.length);
    } finally {
      await store.close();
    }
  });

  test('running the same copy again only verifies it', async () => {
    const again = await copy(sourcePath, pgUrl);
    assert.equal(again.resumed, true);
    assert.equal(again.verified, true);
    const store = PostgresStore.open(pgUrl);
    try {
      assert.equal(await store.latestPaperChangeSeq(), paperCount, 'nothing was written twice');
    } finally {
      await store.close();
    }
  });

  test('a target holding a copy of another source is refused', async () => {
    const other = join(tmp, 'other.db');
    const store = await SqliteStore.open(other);
    await store.migrate();
    await store.close();
    await assert.rejects(copy(other, pgUrl), (err: unknown) => {
      assert.ok(err instanceof CopyError);
      assert.match(err.message, /already holds a copy from another source \(sqlite:.*source\.db\); copy only into an empty database$/);
      return true;
    });
  });
});

test('a target that holds papers of its own is refused, and keeps them', async () => {
  const target = join(tmp, 'busy.db');
  await buildFixtureInstance(target);
  const before = await checksums(target);
  await assert.rejects(copy(sourcePath, target), (err: unknown) => {
    assert.ok(err instanceof CopyError);
    assert.match(err.message, new RegExp(`^sqlite:.*busy\\.db is not empty \\(${paperCount} papers rows, .*\\); copy only into an empty database$`));
    return true;
  });
  assert.deepEqual(await checksums(target), before);
});

test('a copy that fails part-way resumes where it stopped: nothing doubled, nothing missing', async () => {
  const target = join(tmp, 'interrupted.db');
  let writes = 0;
  await assert.rejects(
    withSides(sourcePath, target, (source, side) => {
      const failing: CopySide = Object.create(side) as CopySide;
      failing.writeBatch = (table, rows, progress) => {
        if (++writes === 6) throw new Error('connection lost');
        return side.writeBatch(table, rows, progress);
      };
      return copyInstance(source, failing, { batchSize: 10 });
    }),
    /^CopyError: copying papers after 50 rows: connection lost \(what was copied before is kept: run the same command again to continue\)$/,
  );
  const partial = new Database(target, { readonly: true });
  assert.equal((partial.prepare('SELECT COUNT(*) AS n FROM papers').get() as { n: number }).n, 50);
  partial.close();
  const resumed = await copy(sourcePath, target, 10);
  assert.equal(resumed.resumed, true);
  assert.equal(resumed.verified, true);
  assert.deepEqual(await checksums(target), await checksums(sourcePath));
});

test('model files (bytes of every value) are copied byte for byte, several batches of them', async () => {
  const withModels = join(tmp, 'models-source.db');
  const target = join(tmp, 'models-target.db');
  await buildFixtureInstance(withModels);
  for (const [path, rows] of [
    [withModels, 3],
    [target, 0],
  ] as const) {
    const store = await SqliteStore.open(path);
    await store.migrate();
    await store.close();
    const db = new Database(path);
    for (let i = 0; i < rows; i++) db.prepare('INSERT INTO model_files VALUES (?, ?, ?)').run(`model-${i}`, Buffer.alloc(1000 + i, i), '2026-01-01T00:00:00.000Z');
    db.close();
  }
  const report = await copy(withModels, target, 2);
  const models = report.tables.find((t) => t.table === 'model_files')!;
  assert.ok(models.copied && models.matches && models.source.rows === 4 && models.target.rows === 4, JSON.stringify(models));
  assert.equal(report.verified, true);
});
