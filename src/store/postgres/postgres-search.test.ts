// The shared keyword-search contract on PostgreSQL: each store answers from
// its own local search index (a fresh directory), fed by the change log.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteStoreOptions } from '../sqlite/sqlite-store.js';
import { storeSearchContract } from '../store-search.contract.js';
import type { Store } from '../store.js';
import { testDatabases } from '../../../test/support/postgres.js';
import { PostgresStore } from './postgres-store.js';

const newDatabase = testDatabases('search');
const root = mkdtempSync(join(tmpdir(), 'paperboy-pg-search-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const opened = new WeakMap<Store, { url: string; dir: string; searchIndex: SqliteStoreOptions }>();

async function open(url: string, dir: string, searchIndex: SqliteStoreOptions): Promise<PostgresStore> {
  const store = PostgresStore.open(url, { searchIndexDir: dir, searchIndex });
  await store.migrate();
  opened.set(store, { url, dir, searchIndex });
  return store;
}

async function fresh(searchIndex: SqliteStoreOptions = {}): Promise<PostgresStore> {
  return open((await newDatabase()).url, join(root, `index-${++n}`), searchIndex);
}

storeSearchContract('postgres', () => fresh(), {
  reopen: async (store) => {
    const { url, dir, searchIndex } = opened.get(store)!;
    await store.close();
    return open(url, dir, searchIndex);
  },
  boundedStore: (b) => fresh({ keywordScoreAllBelow: b.scoreAllBelow, keywordMaxScored: b.maxScored, keywordRareBudget: 0 }),
});
