import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { countSql, MatchCounts } from './match-counts.js';
import { SqliteStore } from './sqlite-store.js';
import { buildPaper } from '../../../test/support/build.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-counts-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a count is remembered until a write changes what matches or filters, in any connection; upvotes change nothing', async () => {
  const path = join(dir, 'counts.db');
  const store = await SqliteStore.open(path);
  await store.migrate();
  const papers = Array.from({ length: 6 }, (_, i) => buildPaper({ title: `Graph ${i}`, categories: [i % 2 === 0 ? 'cs.CV' : 'cs.LG'] }));
  await store.upsertItems(papers.map((paper) => ({ paper })));
  const db = store.db;
  let counted = 0;
  const prepare = (sql: string) => {
    if (sql.startsWith('SELECT count(*)')) counted++;
    return db.prepare(sql);
  };
  const counts = new MatchCounts();
  const plain = countSql('papers_fts', ['papers_fts MATCH @match'], []);
  const filtered = countSql('papers_fts', ['papers_fts MATCH @match'], ["instr(f.categories, '\"cs.cv\"')"]);
  const graphs = () => counts.count(prepare, plain, { match: '"graph"', limit: 5 }).n;
  const cv = () => counts.count(prepare, filtered, { match: '"graph"' }).n;
  assert.equal(graphs(), 6);
  assert.equal(cv(), 3);
  assert.equal(counts.count(prepare, plain, { match: '"graph"', limit: 99, other: 1 }).n, 6, 'parameters the statement does not name are not part of the key');
  assert.equal(counted, 2);
  assert.equal(counts.count(prepare, plain, { match: '"nothing"' }).n, 0);
  assert.equal(counted, 3);

  // Another connection: votes and comments change no match...
  const other = new Database(path);
  other.prepare('UPDATE papers SET upvotes = upvotes + 5, num_comments = 2').run();
  assert.equal(graphs(), 6);
  assert.equal(counted, 3);
  // ...the same text written again neither...
  other.prepare('UPDATE papers SET title = title, categories = categories').run();
  assert.equal(graphs(), 6);
  assert.equal(counted, 3);
  // ...a category does.
  other.prepare(`UPDATE papers SET categories = '["cs.CV"]' WHERE id = ?`).run(papers[1]!.id);
  assert.equal(cv(), 4);
  assert.equal(counted, 4);
  other.close();
  // This connection, through the store: a new title is indexed and counted.
  await store.upsertItems([{ paper: { ...papers[0]!, title: 'Trees' } }]);
  assert.equal(graphs(), 5);
  await store.upsertItems([{ paper: buildPaper({ title: 'Graph 7' }) }]);
  assert.equal(graphs(), 6);
  db.prepare('DELETE FROM papers WHERE id = ?').run(papers[2]!.id);
  assert.equal(graphs(), 5);
  assert.equal(counts.size, 1);
  await store.close();
});

test('the cache starts over when full', async () => {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems([{ paper: buildPaper({ title: 'Graph' }) }]);
  const counts = new MatchCounts(2);
  const sql = countSql('papers_fts', ['papers_fts MATCH @match'], []);
  for (const match of ['"graph"', '"a"', '"b"']) counts.count((s) => store.db.prepare(s), sql, { match });
  assert.equal(counts.size, 1);
  await store.close();
});
