// Readiness of a real SQLite file whose migrations are behind the code's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { loadMigrations, migrateSqlite } from './migrate-sqlite.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-readiness-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a database whose migrations are behind is not ready until they are applied', async () => {
  const path = join(dir, 'behind.db');
  const all = loadMigrations();
  const db = new Database(path);
  migrateSqlite(db, all.slice(0, -2));
  db.close();

  const store = await SqliteStore.open(path);
  try {
    const behind = await store.readiness();
    assert.equal(behind.ready, false);
    const missing = all.slice(-2).map((m) => m.name);
    assert.ok(!behind.ready && missing.every((name) => behind.reason.includes(name)), JSON.stringify(behind));
    await store.migrate();
    assert.deepEqual(await store.readiness(), { ready: true });
  } finally {
    await store.close();
  }
});

test('a new, never migrated file is not ready and readiness leaves it untouched', async () => {
  const store = await SqliteStore.open(join(dir, 'new.db'));
  try {
    const r = await store.readiness();
    assert.equal(r.ready, false);
    assert.ok(!r.ready && r.reason.includes(`${loadMigrations().length} migration(s) not applied`), JSON.stringify(r));
    const tables = store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'").get() as { n: number };
    assert.equal(tables.n, 0);
  } finally {
    await store.close();
  }
});
