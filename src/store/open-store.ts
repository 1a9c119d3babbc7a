// The one place that turns configuration into a Store: DATABASE_URL unset
// opens the SQLite file in the data dir, a postgres:// URL PostgreSQL (with
// this process's local keyword index in the data dir).
import type { Config } from '../config.js';
import { ensureDataDir } from '../data-dir.js';
import type { DatabaseConfig } from '../database-url.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { LockWait } from './sqlite/sqlite-write-lock.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** What a store is opened from: plain data, so a worker thread can be handed it. */
export type StoreConfig = Pick<Config, 'database' | 'ftsExtension' | 'dataDir'>;

export interface OpenStoreOptions {
  /** Told about a problem the store runs with anyway (SQLite: the ranking extension did not load). */
  onWarning?: (message: string) => void;
  /** SQLite: how long SQLite itself waits for a lock, holding the thread (sqlite-store.ts busyTimeoutMs). */
  busyTimeoutMs?: number;
  /** How long a write waits for another process's write lock in all. */
  lockWait?: LockWait;
}

/** The store the configuration names, opened (not migrated). */
export async function openStore(config: StoreConfig, opts: OpenStoreOptions = {}): Promise<Store> {
  const database: DatabaseConfig = config.database;
  switch (database.backend) {
    case 'sqlite': {
      const store = await SqliteStore.open(database.path, { ftsExtension: config.ftsExtension, busyTimeoutMs: opts.busyTimeoutMs, lockWait: opts.lockWait });
      if (store.extensionWarning !== null) opts.onWarning?.(store.extensionWarning);
      return store;
    }
    case 'postgres':
      ensureDataDir(config.dataDir);
      return PostgresStore.open(database.url, { searchIndexDir: config.dataDir, searchIndex: { ftsExtension: config.ftsExtension } });
  }
}
