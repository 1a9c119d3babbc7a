// The one place that turns configuration into a Store: DATABASE_URL unset
// opens the SQLite file in the data dir, a postgres:// URL PostgreSQL.
import { ConfigError, type Config } from '../config.js';
import type { DatabaseConfig } from '../database-url.js';
import type { LockWait } from './sqlite/sqlite-write-lock.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** What a store is opened from: plain data, so a worker thread can be handed it. */
export type StoreConfig = Pick<Config, 'database' | 'ftsExtension'>;

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
      // Replaced when the PostgreSQL store (issue 10, point 2) is merged.
      throw new ConfigError(`DATABASE_URL names a PostgreSQL database (${database.display}), but the PostgreSQL backend is not available in this build; unset DATABASE_URL to use SQLite`);
  }
}
