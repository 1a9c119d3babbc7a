import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered SQL files `NNN-name.sql`, in order. */
export function loadPostgresMigrations(dir = MIGRATIONS_DIR): PostgresMigration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(dir + f, 'utf8') }));
}

/** The advisory lock key every Paperboy process migrates under (advisory locks are per database). */
const LOCK_KEY_SQL = "hashtextextended('paperboy:migrate', 0)";

/**
 * Applies every migration newer than the database, each in its own
 * transaction, while holding a session advisory lock on one dedicated
 * connection: processes starting together wait for each other, and the
 * version is read under the lock, so each migration runs once. Returns the
 * names applied by this call.
 */
export async function migratePostgres(pool: pg.Pool, migrations = loadPostgresMigrations()): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`).catch((err: Error) => {
        broken = err;
      });
    }
  } finally {
    // A connection that could not unlock is closed, which releases the lock.
    client.release(broken);
  }
}

/** Names of the migrations the database has not applied yet (read only: nothing is created). */
export async function pendingPostgresMigrations(pool: pg.Pool, migrations = loadPostgresMigrations()): Promise<string[]> {
  const { rows: exists } = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (exists[0]?.t == null) return migrations.map((m) => m.name);
  const { rows } = await pool.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const current = rows[0]?.v ?? 0;
  return migrations.filter((m) => m.version > current).map((m) => m.name);
}

async function applyPending(client: pg.PoolClient, migrations: PostgresMigration[]): Promise<string[]> {
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const current = rows[0]?.v ?? 0;
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`PostgreSQL migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(m.name);
  }
  return applied;
}
