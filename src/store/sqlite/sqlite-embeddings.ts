// Paper vectors in SQLite (migration 005). The table is the source of truth for
// semantic search; vector indexes are caches that catch up by `seq`.
//
// Finding work stays index-only at 1M papers: papers are walked in id order on
// their primary-key index, a missing vector is a probe of the (paper_id,
// embedder_id) unique index, and a stale one a probe of a partial index that
// only holds stale rows.
import type Database from 'better-sqlite3';
import type { EmbeddingTodo, NewEmbedding, StoredEmbedding } from '../store.js';

type Sql = (text: string) => Database.Statement;

interface EmbeddingDbRow {
  seq: number;
  paper_id: string;
  text_hash: string;
  scale: number;
  vector: Buffer;
}

const NEEDS_VECTOR = `(
  NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_id = p.id AND e.embedder_id = @embedder)
  OR EXISTS (SELECT 1 FROM paper_embeddings e INDEXED BY paper_embeddings_stale
             WHERE e.paper_id = p.id AND e.embedder_id = @embedder AND e.stale = 1))`;

export const DEFAULT_EMBEDDING_BATCH = 2000;

function checkEmbedderId(embedderId: string): void {
  if (typeof embedderId !== 'string' || embedderId.trim() === '') throw new TypeError('embedderId must be a non-empty string');
}

function checkPositive(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
}

function toStored(r: EmbeddingDbRow): StoredEmbedding {
  // Copy out of the driver's buffer: the vector must own its bytes (usearch ignores byteOffset).
  const vector = new Int8Array(r.vector.byteLength);
  vector.set(new Int8Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
  return { seq: r.seq, paperId: r.paper_id, textHash: r.text_hash, scale: r.scale, vector };
}

export function papersNeedingEmbedding(sql: Sql, embedderId: string, opts: { limit: number; afterId?: string | null }): EmbeddingTodo[] {
  checkEmbedderId(embedderId);
  checkPositive('limit', opts.limit);
  const rows = sql(`SELECT p.id, p.title, p.abstract FROM papers p WHERE p.id > @after AND ${NEEDS_VECTOR} ORDER BY p.id LIMIT @limit`).all({
    embedder: embedderId,
    after: opts.afterId ?? '',
    limit: opts.limit,
  }) as { id: string; title: string; abstract: string }[];
  return rows.map((r) => ({ paperId: r.id, title: r.title, abstract: r.abstract }));
}

export function countPapersNeedingEmbedding(sql: Sql, embedderId: string): number {
  checkEmbedderId(embedderId);
  return (sql(`SELECT COUNT(*) AS n FROM papers p WHERE ${NEEDS_VECTOR}`).get({ embedder: embedderId }) as { n: number }).n;
}

/** Call inside a transaction. */
export function putEmbeddings(sql: Sql, embedderId: string, rows: NewEmbedding[]): number {
  checkEmbedderId(embedderId);
  let stored = 0;
  // INSERT OR REPLACE deletes the old row, so the new one gets a fresh seq.
  const put = sql(`INSERT OR REPLACE INTO paper_embeddings (paper_id, embedder_id, text_hash, stale, scale, vector)
    SELECT id, @embedder, @hash, 0, @scale, @vector FROM papers WHERE id = @id AND title = @title AND abstract = @abstract`);
  for (const r of rows) {
    if (!(r.vector instanceof Int8Array) || r.vector.length === 0) throw new TypeError(`vector of ${r.paperId} must be a non-empty Int8Array`);
    if (!Number.isFinite(r.scale) || r.scale < 0) throw new RangeError(`scale of ${r.paperId} must be a finite non-negative number, got ${r.scale}`);
    if (typeof r.textHash !== 'string' || r.textHash === '') throw new TypeError(`textHash of ${r.paperId} must be a non-empty string`);
    const vector = Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength);
    stored += put.run({ embedder: embedderId, id: r.paperId, title: r.title, abstract: r.abstract, hash: r.textHash, scale: r.scale, vector }).changes > 0 ? 1 : 0;
  }
  return stored;
}

export function embeddingBatch(sql: Sql, embedderId: string, afterSeq: number, batchSize: number): StoredEmbedding[] {
  checkEmbedderId(embedderId);
  checkPositive('batchSize', batchSize);
  const rows = sql(
    'SELECT seq, paper_id, text_hash, scale, vector FROM paper_embeddings WHERE seq > ? AND embedder_id = ? ORDER BY seq LIMIT ?',
  ).all(afterSeq, embedderId, batchSize) as EmbeddingDbRow[];
  return rows.map(toStored);
}

export async function* embeddingBatches(
  sql: Sql,
  embedderId: string,
  opts: { afterSeq?: number; batchSize?: number } = {},
): AsyncIterable<StoredEmbedding[]> {
  const batchSize = opts.batchSize ?? DEFAULT_EMBEDDING_BATCH;
  let after = opts.afterSeq ?? 0;
  if (!Number.isInteger(after) || after < 0) throw new RangeError(`afterSeq must be a non-negative integer, got ${after}`);
  for (;;) {
    const batch = embeddingBatch(sql, embedderId, after, batchSize);
    if (batch.length === 0) return;
    yield batch;
    after = batch.at(-1)!.seq;
    if (batch.length < batchSize) return;
  }
}

export function countEmbeddings(sql: Sql, embedderId: string): number {
  checkEmbedderId(embedderId);
  return (sql('SELECT COUNT(*) AS n FROM paper_embeddings WHERE embedder_id = ?').get(embedderId) as { n: number }).n;
}

/** MAX of the rowid: one b-tree descent. */
export function latestEmbeddingSeq(sql: Sql): number {
  return (sql('SELECT MAX(seq) AS s FROM paper_embeddings').get() as { s: number | null }).s ?? 0;
}

export function getEmbedding(sql: Sql, embedderId: string, paperId: string): StoredEmbedding | null {
  checkEmbedderId(embedderId);
  const r = sql('SELECT seq, paper_id, text_hash, scale, vector FROM paper_embeddings WHERE paper_id = ? AND embedder_id = ?').get(paperId, embedderId) as
    | EmbeddingDbRow
    | undefined;
  return r ? toStored(r) : null;
}
