import type pg from 'pg';
import { recordPaperChanges } from './change-log.js';

export interface WriteTx {
  client: pg.PoolClient;
  /** Logs that this paper changed, when the transaction commits (change-log.ts). */
  paperChanged(paperId: string): void;
}

/**
 * Runs `fn` in a transaction on one pooled connection; the papers it marked
 * changed are logged at the very end, so the change counter is held only
 * while committing. Every write of PostgresStore goes through here.
 */
export async function writeTransaction<T>(pool: pg.Pool, fn: (tx: WriteTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const changed = new Set<string>();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await fn({ client, paperChanged: (id) => changed.add(id) });
      await recordPaperChanges(client, [...changed]);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    }
  } finally {
    // A connection whose rollback failed may be mid-transaction: close it rather than reuse it.
    client.release(broken);
  }
}

/**
 * Waits, until the transaction ends, for every other writer of these papers:
 * reads that follow see their committed rows. Locks are taken in id order so
 * two transactions over the same papers never deadlock.
 */
export async function lockPapers(client: pg.PoolClient, paperIds: string[]): Promise<void> {
  if (paperIds.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended('paperboy:paper:' || id, 0) AS k FROM unnest($1::text[]) AS id ORDER BY k
     ) AS keys`,
    [paperIds],
  );
}
