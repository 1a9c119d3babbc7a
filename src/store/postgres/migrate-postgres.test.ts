import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { testDatabases } from '../../../test/support/postgres.js';
import { loadPostgresMigrations, migratePostgres } from './migrate-postgres.js';
import type { PostgresMigration } from './migrate-postgres.js';
import { PostgresStore } from './postgres-store.js';

const newDatabase = testDatabases('migrate');

async function withPools<T>(url: string, n: number, fn: (pools: pg.Pool[]) => Promise<T>): Promise<T> {
  const pools = Array.from({ length: n }, () => new pg.Pool({ connectionString: url, max: 2 }));
  try {
    return await fn(pools);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
}

async function appliedVersions(pool: pg.Pool): Promise<number[]> {
  return (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
}

test('three processes starting together apply each migration once', async () => {
  const db = await newDatabase();
  // Slow enough that all three are waiting for the lock while the first one works.
  const migrations: PostgresMigration[] = [
    { version: 1, name: '001-runs', sql: 'CREATE TABLE runs (pid INTEGER NOT NULL); SELECT pg_sleep(0.3); INSERT INTO runs VALUES (pg_backend_pid());' },
    { version: 2, name: '002-more', sql: 'INSERT INTO runs VALUES (pg_backend_pid());' },
  ];
  await withPools(db.url, 3, async (pools) => {
    const results = await Promise.all(pools.map((pool) => migratePostgres(pool, migrations)));
    assert.deepEqual(results.filter((r) => r.length > 0), [['001-runs', '002-more']], 'one migrator applied both, the others nothing');
    const runs = await pools[0]!.query<{ pid: number }>('SELECT pid FROM runs');
    assert.equal(runs.rowCount, 2);
    assert.equal(new Set(runs.rows.map((r) => r.pid)).size, 1, 'both on the one connection that held the lock');
    assert.deepEqual(await appliedVersions(pools[0]!), [1, 2]);
  });
});

test('three stores migrating the real schema together all succeed, and it is applied once', async () => {
  const { url } = await newDatabase();
  const stores = [1, 2, 3].map(() => PostgresStore.open(url));
  try {
    await Promise.all(stores.map((s) => s.migrate()));
    assert.deepEqual(await appliedVersions(stores[0]!.pool), loadPostgresMigrations().map((m) => m.version));
    await stores[1]!.migrate();
    assert.equal(await stores[2]!.countPapers(), 0);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

test('a failing migration is rolled back, named in the error, and releases the lock', async () => {
  const { url } = await newDatabase();
  const good = { version: 1, name: '001-good', sql: 'CREATE TABLE good (x INTEGER)' };
  const bad = { version: 2, name: '002-bad', sql: 'CREATE TABLE half (x INTEGER); SELECT no_such_function();' };
  await withPools(url, 2, async ([first, second]) => {
    await assert.rejects(migratePostgres(first!, [good, bad]), /migration 002-bad failed: .*no_such_function/);
    assert.deepEqual(await appliedVersions(first!), [1]);
    const half = await first!.query("SELECT to_regclass('half') AS t");
    assert.equal(half.rows[0].t, null, 'nothing of the failed migration is left');
    const fixed = { ...bad, sql: 'CREATE TABLE half (x INTEGER)' };
    assert.deepEqual(await migratePostgres(second!, [good, fixed]), ['002-bad']);
  });
});

test('three separate processes starting together migrate the real schema once', async () => {
  const { url } = await newDatabase();
  // Each child prints what it applied (migratePostgres's return value) as JSON.
  const script = `import { migratePostgres } from ${JSON.stringify(new URL('./migrate-postgres.ts', import.meta.url).href)};
    import pg from 'pg';
    const pool = new pg.Pool({ connectionString: process.argv[1] });
    console.log(JSON.stringify(await migratePostgres(pool)));
    await pool.end();`;
  const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, url], { timeout: 60_000 });
  const outputs = await Promise.all([run(), run(), run()]);
  const applied = outputs.map((o) => JSON.parse(o.stdout) as string[]);
  const all = loadPostgresMigrations().map((m) => m.name);
  assert.deepEqual(applied.filter((a) => a.length > 0), [all], 'one process applied every migration, the others none');
  await withPools(url, 1, async ([pool]) => assert.deepEqual(await appliedVersions(pool!), loadPostgresMigrations().map((m) => m.version)));
});
