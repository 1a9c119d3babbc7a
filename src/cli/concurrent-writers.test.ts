// Several processes writing one SQLite data dir at once: two imports of
// overlapping large files, a harvest, and a server embedding what arrives.
// Each takes the write lock up front and waits for it, so every one finishes
// and the final counts are the union of what they wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { startArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import { runPaperboy, startServe } from '../../test/support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-writers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('two imports, a harvest and a serving indexer on one data dir all finish with the right counts', async () => {
  // The demo data set (9,881 daily entries), as two files that overlap by a third.
  const lines = gunzipSync(readFileSync('demo/hf-daily-papers.jsonl.gz')).toString('utf8').trim().split('\n');
  const third = Math.floor(lines.length / 3);
  const fileA = join(dir, 'a.jsonl');
  const fileB = join(dir, 'b.jsonl');
  writeFileSync(fileA, `${lines.slice(0, 2 * third).join('\n')}\n`);
  writeFileSync(fileB, `${lines.slice(third).join('\n')}\n`);
  const entries = lines.map((l) => JSON.parse(l) as { id: string; archiveDate: string });
  const papers = new Set(entries.map((e) => e.id)).size;
  const dailyEntries = new Set(entries.map((e) => `${e.id} ${e.archiveDate}`)).size;

  const arxiv = await startArxivFixtureServer();
  const dataDir = join(dir, 'data');
  const env = { PAPERBOY_DATA_DIR: dataDir };
  const server = await startServe({ ...env, PAPERBOY_EMBEDDER: 'hash-test', PAPERBOY_INDEX_INTERVAL_S: '1' });
  try {
    const [a, b, harvest] = await Promise.all([
      runPaperboy(['import', fileA], env),
      runPaperboy(['import', fileB], env),
      runPaperboy(['ingest', 'arxiv', '--category', 'cs.CV', '--since', '2013-01-01', '--base-url', arxiv.url, '--page-size', '10', '--delay-ms', '0'], env),
    ]);
    for (const [name, r] of Object.entries({ a, b, harvest })) {
      assert.equal(r.code, 0, `${name}: ${r.stdout}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /SQLITE_BUSY|database is locked/, name);
    }
    const harvested = Number(/(\d+) new/.exec(harvest.stdout)?.[1]);
    assert.ok(harvested > 0, harvest.stdout);

    const db = new Database(join(dataDir, 'paperboy.db'), { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      assert.equal(count('SELECT count(*) AS n FROM papers'), papers + harvested);
      assert.equal(count('SELECT count(*) AS n FROM daily_entries'), dailyEntries);
      // Every paper is in both keyword indexes once, none left queued.
      assert.equal(count('SELECT count(*) AS n FROM papers_fts_docsize'), papers + harvested);
      assert.equal(count('SELECT count(*) AS n FROM papers_prefix_docsize'), papers + harvested);
      assert.equal(count('SELECT count(*) AS n FROM papers_fts_pending'), 0);
      // The server embeds everything the others wrote.
      const deadline = Date.now() + 120_000;
      while (count('SELECT count(*) AS n FROM paper_embeddings') < papers + harvested && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.equal(count('SELECT count(*) AS n FROM paper_embeddings'), papers + harvested);
    } finally {
      db.close();
    }
  } finally {
    const end = await server.stop();
    await arxiv.close();
    assert.equal(end.code, 0, end.stderr);
  }
});
