// A SQLite file as one end of a copy. The SQLite store migrates it (its public
// migrate()); rows are then read and written with better-sqlite3 directly. The
// triggers on papers keep the file's keyword index, search filters and keyword
// generation up to date as papers are written, and each batch flushes the
// index's queue before committing, as the store's own writes do.
import { existsSync, realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import { flushKeywordIndex } from '../sqlite/sqlite-keyword.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { fromSqlite, toSqlite } from './column-values.js';
import type { PortableRow } from './column-values.js';
import type { CopySide, KeyValues } from './copy-side.js';
import { CopyError } from './copy-error.js';
import { COPY_PROGRESS_KEY } from './copy-tables.js';
import type { CopyTable } from './copy-tables.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function copiedColumns(table: CopyTable): string {
  return table.columns.map((c) => quote(c.name)).join(', ');
}

function skipClause(table: CopyTable): string {
  if (!table.skipKeys?.length) return '';
  return `${quote(table.key[0]!)} NOT IN (${table.skipKeys.map(() => '?').join(', ')})`;
}

/**
 * Key columns as compared and sorted. Text compares by bytes (the columns'
 * default BINARY collation), as PostgreSQL's side sorts it (COLLATE "C"). Not
 * spelt out: SQLite then no longer seeks a row value in the key's index but
 * scans the table (EXPLAIN QUERY PLAN, SQLite 3.53), once per batch.
 */
function keyColumns(table: CopyTable): string {
  return table.key.map(quote).join(', ');
}

/** A batch in key order: parameters are the key to start after (when `after`), the skipped keys, the limit. */
export function keyOrderSql(table: CopyTable, after: boolean): string {
  const where: string[] = [];
  if (after) where.push(`(${keyColumns(table)}) > (${table.key.map(() => '?').join(', ')})`);
  const skip = skipClause(table);
  if (skip) where.push(skip);
  return `SELECT ${copiedColumns(table)} FROM ${quote(table.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${keyColumns(table)} LIMIT ?`;
}

export class SqliteCopySide implements CopySide {
  readonly backend = 'sqlite';
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /** Migrates the file (creating it when `create`), then opens it for the copy. */
  static async open(path: string, opts: { create: boolean }): Promise<SqliteCopySide> {
    if (!opts.create && !existsSync(path)) throw new CopyError(`sqlite:${path}: no such file`);
    const store = await SqliteStore.open(path);
    try {
      await store.migrate();
    } finally {
      await store.close();
    }
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('recursive_triggers = ON');
    return new SqliteCopySide(db, path);
  }

  get label(): string {
    return `sqlite:${this.path}`;
  }

  async identity(): Promise<string> {
    return `sqlite:${realpathSync(this.path)}`;
  }

  private sql(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }

  async tableNames(): Promise<string[]> {
    return (this.sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  }

  async tableColumns(table: string): Promise<Map<string, string> | null> {
    const rows = this.sql('SELECT name, type FROM pragma_table_info(?)').all(table) as { name: string; type: string }[];
    return rows.length === 0 ? null : new Map(rows.map((r) => [r.name, r.type.toLowerCase()]));
  }

  async countRows(table: CopyTable): Promise<number> {
    const skip = skipClause(table);
    const r = this.sql(`SELECT COUNT(*) AS n FROM ${quote(table.name)}${skip ? ` WHERE ${skip}` : ''}`).get(...(table.skipKeys ?? [])) as { n: number };
    return r.n;
  }

  async readBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<PortableRow[]> {
    const params = [...(after ?? []), ...(table.skipKeys ?? []), limit];
    const rows = this.sql(keyOrderSql(table, after !== null)).raw(true).all(...params) as unknown[][];
    return rows.map((r) => r.map((v, i) => fromSqlite(table.columns[i]!.type, v)));
  }


  /** rowid for papers, seq for vectors: both integer columns of the table itself. */
  async readArrivalBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<{ rows: PortableRow[]; next: KeyValues | null }> {
    const column = table.arrival === 'papers' ? 'rowid' : quote(table.arrival ?? 'rowid');
    const where = [`${column} > ?`];
    const params: unknown[] = [after?.[0] ?? Number.MIN_SAFE_INTEGER];
    const skip = skipClause(table);
    if (skip) {
      where.push(skip);
      params.push(...table.skipKeys!);
    }
    const text = `SELECT ${copiedColumns(table)}, ${column} FROM ${quote(table.name)} WHERE ${where.join(' AND ')} ORDER BY ${column} LIMIT ?`;
    const raw = this.sql(text).raw(true).all(...params, limit) as unknown[][];
    const rows = raw.map((r) => table.columns.map((c, i) => fromSqlite(c.type, r[i])));
    return { rows, next: raw.length > 0 ? [raw.at(-1)!.at(-1) as number] : after };
  }

  async writeBatch(table: CopyTable, rows: PortableRow[], progress: string): Promise<void> {
    const keys = table.key.map(quote).join(', ');
    const others = table.columns.filter((c) => !table.key.includes(c.name));
    const onConflict = others.length ? `DO UPDATE SET ${others.map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`).join(', ')}` : 'DO NOTHING';
    const insert = this.sql(
      `INSERT INTO ${quote(table.name)} (${copiedColumns(table)}) VALUES (${table.columns.map(() => '?').join(', ')}) ON CONFLICT (${keys}) ${onConflict}`,
    );
    this.db
      .transaction(() => {
        for (const row of rows) insert.run(...row.map((v, i) => toSqlite(table.columns[i]!.type, v)));
        if (table.isPapers) flushKeywordIndex((text) => this.sql(text));
        this.sql('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(COPY_PROGRESS_KEY, progress);
      })
      .immediate();
  }

  async readProgress(): Promise<string | null> {
    const r = this.sql('SELECT value FROM app_state WHERE key = ?').get(COPY_PROGRESS_KEY) as { value: string } | undefined;
    return r?.value ?? null;
  }

  async writeProgress(progress: string): Promise<void> {
    this.sql('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(COPY_PROGRESS_KEY, progress);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
