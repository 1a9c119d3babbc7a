// Paper vectors on PostgreSQL (migration 003). Each write takes its seq
// numbers from the 'embeddings' counter just before committing, so vector
// indexes that catch up with `seq > N` miss nothing (change-log.ts).
import type pg from 'pg';
import { checkAfterSeq, checkEmbedderId, checkNewEmbedding, checkPositive } from '../embedding-input.js';
import type { EmbeddingTodo, NewEmbedding, StoredEmbedding } from '../store.js';
import { notifyChange, takeSeqs } from './change-log.js';
import { lockPapers } from './write-transaction.js';
import type { WriteTx } from './write-transaction.js';

export const DEFAULT_EMBEDDING_BATCH = 2000;

interface EmbeddingDbRow {
  seq: string;
  paper_id: string;
  text_hash: string;
  scale: number;
  vector: Buffer;
}

function toStored(r: EmbeddingDbRow): StoredEmbedding {
  const vector = new Int8Array(r.vector.byteLength);
  vector.set(new Int8Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
  return { seq: Number(r.seq), paperId: r.paper_id, textHash: r.text_hash, scale: r.scale, vector };
}

/** No vector under this embedder, or only a stale one (there is at most one row per paper and embedder). */
const NEEDS_VECTOR = 'NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_id = p.id AND e.embedder_id = $1 AND NOT e.stale)';

export async function papersNeedingEmbedding(db: pg.Pool, embedderId: string, opts: { limit: number; afterId?: string | null }): Promise<EmbeddingTodo[]> {
  checkEmbedderId(embedderId);
  checkPositive('limit', opts.limit);
  const { rows } = await db.query<{ id: string; title: string; abstract: string }>(
    `SELECT p.id, p.title, p.abstract FROM papers p WHERE p.id > $2 AND ${NEEDS_VECTOR} ORDER BY p.id LIMIT $3`,
    [embedderId, opts.afterId ?? '', opts.limit],
  );
  return rows.map((r) => ({ paperId: r.id, title: r.title, abstract: r.abstract }));
}

export async function countPapersNeedingEmbedding(db: pg.Pool, embedderId: string): Promise<number> {
  checkEmbedderId(embedderId);
  const { rows } = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM papers p WHERE ${NEEDS_VECTOR}`, [embedderId]);
  return rows[0]?.n ?? 0;
}

/**
 * Stores the vectors whose paper still has the title and abstract given,
 * replacing older ones; returns how many. The papers are locked first (as
 * upsertItems locks them), so their text cannot change before this commits.
 * Of two rows for one paper, the later wins.
 */
export async function putEmbeddings(tx: WriteTx, embedderId: string, rows: NewEmbedding[]): Promise<number> {
  checkEmbedderId(embedderId);
  rows.forEach(checkNewEmbedding);
  const byPaper = new Map(rows.map((r) => [r.paperId, r]));
  const incoming = [...byPaper.values()];
  if (incoming.length === 0) return 0;
  await lockPapers(tx.client, incoming.map((r) => r.paperId));
  const { rows: current } = await tx.client.query<{ id: string }>(
    `SELECT t.id FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(id, title, abstract, n)
     JOIN papers p ON p.id = t.id AND p.title = t.title AND p.abstract = t.abstract ORDER BY t.n`,
    [incoming.map((r) => r.paperId), incoming.map((r) => r.title), incoming.map((r) => r.abstract)],
  );
  const valid = current.map((c) => byPaper.get(c.id)!);
  if (valid.length === 0) return 0;
  const first = await takeSeqs(tx.client, 'embeddings', valid.length);
  await tx.client.query(
    `INSERT INTO paper_embeddings (paper_id, embedder_id, seq, text_hash, stale, scale, vector)
     SELECT t.paper_id, $1, $2::bigint + t.n - 1, t.text_hash, FALSE, t.scale, t.vector
     FROM unnest($3::text[], $4::text[], $5::float8[], $6::bytea[]) WITH ORDINALITY AS t(paper_id, text_hash, scale, vector, n)
     ON CONFLICT (paper_id, embedder_id) DO UPDATE
       SET seq = excluded.seq, text_hash = excluded.text_hash, stale = FALSE, scale = excluded.scale, vector = excluded.vector`,
    [
      embedderId,
      first,
      valid.map((r) => r.paperId),
      valid.map((r) => r.textHash),
      valid.map((r) => r.scale),
      valid.map((r) => Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength)),
    ],
  );
  await notifyChange(tx.client, 'embeddings', first + valid.length - 1);
  return valid.length;
}

export async function* embeddingBatches(db: pg.Pool, embedderId: string, opts: { afterSeq?: number; batchSize?: number } = {}): AsyncIterable<StoredEmbedding[]> {
  checkEmbedderId(embedderId);
  const batchSize = opts.batchSize ?? DEFAULT_EMBEDDING_BATCH;
  checkPositive('batchSize', batchSize);
  let after = opts.afterSeq ?? 0;
  checkAfterSeq(after);
  for (;;) {
    const { rows } = await db.query<EmbeddingDbRow>(
      'SELECT seq, paper_id, text_hash, scale, vector FROM paper_embeddings WHERE embedder_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [embedderId, after, batchSize],
    );
    if (rows.length === 0) return;
    const batch = rows.map(toStored);
    yield batch;
    after = batch.at(-1)!.seq;
    if (batch.length < batchSize) return;
  }
}

export async function countEmbeddings(db: pg.Pool, embedderId: string): Promise<number> {
  checkEmbedderId(embedderId);
  const { rows } = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM paper_embeddings WHERE embedder_id = $1', [embedderId]);
  return rows[0]?.n ?? 0;
}

export async function getEmbedding(db: pg.Pool, embedderId: string, paperId: string): Promise<StoredEmbedding | null> {
  checkEmbedderId(embedderId);
  const { rows } = await db.query<EmbeddingDbRow>('SELECT seq, paper_id, text_hash, scale, vector FROM paper_embeddings WHERE paper_id = $1 AND embedder_id = $2', [
    paperId,
    embedderId,
  ]);
  return rows[0] ? toStored(rows[0]) : null;
}
