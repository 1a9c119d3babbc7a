// Loading BEIR-format data (corpus.jsonl, queries.jsonl, qrels TSV) and caching
// corpus vectors on disk, for bench/search-quality.ts. BEIR SciFact is
// evaluation-only: it is read in place and never copied into the repository.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../src/search/embedder.js';
import type { Qrels } from '../src/search/eval-metrics.js';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

async function readJsonl(path: string): Promise<unknown[]> {
  const raw = await readFile(path, 'utf8');
  const rows: unknown[] = [];
  raw.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return rows;
}

function field(row: unknown, name: string, path: string): string {
  const v = (row as Record<string, unknown> | null)?.[name];
  if (typeof v === 'string') return v;
  if (v === undefined && name === 'title') return '';
  throw new Error(`${path}: a row has no string "${name}"`);
}

export async function loadCorpus(dir: string): Promise<BeirDoc[]> {
  const path = join(dir, 'corpus.jsonl');
  return (await readJsonl(path)).map((r) => ({ id: field(r, '_id', path), title: field(r, 'title', path), text: field(r, 'text', path) }));
}

export async function loadQueries(dir: string): Promise<BeirQuery[]> {
  const path = join(dir, 'queries.jsonl');
  return (await readJsonl(path)).map((r) => ({ id: field(r, '_id', path), text: field(r, 'text', path) }));
}

/** BEIR qrels: a header line, then `query-id \t corpus-id \t score`. */
export async function loadQrels(path: string): Promise<Qrels> {
  const qrels: Qrels = new Map();
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    const cols = line.trim().split('\t');
    if (cols.length < 3 || (i === 0 && cols[0] === 'query-id')) return;
    const [q, d, s] = cols as [string, string, string];
    const grade = Number(s);
    if (!Number.isFinite(grade)) throw new Error(`${path}:${i + 1}: score "${s}" is not a number`);
    let judged = qrels.get(q);
    if (judged === undefined) qrels.set(q, (judged = new Map()));
    judged.set(d, grade);
  });
  if (qrels.size === 0) throw new Error(`${path}: no judgements found`);
  return qrels;
}

/** Identifies the exact texts to embed (ids and content, in order). */
export function textsHash(ids: string[], texts: string[]): string {
  const h = createHash('sha256');
  ids.forEach((id, i) => h.update(`${id}\u0000${texts[i]}\u0000`));
  return h.digest('hex').slice(0, 16);
}

/**
 * Vectors for `texts`, read from `cacheDir` when a file for this embedder and
 * these texts exists, otherwise embedded and written there (temp + rename).
 * Returns one row-major Float32Array of texts.length x dimensions.
 */
export async function cachedEmbeddings(
  embedder: Embedder,
  ids: string[],
  texts: string[],
  cacheDir: string,
): Promise<{ matrix: Float32Array; fromCache: boolean; seconds: number }> {
  const safeId = embedder.id.replace(/[^\w.-]/g, '_');
  const file = join(cacheDir, `${safeId}-${textsHash(ids, texts)}.f32`);
  const expectedBytes = texts.length * embedder.dimensions * 4;
  const t0 = performance.now();
  try {
    const buf = await readFile(file);
    if (buf.byteLength === expectedBytes) {
      const matrix = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      return { matrix, fromCache: true, seconds: (performance.now() - t0) / 1000 };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const vectors = await embedder.embed(texts);
  const matrix = new Float32Array(texts.length * embedder.dimensions);
  vectors.forEach((v, i) => matrix.set(v, i * embedder.dimensions));
  const seconds = (performance.now() - t0) / 1000;
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, new Uint8Array(matrix.buffer));
  await rename(tmp, file);
  return { matrix, fromCache: false, seconds };
}
