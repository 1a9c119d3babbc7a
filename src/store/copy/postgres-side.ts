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

/** Key columns as compared and sorted: text by bytes (COLLATE "C", as SQLite compares), whatever the column's own collation. */
function keyColumns(table: CopyTable): string {
  return table.key.map((k) => (table.columns.find((c) => c.name === k)?.type === 'text' ? `${quote(k)} COLLATE "C"` : quote(k))).join(', ');
}

function copiedColumns(table: CopyTable): string {
  return table.columns.map((c) => quote(c.name)).join(', ');
}

/** A paper that is in no change log entry (none should be) arrives after every logged one. */
const NEVER_LOGGED = '9223372036854775807';

export class PostgresCopySide implements CopySide {
  readonly backend = 'postgres';
  /** The connection holding the papers' arrival order (a temporary table), made on first use. */
  private arrivalClient: Promise<pg.PoolClient> | null = null;

  private constructor(
    private readonly store: PostgresStore,
    readonly label: string,
  ) {}

  /** Migrates the database through the PostgreSQL store, then opens it for the copy. */
  static async open(url: string): Promise<PostgresCopySide> {
    const label = describePostgresUrl(url);
    const store = PostgresStore.open(url, { maxConnections: 3 });
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

  /** The database (whoever connects to it) and its change log's random id, made with the database. */
  async identity(): Promise<string> {
    return `${this.label.replace(/\/\/[^@/]*@/, '//')}#${await this.store.paperChangeLogId()}`;
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
      where.push(`(${keyColumns(table)}) > (${after.map((_, i) => `$${i + 1}`).join(', ')})`);
    }
    const skip = this.skipClause(table, params);
    if (skip) where.push(skip);
    params.push(limit);
    const text = `SELECT ${copiedColumns(table)} FROM ${quote(table.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${keyColumns(table)} LIMIT $${params.length}`;
    const { rows } = await this.pool.query({ text, values: params, rowMode: 'array' });
    return (rows as unknown[][]).map((r) => r.map((v, i) => fromPostgres(table.columns[i]!.type, v)));
  }

  async readArrivalBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<{ rows: PortableRow[]; next: KeyValues | null }> {
    if (table.arrival === 'papers') return this.readPapersByArrival(table, after, limit);
    const column = quote(table.arrival ?? 'seq');
    const params: unknown[] = [after?.[0] ?? -1];
    const where = [`${column} > $1`];
    const skip = this.skipClause(table, params);
    if (skip) where.push(skip);
    params.push(limit);
    // Named apart: ORDER BY seq would sort by the text output column of that name.
    const text = `SELECT ${copiedColumns(table)}, ${column}::text AS copy_cursor FROM ${quote(table.name)} WHERE ${where.join(' AND ')} ORDER BY ${column} LIMIT $${params.length}`;
    const { rows: raw } = await this.pool.query({ text, values: params, rowMode: 'array' });
    const rows = (raw as unknown[][]).map((r) => table.columns.map((c, i) => fromPostgres(c.type, r[i])));
    return { rows, next: raw.length > 0 ? [Number((raw.at(-1) as unknown[]).at(-1))] : after };
  }

  /**
   * Papers in the order of their first change log entry, which is the order
   * every process's local keyword index received them. Worked out once per
   * copy into a temporary table (one aggregate over the log), then read by keyset.
   */
  private async readPapersByArrival(table: CopyTable, after: KeyValues | null, limit: number): Promise<{ rows: PortableRow[]; next: KeyValues | null }> {
    this.arrivalClient ??= (async () => {
      const client = await this.pool.connect();
      await client.query(`CREATE TEMPORARY TABLE copy_paper_arrival AS
        SELECT p.id, COALESCE(c.first, ${NEVER_LOGGED}) AS first
        FROM papers p LEFT JOIN (SELECT paper_id, MIN(seq) AS first FROM paper_changes GROUP BY paper_id) c ON c.paper_id = p.id`);
      await client.query('CREATE UNIQUE INDEX ON copy_paper_arrival (first, id)');
      await client.query('ANALYZE copy_paper_arrival');
      return client;
    })();
    const client = await this.arrivalClient;
    const columns = table.columns.map((c) => `p.${quote(c.name)}`).join(', ');
    const [first, id] = after ?? ['-1', ''];
    const { rows: raw } = await client.query({
      text: `SELECT ${columns}, a.first::text, a.id FROM copy_paper_arrival a JOIN papers p ON p.id = a.id
        WHERE (a.first, a.id) > ($1::bigint, $2) ORDER BY a.first, a.id LIMIT $3`,
      values: [first, id, limit],
      rowMode: 'array',
    });
    const rows = (raw as unknown[][]).map((r) => table.columns.map((c, i) => fromPostgres(c.type, r[i])));
    const last = raw.at(-1) as unknown[] | undefined;
    return { rows, next: last ? [last.at(-2) as string, last.at(-1) as string] : after };
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
    const arrival = await this.arrivalClient?.catch(() => null);
    this.arrivalClient = null;
    if (arrival) {
      await arrival.query('DROP TABLE IF EXISTS copy_paper_arrival').catch(() => {});
      arrival.release();
    }
    await this.store.close();
  }
}
