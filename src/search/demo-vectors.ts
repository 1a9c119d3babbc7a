// Precomputed vectors shipped with the demo data, so a first start has semantic
// search without an hour of embedding. File format (gzip, one JSON per line):
//   {"format":"paperboy-vectors","version":1,"embedder":"use-lite-512-v1","dimensions":512}
//   {"id":"2405.13729","textHash":"1c0c1532e14f6166","scale":0.0021,"q":"<base64 int8>"}
// A vector is loaded only when the stored paper's text still hashes to textHash;
// papers whose text differs are left for the indexer.
import { createReadStream, createWriteStream, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { NewEmbedding, Store } from '../store/store.js';
import { paperTextHash } from './index-papers.js';
import { quantise } from './vector-math.js';

export interface VectorFileHeader {
  format: 'paperboy-vectors';
  version: 1;
  embedder: string;
  dimensions: number;
}

interface VectorLine {
  id: string;
  textHash: string;
  scale: number;
  q: string;
}

export class VectorFileError extends Error {}

/** Vectors shipped beside a demo file: demo/X.jsonl.gz -> demo/X.<embedder id>.vectors.jsonl.gz */
export function demoVectorsPath(demoDataPath: string, embedderId: string): string {
  return `${demoDataPath.replace(/\.jsonl(\.gz)?$/, '')}.${embedderId}.vectors.jsonl.gz`;
}

const BATCH = 500;

/** Lines of a text file, gunzipped when its name ends in .gz. */
function lines(path: string): AsyncIterable<string> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()).on('error', (err) => raw.destroy(err)) : raw;
  return createInterface({ input, crlfDelay: Infinity });
}

function parseHeader(line: string | undefined, path: string): VectorFileHeader {
  let h: Partial<VectorFileHeader> = {};
  try {
    h = JSON.parse(line ?? '') as Partial<VectorFileHeader>;
  } catch {
    // reported below
  }
  if (h.format !== 'paperboy-vectors' || h.version !== 1 || typeof h.embedder !== 'string' || !Number.isInteger(h.dimensions)) {
    throw new VectorFileError(`${path}:1: not a paperboy vectors file (bad header line)`);
  }
  return h as VectorFileHeader;
}

function parseLine(line: string, path: string, n: number, dimensions: number): VectorLine & { vector: Int8Array } {
  let v: Partial<VectorLine>;
  try {
    v = JSON.parse(line) as Partial<VectorLine>;
  } catch {
    throw new VectorFileError(`${path}:${n}: not JSON`);
  }
  if (typeof v.id !== 'string' || typeof v.textHash !== 'string' || typeof v.q !== 'string' || typeof v.scale !== 'number' || !Number.isFinite(v.scale) || v.scale < 0) {
    throw new VectorFileError(`${path}:${n}: needs id, textHash, scale and q`);
  }
  const bytes = Buffer.from(v.q, 'base64');
  if (bytes.length !== dimensions) throw new VectorFileError(`${path}:${n}: vector has ${bytes.length} components, expected ${dimensions}`);
  return { ...(v as VectorLine), vector: new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

export interface DemoVectorsReport {
  /** Why nothing was loaded, when nothing was. */
  skippedBecause?: string;
  stored: number;
  /** Papers whose stored text differs from the embedded one (left for the indexer). */
  textChanged: number;
  /** Lines for papers not in the store. */
  unknown: number;
  /** Papers that already had a current vector. */
  alreadyIndexed: number;
}

/**
 * Loads a vectors file into the store for `embedderId`. Idempotent and cheap to
 * call at every start: a state marker remembers a completed load.
 */
export async function loadDemoVectors(store: Store, path: string, embedderId: string): Promise<DemoVectorsReport> {
  const report: DemoVectorsReport = { stored: 0, textChanged: 0, unknown: 0, alreadyIndexed: 0 };
  const marker = `demo-vectors:${embedderId}:${basename(path)}`;
  if ((await store.getState(marker)) !== null) return { ...report, skippedBecause: 'already loaded' };
  const it = lines(path)[Symbol.asyncIterator]();
  const header = parseHeader((await it.next()).value as string | undefined, path);
  if (header.embedder !== embedderId) {
    await it.return?.();
    return { ...report, skippedBecause: `vectors are for ${header.embedder}, the embedder is ${embedderId}` };
  }
  let n = 1;
  let batch: ReturnType<typeof parseLine>[] = [];
  const flush = async () => {
    const papers = new Map((await store.getPapers(batch.map((b) => b.id))).map((p) => [p.id, p]));
    const rows: NewEmbedding[] = [];
    for (const b of batch) {
      const p = papers.get(b.id);
      if (!p) report.unknown++;
      else if (paperTextHash(p.title, p.abstract) !== b.textHash) report.textChanged++;
      else if ((await store.getEmbedding(embedderId, b.id))?.textHash === b.textHash) report.alreadyIndexed++;
      else rows.push({ paperId: p.id, title: p.title, abstract: p.abstract, textHash: b.textHash, scale: b.scale, vector: b.vector });
    }
    report.stored += await store.putEmbeddings(embedderId, rows);
    batch = [];
  };
  for (let r = await it.next(); !r.done; r = await it.next()) {
    n++;
    if (r.value.trim() === '') continue;
    batch.push(parseLine(r.value, path, n, header.dimensions));
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await store.setState(marker, new Date().toISOString());
  return report;
}

/**
 * Converts float vectors ({id, textHash, v: base64 float32} per line, as the
 * embedding cache holds them) into a gzipped vectors file. A later line for the
 * same id wins. Written to a temporary file and renamed. Returns the count.
 */
export async function packageVectors(input: string, output: string, embedderId: string, dimensions: number): Promise<number> {
  const byId = new Map<string, { textHash: string; scale: number; q: string }>();
  let n = 0;
  for await (const line of lines(input)) {
    n++;
    if (line.trim() === '') continue;
    let o: { id?: unknown; textHash?: unknown; v?: unknown };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      throw new VectorFileError(`${input}:${n}: not JSON`);
    }
    if (typeof o.id !== 'string' || typeof o.textHash !== 'string' || typeof o.v !== 'string') throw new VectorFileError(`${input}:${n}: needs id, textHash and v`);
    const bytes = Buffer.from(o.v, 'base64');
    if (bytes.length !== dimensions * 4) throw new VectorFileError(`${input}:${n}: vector is ${bytes.length} bytes, expected ${dimensions * 4} (${dimensions} float32 components)`);
    const f = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const { q, scale } = quantise(f);
    byId.set(o.id, { textHash: o.textHash, scale: Number(scale.toPrecision(7)), q: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64') });
  }
  const header: VectorFileHeader = { format: 'paperboy-vectors', version: 1, embedder: embedderId, dimensions };
  const ids = [...byId.keys()].sort();
  const body = [JSON.stringify(header), ...ids.map((id) => JSON.stringify({ id, ...byId.get(id) }))].join('\n') + '\n';
  const tmp = `${output}.${process.pid}.tmp`;
  await pipeline(Readable.from([body]), createGzip({ level: 9 }), createWriteStream(tmp));
  renameSync(tmp, output);
  return ids.length;
}

/** Writes every stored vector of `embedderId` into a gzipped vectors file (temporary file, then renamed). Returns the count. */
export async function exportVectors(store: Store, output: string, embedderId: string, dimensions: number): Promise<number> {
  const header: VectorFileHeader = { format: 'paperboy-vectors', version: 1, embedder: embedderId, dimensions };
  let count = 0;
  async function* body(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for await (const batch of store.embeddingBatches(embedderId, { batchSize: 2000 })) {
      count += batch.length;
      yield batch
        .map((r) => JSON.stringify({ id: r.paperId, textHash: r.textHash, scale: r.scale, q: Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength).toString('base64') }) + '\n')
        .join('');
    }
  }
  const tmp = `${output}.${process.pid}.tmp`;
  await pipeline(Readable.from(body()), createGzip({ level: 9 }), createWriteStream(tmp));
  renameSync(tmp, output);
  return count;
}

