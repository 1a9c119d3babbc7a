// Approximate nearest-neighbour search through a usearch HNSW graph, for
// collections too large to scan (semantic-index.ts picks it above a threshold).
// Keys are the store's embedding seq numbers (never reused), so a replaced
// vector is a remove plus an add.
//
// Measured on perturbed copies of the demo's USE vectors, 100k x 512-d, 2 cores:
// build 105 s; f16 ef=128 p50 0.73 ms recall@10 0.979, ef=256 p50 1.5 ms
// recall@10 0.990. int8 storage plateaued at recall 0.92 whatever ef, so
// vectors are kept as f16 (1 KB each).
//
// On disk: `<prefix>.<maxSeq>.usearch` (the graph) and `<prefix>.json` (which
// file is current, its maxSeq and the seq -> paper map), both written to a
// temporary name and renamed, meta last, so a crash leaves the old pair.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { RankedIds, StoredEmbedding } from '../store/store.js';
import { checkVector, type VectorSet } from './exact-vectors.js';

const FORMAT = 1;
export const HNSW_EF_SEARCH = 256;
const SINGLE_THREAD_BELOW = 1000;

interface HnswMeta {
  format: number;
  embedderId: string;
  dimensions: number;
  file: string;
  /** The graph file's size and a hash of its ends: usearch takes ~30 s to reject a damaged file, this check ~1 ms. */
  bytes: number;
  checksum: string;
  maxSeq: number;
  /** [seq, paperId] for every vector in the graph. */
  entries: [number, string][];
}

const CHECKED_BYTES = 1 << 20;

/** sha1 of a file's first and last MiB. */
function fileChecksum(path: string, bytes: number): string {
  const hash = createHash('sha1');
  const fd = openSync(path, 'r');
  try {
    for (const start of bytes > 2 * CHECKED_BYTES ? [0, bytes - CHECKED_BYTES] : [0]) {
      const buf = Buffer.alloc(Math.min(bytes, bytes > 2 * CHECKED_BYTES ? CHECKED_BYTES : bytes));
      readSync(fd, buf, 0, buf.length, start);
      hash.update(buf);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function newIndex(dimensions: number): Index {
  return new Index({
    dimensions,
    metric: MetricKind.Cos,
    quantization: ScalarKind.F16,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: HNSW_EF_SEARCH,
    multi: false,
  });
}

export class HnswVectors implements VectorSet {
  readonly kind = 'hnsw';
  private readonly paperOf = new Map<number, string>();
  private readonly seqOf = new Map<string, number>();

  private constructor(
    readonly dimensions: number,
    private readonly index: Index,
  ) {}

  static create(dimensions: number): HnswVectors {
    return new HnswVectors(dimensions, newIndex(dimensions));
  }

  size(): number {
    return this.seqOf.size;
  }

  has(paperId: string): boolean {
    return this.seqOf.has(paperId);
  }

  paperIds(): string[] {
    return [...this.seqOf.keys()];
  }

  upsert(rows: StoredEmbedding[]): void {
    if (rows.length === 0) return;
    const d = this.dimensions;
    // Fresh arrays: usearch is unreliable with views into a larger buffer.
    const keys = new BigUint64Array(rows.length);
    const vectors = new Float32Array(rows.length * d);
    this.remove(rows.map((r) => r.paperId));
    rows.forEach((r, i) => {
      checkVector(r.vector, d, `vector of ${r.paperId}`);
      keys[i] = BigInt(r.seq);
      for (let j = 0; j < d; j++) vectors[i * d + j] = r.vector[j]! * r.scale;
    });
    // Large batches are added on every core; small ones on one thread, which builds the same graph every time
    // (a multi-threaded add of a few dozen vectors once left a node unreachable in a test).
    this.index.add(keys, vectors, rows.length < SINGLE_THREAD_BELOW ? 1 : 0);
    for (const r of rows) {
      this.paperOf.set(r.seq, r.paperId);
      this.seqOf.set(r.paperId, r.seq);
    }
  }

  remove(paperIds: Iterable<string>): void {
    for (const id of paperIds) {
      const seq = this.seqOf.get(id);
      if (seq === undefined) continue;
      this.index.remove(BigInt(seq));
      this.seqOf.delete(id);
      this.paperOf.delete(seq);
    }
  }

  search(query: Float32Array, k: number): RankedIds {
    checkVector(query, this.dimensions, 'query');
    const n = Math.min(k, this.size());
    if (n <= 0) return { ids: [], scores: [] };
    const found = this.index.search(Float32Array.from(query), n, 1);
    const ids: string[] = [];
    const scores: number[] = [];
    found.keys.forEach((key, i) => {
      const id = this.paperOf.get(Number(key));
      if (id === undefined) return;
      ids.push(id);
      scores.push(1 - found.distances[i]!);
    });
    return { ids, scores };
  }

  vectorOf(): Float32Array | null {
    return null;
  }

  /** Writes the graph and its meta file beside `metaPath`; returns the graph's file name. */
  save(metaPath: string, embedderId: string, maxSeq: number): string {
    const dir = dirname(metaPath);
    const prefix = basename(metaPath, '.json');
    const file = `${prefix}.${maxSeq}.usearch`;
    const tmp = `.${process.pid}.tmp`;
    this.index.save(join(dir, file + tmp));
    renameSync(join(dir, file + tmp), join(dir, file));
    const bytes = statSync(join(dir, file)).size;
    const checksum = fileChecksum(join(dir, file), bytes);
    const meta: HnswMeta = { format: FORMAT, embedderId, dimensions: this.dimensions, file, bytes, checksum, maxSeq, entries: [...this.paperOf] };
    writeFileSync(metaPath + tmp, JSON.stringify(meta));
    renameSync(metaPath + tmp, metaPath);
    // Older graphs of this index are no longer referenced.
    for (const f of readdirSync(dir)) {
      if (f !== file && f.startsWith(`${prefix}.`) && f.endsWith('.usearch')) rmSync(join(dir, f), { force: true });
    }
    return file;
  }

  /** Loads a saved graph; null when there is none or it does not fit (then rebuild from the store). */
  static load(metaPath: string, embedderId: string, dimensions: number): { vectors: HnswVectors; maxSeq: number } | null {
    if (!existsSync(metaPath)) return null;
    let meta: HnswMeta;
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8')) as HnswMeta;
    } catch {
      return null;
    }
    if (meta.format !== FORMAT || meta.embedderId !== embedderId || meta.dimensions !== dimensions || !Array.isArray(meta.entries)) return null;
    const path = join(dirname(metaPath), basename(meta.file));
    if (!existsSync(path) || statSync(path).size !== meta.bytes || fileChecksum(path, meta.bytes) !== meta.checksum) return null;
    const index = newIndex(dimensions);
    try {
      index.load(path);
    } catch {
      return null;
    }
    const vectors = new HnswVectors(dimensions, index);
    for (const [seq, id] of meta.entries) {
      vectors.paperOf.set(seq, id);
      vectors.seqOf.set(id, seq);
    }
    if (index.size() !== vectors.size()) return null;
    return { vectors, maxSeq: meta.maxSeq };
  }
}
