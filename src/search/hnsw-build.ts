// Building an index's HNSW graph outside the serving process's event loop:
// the vectors are read from the store here (about 3 s per million), written
// to one file, and a child process (hnsw-build-process.ts) builds the graph
// on every core and saves it as the index's cache, which semantic-index.ts
// then loads like one a previous run left.
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/store.js';

export interface VectorFile {
  embedderId: string;
  dimensions: number;
  maxSeq: number;
  paperIds: string[];
  seqs: Float64Array;
  scales: Float32Array;
  vectors: Int8Array;
}

const READ_BATCH = 5000;

/** [u32 header length][JSON header: embedderId, dimensions, maxSeq, paperIds][f64 seqs][f32 scales][i8 vectors]. */
function encodeVectorFile(v: VectorFile): Buffer[] {
  const header = Buffer.from(JSON.stringify({ embedderId: v.embedderId, dimensions: v.dimensions, maxSeq: v.maxSeq, paperIds: v.paperIds }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  // The header is padded so that the f64 array starts 8-byte aligned.
  const pad = Buffer.alloc((8 - ((4 + header.length) % 8)) % 8, 0x20);
  const view = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return [length, header, pad, view(v.seqs), view(v.scales), view(v.vectors)];
}

export function readVectorFile(bytes: Buffer): VectorFile {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Omit<VectorFile, 'seqs' | 'scales' | 'vectors'>;
  const n = header.paperIds.length;
  let at = 4 + headerLength;
  at += (8 - (at % 8)) % 8;
  // Copies: the arrays must own aligned buffers.
  const seqs = new Float64Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * 8));
  at += n * 8;
  const scales = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * 4));
  at += n * 4;
  const vectors = new Int8Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * header.dimensions));
  return { ...header, seqs, scales, vectors };
}

async function readAllVectors(store: Store, embedderId: string, dimensions: number): Promise<VectorFile> {
  let capacity = Math.max(1, await store.countEmbeddings(embedderId));
  let seqs = new Float64Array(capacity);
  let scales = new Float32Array(capacity);
  let vectors = new Int8Array(capacity * dimensions);
  const paperIds: string[] = [];
  let maxSeq = 0;
  for await (const batch of store.embeddingBatches(embedderId, { batchSize: READ_BATCH })) {
    // Vectors written since the count: grow.
    if (paperIds.length + batch.length > capacity) {
      capacity = Math.ceil((paperIds.length + batch.length) * 1.25);
      const grown = { seqs: new Float64Array(capacity), scales: new Float32Array(capacity), vectors: new Int8Array(capacity * dimensions) };
      grown.seqs.set(seqs);
      grown.scales.set(scales);
      grown.vectors.set(vectors);
      ({ seqs, scales, vectors } = grown);
    }
    for (const r of batch) {
      const i = paperIds.length;
      seqs[i] = r.seq;
      scales[i] = r.scale;
      vectors.set(r.vector, i * dimensions);
      paperIds.push(r.paperId);
      maxSeq = Math.max(maxSeq, r.seq);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const n = paperIds.length;
  return { embedderId, dimensions, maxSeq, paperIds, seqs: seqs.subarray(0, n), scales: scales.subarray(0, n), vectors: vectors.subarray(0, n * dimensions) };
}

/** The child's command line: its .ts source through tsx when running from source, else the compiled .js. */
function childArgs(args: string[]): string[] {
  const source = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./hnsw-build-process.${source ? 'ts' : 'js'}`, import.meta.url));
  return source ? ['--import', import.meta.resolve('tsx'), entry, ...args] : [entry, ...args];
}

/** Reads every vector of `embedderId` and builds their graph in a child process; resolves once it is saved at `metaPath`. */
export async function buildHnswInChild(store: Store, embedderId: string, dimensions: number, metaPath: string, onProgress?: (added: number, total: number) => void): Promise<void> {
  const input = await readAllVectors(store, embedderId, dimensions);
  const file = join(dirname(metaPath), `.hnsw-build-${process.pid}-${Date.now()}.vectors`);
  try {
    const fd = openSync(file, 'w');
    try {
      for (const part of encodeVectorFile(input)) writeSync(fd, part);
    } finally {
      closeSync(fd);
    }
    const child = spawn(process.execPath, childArgs([file, metaPath]), { stdio: ['ignore', 'pipe', 'pipe'] });
    let saved = false;
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors = (errors + chunk).slice(-2000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const added = /^added (\d+) of (\d+)$/.exec(line);
      if (added) onProgress?.(Number(added[1]), Number(added[2]));
      if (line === 'saved') saved = true;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => (saved ? resolve() : reject(new Error(`the vector graph build exited with code ${code} before saving: ${errors.trim()}`))));
    });
  } finally {
    rmSync(file, { force: true });
  }
}
