import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { COPY_TABLES } from './copy-tables.js';
import { keyOrderSql } from './sqlite-side.js';

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-copy-sqlite-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test("every batch in key order seeks in the key's index instead of scanning the table (a scan per batch is quadratic at 1M papers)", async () => {
  const path = join(tmp, 'plan.db');
  const store = await SqliteStore.open(path);
  await store.migrate();
  await store.close();
  const db = new Database(path);
  try {
    for (const table of COPY_TABLES) {
      const params = [...table.key.map(() => 'x'), ...(table.skipKeys ?? []), 10];
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${keyOrderSql(table, true)}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(plan, /^SEARCH /, `${table.name}: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `${table.name} is read in index order: ${plan}`);
    }
  } finally {
    db.close();
  }
});
