// The store backends a benchmark can run the product on: SQLite (a file in a
// temporary directory) and PostgreSQL (a database of its own on the server
// named by PAPERBOY_BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432,
// created for the run and dropped afterwards; keyword search answered by the
// process's local index in the temporary directory, as `paperboy serve` does).
import { join } from 'node:path';
import type { SqliteStoreOptions } from '../src/store/sqlite/sqlite-store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import pg from 'pg';
import { createTestDatabase, redactUrl, withDatabase, type TestDatabase } from '../test/support/postgres.js';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

export const DEFAULT_BENCH_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** The PostgreSQL server benchmarks create their databases on. */
export function benchServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPERBOY_BENCH_DATABASE_URL || DEFAULT_BENCH_SERVER;
}

/** `--backends a,b`: known names, each once, at least one. */
export function parseBackends(raw: string): Backend[] {
  const items = [...new Set(raw.split(',').map((x) => x.trim()).filter((x) => x !== ''))];
  for (const x of items) if (!(BACKENDS as readonly string[]).includes(x)) throw new Error(`--backends: unknown "${x}" (known: ${BACKENDS.join(', ')})`);
  if (items.length === 0) throw new Error('--backends needs at least one backend');
  return items as Backend[];
}

/** A database created for one benchmark run; drop() removes it (safe to call twice). */
export function createBenchDatabase(label: string, env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  // Named like the tests' databases, so that one a killed run leaves behind is swept by the next run or test on this machine.
  return createTestDatabase(`bench_${label}`, { serverUrl: benchServerUrl(env) });
}

/** The benchmark databases on the bench server (of process `pid` only, when given): tests check that a run dropped its own. */
export async function benchDatabases(pid?: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: withDatabase(benchServerUrl(), 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'paperboy\\_test\\_bench\\_%'");
    return rows.map((r) => r.datname).filter((name) => pid === undefined || name.includes(`_${pid}_`));
  } finally {
    await client.end();
  }
}

export interface BenchStore {
  store: Store;
  /** The keyword ranker answering searches (PostgreSQL: its local index's). */
  keywordRanker(): Promise<string>;
  /** Closes the store and drops what it created (the PostgreSQL database). */
  close(): Promise<void>;
  /** Where it lives, for the logs (no password). */
  where: string;
}

/**
 * An empty, migrated store of `backend` with `options` as its keyword ranking
 * options (PostgreSQL: its local index's), working in `dir`.
 */
export async function openBenchStore(backend: Backend, dir: string, options: SqliteStoreOptions = {}): Promise<BenchStore> {
  if (backend === 'sqlite') {
    const store = await SqliteStore.open(join(dir, 'bench.db'), options);
    await store.migrate();
    return { store, keywordRanker: async () => store.keywordRanker, close: () => store.close(), where: join(dir, 'bench.db') };
  }
  const db = await createBenchDatabase('quality');
  const store = PostgresStore.open(db.url, { searchIndexDir: dir, searchIndex: options });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    await db.drop();
    throw err;
  }
  return {
    store,
    keywordRanker: async () => `${(await store.localSearchIndex()).index.keywordRanker} (local index of PostgreSQL)`,
    close: async () => {
      try {
        await store.close();
      } finally {
        await db.drop();
      }
    },
    where: redactUrl(db.url),
  };
}
