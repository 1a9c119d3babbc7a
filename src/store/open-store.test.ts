import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { parseQuery } from '../search/query-parser.js';
import { keywordText } from '../search/keyword-query.js';
import { buildPaper } from '../../test/support/build.js';
import { testDatabases } from '../../test/support/postgres.js';
import { SEARCH_INDEX_FILE } from './postgres/local-search-index.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { openStore } from './open-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

const newDatabase = testDatabases('open_store');

test('without DATABASE_URL the store is the SQLite file in the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-store-'));
  try {
    const store = await openStore(loadConfig({ PAPERBOY_DATA_DIR: dir }));
    try {
      assert.ok(store instanceof SqliteStore);
      assert.equal(store.db.name, join(dir, 'paperboy.db'));
      await store.migrate();
      assert.equal(await store.countPapers(), 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a postgres:// DATABASE_URL opens PostgreSQL, with this process's keyword index in the data dir", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-store-pg-'));
  const { url } = await newDatabase();
  try {
    const store = await openStore(loadConfig({ PAPERBOY_DATA_DIR: dir, DATABASE_URL: url }));
    try {
      assert.ok(store instanceof PostgresStore);
      await store.migrate();
      await store.upsertItems([{ paper: buildPaper({ id: '2401.00001', title: 'Echidna spines as sensors' }) }]);
      assert.deepEqual((await store.searchKeyword({ text: keywordText(parseQuery('echidna')), limit: 5 })).ids, ['2401.00001']);
      assert.ok(existsSync(join(dir, SEARCH_INDEX_FILE)), 'the local keyword index lives in the data dir');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
