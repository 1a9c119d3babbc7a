import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered SQL files `NNN-name.sql`, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(dir + f, 'utf8') }));
}

/**
 * Apply every migration newer than the database, each in its own write
 * transaction, taken up front (BEGIN IMMEDIATE). Processes starting together
 * apply each migration once: the version is read again under the lock.
 * Throws SQLITE_BUSY when another process holds the lock (the store retries).
 * Returns the names applied.
 */
export function migrateSqlite(db: Database.Database, migrations = loadMigrations()): string[] {
  const current = () => (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  db.transaction(() => db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')).immediate();
  const applied: string[] = [];
  for (const m of migrations) {
    if (m.version <= current()) continue;
    const done = db
      .transaction(() => {
        if (m.version <= current()) return false;
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        return true;
      })
      .immediate();
    if (done) applied.push(m.name);
  }
  return applied;
}

let shipped: Migration[] | null = null;

/**
 * Names of the migrations this build ships that the database has not applied.
 * Read-only: it never creates the migrations table.
 */
export function pendingMigrations(db: Database.Database, migrations = (shipped ??= loadMigrations())): string[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = new Set(table ? (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version) : []);
  return migrations.filter((m) => !applied.has(m.version)).map((m) => m.name);
}
