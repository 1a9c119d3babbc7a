// A PostgreSQL database as one end of a copy, through the PostgreSQL store's
// pool after its migrate(). As a target, each batch is one transaction that
// also logs every copied paper in the paper change log (so each web process's
// local search index catches up) and numbers copied vectors from the
// embeddings counter, both with the store's own change-log code.
import type pg from 'pg';
import { notifyChange, recordPaperChanges, takeSeqs } from '../postgres/change-log.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import { fromPostgres, POSTGRES_ARRAY_TYPE, toPostgres } from './column-values.js';
import type { PortableRow } from './column-values.js';
import type { CopySide, KeyValues } from './copy-side.js';
import { keyIndexes } from './copy-side.js';
import { COPY_PROGRESS_KEY } from './copy-tables.js';
import type { CopyTable } from './copy-tables.js';
import { describePostgresUrl } from './copy-endpoint.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function copiedColumns(table: CopyTable): string {
  return table.columns.map((c) => quote(c.name)).join(', ');
}

export class PostgresCopySide implements CopySide {
  readonly backend = 'postgres';

  private constructor(
    private readonly store: PostgresStore,
    readonly label: string,
  ) {}

  /** Migrates the database through the PostgreSQL store, then opens it for the copy. */
  static async open(url: string): Promise<PostgresCopySide> {
    const label = describePostgresUrl(url);
    const store = PostgresStore.open(url, { maxConnections: 2 });
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
    return new PostgresCopySide(store, label);
  }

  private get pool(): pg.Pool {
    return this.store.pool;
  }

  async identity(): Promise<string> {
    return `${this.label}#${await this.store.paperChangeLogId()}`;
  }

  async tableNames(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1");
    return rows.map((r) => r.name);
  }

  async tableColumns(table: string): Promise<Map<string, string> | null> {
    const { rows } = await this.pool.query<{ name: string; type: string }>(
      'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
      [table],
    );
    return rows.length === 0 ? null : new Map(rows.map((r) => [r.name, r.type.toLowerCase()]));
  }

  private skipClause(table: CopyTable, params: unknown[]): string | null {
    if (!table.skipKeys?.length) return null;
    params.push(table.skipKeys);
    return `${quote(table.key[0]!)} <> ALL($${params.length}::text[])`;
  }

  async countRows(table: CopyTable): Promise<number> {
    const params: unknown[] = [];
    const skip = this.skipClause(table, params);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${quote(table.name)}${skip ? ` WHERE ${skip}` : ''}`, params);
    return Number(rows[0]!.n);
  }

  async readBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<PortableRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (after) {
      params.push(...after);
      where.push(`(${table.key.map(quote).join(', ')}) > (${after.map((_, i) => `$${i + 1}`).join(', ')})`);
    }
    const skip = this.skipClause(table, params);
    if (skip) where.push(skip);
    params.push(limit);
    const text = `SELECT ${copiedColumns(table)} FROM ${quote(table.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${table.key.map(quote).join(', ')} LIMIT $${params.length}`;
    const { rows } = await this.pool.query({ text, values: params, rowMode: 'array' });
    return (rows as unknown[][]).map((r) => r.map((v, i) => fromPostgres(table.columns[i]!.type, v)));
  }

  async writeBatch(table: CopyTable, rows: PortableRow[], progress: string): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        if (rows.length > 0) await this.insertRows(client, table, rows);
        await client.query('INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [COPY_PROGRESS_KEY, progress]);
        if (table.isPapers) await recordPaperChanges(client, rows.map((r) => r[keyIndexes(table)[0]!] as string));
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => {
          broken = rollbackErr;
        });
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }

  /** One INSERT ... SELECT FROM unnest(one array per column): the batch in a round trip. */
  private async insertRows(client: pg.PoolClient, table: CopyTable, rows: PortableRow[]): Promise<void> {
    const values: unknown[] = table.columns.map((c, i) => rows.map((r) => toPostgres(c.type, r[i] ?? null)));
    const unnest = table.columns.map((c, i) => `$${i + 1}::${POSTGRES_ARRAY_TYPE[c.type]}`).join(', ');
    const names = table.columns.map((c) => quote(c.name));
    const selected = table.columns.map((c, i) => `t.c${i}${c.type === 'json' ? '::jsonb' : ''}`);
    const numbered = table.targetNumbered;
    if (numbered) {
      const first = await takeSeqs(client, numbered.postgresCounter, rows.length);
      values.push(first);
      names.push(quote(numbered.name));
      selected.push(`$${values.length}::bigint + t.n - 1`);
    }
    const others = names.filter((n) => !table.key.map(quote).includes(n));
    const onConflict = others.length ? `DO UPDATE SET ${others.map((n) => `${n} = excluded.${n}`).join(', ')}` : 'DO NOTHING';
    await client.query(
      `INSERT INTO ${quote(table.name)} (${names.join(', ')})
       SELECT ${selected.join(', ')} FROM unnest(${unnest}) WITH ORDINALITY AS t(${table.columns.map((_, i) => `c${i}`).join(', ')}, n)
       ORDER BY t.n
       ON CONFLICT (${table.key.map(quote).join(', ')}) ${onConflict}`,
      values,
    );
    if (numbered) await notifyChange(client, numbered.postgresCounter, (values.at(-1) as number) + rows.length - 1);
  }

  async readProgress(): Promise<string | null> {
    return this.store.getState(COPY_PROGRESS_KEY);
  }

  async writeProgress(progress: string): Promise<void> {
    await this.pool.query('INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [COPY_PROGRESS_KEY, progress]);
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
