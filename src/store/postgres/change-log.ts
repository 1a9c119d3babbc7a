// The paper change log and the numbers of embedding writes (migration 002).
// Numbers are taken from a counter row just before the writing transaction
// commits; the row stays locked until then, so numbers become visible in
// commit order with no hole filled later (see ../change-feed.ts).
import type pg from 'pg';
import type { PaperChange } from '../change-feed.js';

export type ChangeCounter = 'papers' | 'embeddings';

/** The channel NOTIFYed on commit; the payload is `<counter>:<last seq>`. */
export const CHANGE_CHANNEL = 'paperboy_changes';

/**
 * Takes `n` consecutive numbers from `counter` (n > 0) and returns the first.
 * Call last in a transaction: the counter stays locked, and other writers wait, until it ends.
 */
export async function takeSeqs(client: pg.PoolClient, counter: ChangeCounter, n: number): Promise<number> {
  const { rows } = await client.query<{ last: string }>('UPDATE change_counters SET last = last + $2 WHERE name = $1 RETURNING last', [counter, n]);
  return Number(rows[0]!.last) - n + 1;
}

/** Tells listeners, when the transaction commits, that `counter` reached `last`. */
export async function notifyChange(client: pg.PoolClient, counter: ChangeCounter, last: number): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${counter}:${last}`]);
}

/** Logs the papers a transaction changed, in the order given; call just before COMMIT. */
export async function recordPaperChanges(client: pg.PoolClient, paperIds: string[]): Promise<void> {
  if (paperIds.length === 0) return;
  const first = await takeSeqs(client, 'papers', paperIds.length);
  await client.query('INSERT INTO paper_changes (seq, paper_id) SELECT $1::bigint + t.n - 1, t.id FROM unnest($2::text[]) WITH ORDINALITY AS t(id, n)', [first, paperIds]);
  await notifyChange(client, 'papers', first + paperIds.length - 1);
}

export async function paperChangesAfter(db: pg.Pool, afterSeq: number, limit: number): Promise<PaperChange[]> {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new RangeError(`afterSeq must be a non-negative integer, got ${afterSeq}`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const { rows } = await db.query<{ seq: string; paper_id: string }>('SELECT seq, paper_id FROM paper_changes WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
  return rows.map((r) => ({ seq: Number(r.seq), paperId: r.paper_id }));
}

/** The counter, not MAX(seq): it is exactly what committed transactions took. */
export async function latestSeq(db: pg.Pool, counter: ChangeCounter): Promise<number> {
  const { rows } = await db.query<{ last: string }>('SELECT last FROM change_counters WHERE name = $1', [counter]);
  return Number(rows[0]?.last ?? 0);
}

export async function changeLogId(db: pg.Pool): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM change_log_identity');
  return rows[0]!.id;
}
