import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { PhraseHitCounts } from './phrase-hits.js';

function corpus(rows: number): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE papers (title TEXT); CREATE VIRTUAL TABLE papers_fts USING fts5(title)`);
  for (let i = 0; i < rows; i++) add(db, i % 2 === 0 ? 'graph theory' : 'spectral methods');
  return db;
}
function add(db: Database.Database, title: string): void {
  const { lastInsertRowid } = db.prepare('INSERT INTO papers (title) VALUES (?)').run(title);
  db.prepare('INSERT INTO papers_fts (rowid, title) VALUES (?, ?)').run(lastInsertRowid, title);
}

test('counts are remembered until the collection grows by more than the tolerance', () => {
  const db = corpus(200);
  let counted = 0;
  const prepare = (sql: string) => {
    if (sql.startsWith('SELECT count(*)')) counted++;
    return db.prepare(sql);
  };
  const cache = new PhraseHitCounts({ tolerance: 0.01 });
  assert.deepEqual(cache.counts(prepare, 'papers_fts', ['"graph"', '"spectral" *']), [100, 100]);
  assert.deepEqual(cache.counts(prepare, 'papers_fts', ['"graph"']), [100]);
  assert.equal(counted, 2);
  // Another writer adds 2 rows (1% of 200): still within the tolerance, the old count stands.
  add(db, 'graph');
  add(db, 'graph');
  assert.deepEqual(cache.counts(prepare, 'papers_fts', ['"graph"']), [100]);
  // A third row, or writes noted by this process, go past it: everything is counted again.
  add(db, 'graph');
  assert.deepEqual(cache.counts(prepare, 'papers_fts', ['"graph"']), [103]);
  assert.equal(counted, 3);
  cache.noteWrites(5);
  cache.counts(prepare, 'papers_fts', ['"graph"']);
  assert.equal(counted, 4);
});

test('entries older than maxAgeMs are counted again, and the cache starts over when full', () => {
  const db = corpus(10);
  let counted = 0;
  const prepare = (sql: string) => {
    if (sql.startsWith('SELECT count(*)')) counted++;
    return db.prepare(sql);
  };
  const expired = new PhraseHitCounts({ maxAgeMs: -1 });
  expired.counts(prepare, 'papers_fts', ['"graph"']);
  expired.counts(prepare, 'papers_fts', ['"graph"']);
  assert.equal(counted, 2);
  const small = new PhraseHitCounts({ maxEntries: 2 });
  small.counts(prepare, 'papers_fts', ['"graph"', '"theory"']);
  assert.equal(small.size, 2);
  small.counts(prepare, 'papers_fts', ['"spectral"']);
  assert.equal(small.size, 1);
});
