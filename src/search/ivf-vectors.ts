// Approximate nearest-neighbour search for large collections: an inverted
// file (IVF) over the same int8 vectors the exact scan keeps. The vectors are
// split into lists by their nearest centroid (spherical k-means on a sample);
// a query scans only the lists of its nearest centroids, each list with
// usearch's SIMD kernel (exactSearch), and the best k are re-scored against
// the float query as ExactVectors does.
//
// Why not the HNSW graph (hnsw-vectors.ts): over the learned model's vectors
// it took 63 min to build at 1M papers (BENCHMARKS.md); the lists are built in
// about a minute from vectors already in memory, so nothing needs caching on
// disk, and a new model's vectors are searchable soon after they are stored.
//
// Until train() runs, vectors are kept in an ExactVectors and searched
// exactly; train() builds the lists from them in short synchronous steps with
// the event loop let through between them. Vectors added later join the list
// of their nearest centroid (the centroids are not moved: a new model, or a
// restart, trains them again).
import { exactSearch, MetricKind } from 'usearch';
import type { RankedIds, StoredEmbedding } from '../store/store.js';
import { mulberry32 } from '../random.js';
import { checkVector, ExactVectors, type VectorSet } from './exact-vectors.js';
import { quantise } from './vector-math.js';

export interface IvfOptions {
  /** Lists: default about the square root of the collection's size. */
  lists?: number;
  /** Share of the lists a query scans (default IVF_PROBE_SHARE), at least MIN_PROBES of them. */
  probeShare?: number;
  /** k-means rounds (default 8). */
  rounds?: number;
  seed?: number;
}

/** Measured at 1M papers (BENCHMARKS.md): the share of lists a query scans. */
export const IVF_PROBE_SHARE = 0.05;
const MIN_PROBES = 8;
/** Training sample: this many vectors per list (k-means on all of a million would take minutes). */
const SAMPLE_PER_LIST = 48;
/** Rows per synchronous step of training: about 50-100 ms of work each on 2 cores. */
const STEP_ROWS = 4096;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One inverted list: its rows' int8 vectors, scales and paper ids. */
class List {
  data: Int8Array;
  scales: Float32Array;
  ids: string[] = [];

  constructor(
    private readonly dimensions: number,
    capacity: number,
  ) {
    this.data = new Int8Array(Math.max(1, capacity) * dimensions);
    this.scales = new Float32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Appends a row; returns its index. Each list owns its buffer: usearch reads a typed array from its buffer's start. */
  push(paperId: string, vector: Int8Array, scale: number): number {
    const d = this.dimensions;
    const row = this.ids.length;
    if (row === this.scales.length) {
      const capacity = Math.ceil(this.scales.length * 1.5) + 1;
      const data = new Int8Array(capacity * d);
      data.set(this.data.subarray(0, row * d));
      const scales = new Float32Array(capacity);
      scales.set(this.scales.subarray(0, row));
      this.data = data;
      this.scales = scales;
    }
    this.data.set(vector, row * d);
    this.scales[row] = scale;
    this.ids.push(paperId);
    return row;
  }

  /** Moves the last row into `row`'s place; returns the id of the paper that moved, if any. */
  removeAt(row: number): string | null {
    const d = this.dimensions;
    const last = this.ids.length - 1;
    let moved: string | null = null;
    if (row !== last) {
      this.data.copyWithin(row * d, last * d, (last + 1) * d);
      this.scales[row] = this.scales[last]!;
      this.ids[row] = this.ids[last]!;
      moved = this.ids[row]!;
    }
    this.ids.pop();
    return moved;
  }
}

/** Vectors as float32 copies in a fresh buffer (cosine ignores the int8 scales). */
function toFloat(rows: Int8Array): Float32Array {
  return Float32Array.from(rows);
}

export class IvfVectors implements VectorSet {
  readonly kind = 'ivf';
  /** Before training: every vector, searched exactly. */
  private pending: ExactVectors | null;
  private centroids: Float32Array = new Float32Array(0);
  private centroids8: Int8Array = new Int8Array(0);
  private lists: List[] = [];
  private readonly where = new Map<string, { list: number; row: number }>();

  constructor(
    readonly dimensions: number,
    private readonly opts: IvfOptions = {},
    capacity = 1024,
  ) {
    this.pending = new ExactVectors(dimensions, capacity);
  }

  get trained(): boolean {
    return this.pending === null;
  }

  get listCount(): number {
    return this.lists.length;
  }

  size(): number {
    return this.pending?.size() ?? this.where.size;
  }

  has(paperId: string): boolean {
    return this.pending?.has(paperId) ?? this.where.has(paperId);
  }

  /** How many lists a query scans. */
  get probes(): number {
    const share = this.opts.probeShare ?? IVF_PROBE_SHARE;
    return Math.min(this.lists.length, Math.max(MIN_PROBES, Math.ceil(this.lists.length * share)));
  }

  /**
   * Builds the lists from the vectors added so far: k-means on a seeded
   * sample, then every vector assigned to its nearest centroid, in steps
   * of STEP_ROWS with the event loop let through between them.
   */
  async train(): Promise<void> {
    const exact = this.pending;
    if (exact === null) return;
    const d = this.dimensions;
    const n = exact.size();
    const listCount = Math.max(1, Math.min(this.opts.lists ?? Math.round(Math.sqrt(n)), n));
    const random = mulberry32(this.opts.seed ?? 1);
    const rows = exact.rows();
    // Sample rows (without replacement when the sample is smaller than the collection).
    const sampleSize = Math.min(n, listCount * SAMPLE_PER_LIST);
    const picked = sampleSize === n ? Array.from({ length: n }, (_, i) => i) : pickDistinct(n, sampleSize, random);
    const sample = new Float32Array(sampleSize * d);
    picked.forEach((row, i) => sample.set(toFloat(rows.data.subarray(row * d, (row + 1) * d)), i * d));
    normaliseRows(sample, d);

    // Spherical k-means from distinct sampled rows.
    let centroids = new Float32Array(listCount * d);
    for (let c = 0; c < listCount; c++) centroids.set(sample.subarray(c * d, (c + 1) * d), c * d);
    const assigned = new Uint32Array(sampleSize);
    for (let round = 0; round < (this.opts.rounds ?? 8); round++) {
      for (let start = 0; start < sampleSize; start += STEP_ROWS) {
        const end = Math.min(sampleSize, start + STEP_ROWS);
        const found = exactSearch(centroids, sample.slice(start * d, end * d), d, 1, MetricKind.Cos, 0);
        for (let i = start; i < end; i++) assigned[i] = Number(found.keys[i - start]!);
        await yieldToLoop();
      }
      const sums = new Float64Array(listCount * d);
      const counts = new Uint32Array(listCount);
      for (let i = 0; i < sampleSize; i++) {
        const c = assigned[i]!;
        counts[c]!++;
        const base = c * d;
        for (let j = 0; j < d; j++) sums[base + j]! += sample[i * d + j]!;
      }
      const next = new Float32Array(listCount * d);
      for (let c = 0; c < listCount; c++) {
        // An empty list starts again from a random sampled vector.
        if (counts[c] === 0) next.set(sample.subarray(Math.floor(random() * sampleSize) * d).subarray(0, d), c * d);
        else for (let j = 0; j < d; j++) next[c * d + j] = sums[c * d + j]!;
      }
      normaliseRows(next, d);
      centroids = next;
    }
    this.centroids = centroids;
    this.centroids8 = quantiseRows(centroids, d);

    // Assign every vector, counting first so that each list is allocated once.
    const listOf = new Uint32Array(n);
    const sizes = new Uint32Array(listCount);
    for (let start = 0; start < n; start += STEP_ROWS) {
      const end = Math.min(n, start + STEP_ROWS);
      const found = exactSearch(this.centroids8, rows.data.slice(start * d, end * d), d, 1, MetricKind.Cos, 0);
      for (let i = start; i < end; i++) {
        const c = Number(found.keys[i - start]!);
        listOf[i] = c;
        sizes[c]!++;
      }
      await yieldToLoop();
    }
    const lists = Array.from(sizes, (size) => new List(d, size));
    for (let i = 0; i < n; i++) {
      const c = listOf[i]!;
      const id = rows.ids[i]!;
      const row = lists[c]!.push(id, rows.data.subarray(i * d, (i + 1) * d), rows.scales[i]!);
      this.where.set(id, { list: c, row });
    }
    this.lists = lists;
    this.pending = null;
  }

  upsert(rows: StoredEmbedding[]): void {
    if (this.pending !== null) return this.pending.upsert(rows);
    for (const r of rows) checkVector(r.vector, this.dimensions, `vector of ${r.paperId}`);
    this.remove(rows.map((r) => r.paperId));
    for (const r of rows) {
      const list = this.nearestList(r.vector);
      const row = this.lists[list]!.push(r.paperId, r.vector, r.scale);
      this.where.set(r.paperId, { list, row });
    }
  }

  remove(paperIds: Iterable<string>): void {
    if (this.pending !== null) return this.pending.remove(paperIds);
    for (const id of paperIds) {
      const at = this.where.get(id);
      if (at === undefined) continue;
      const moved = this.lists[at.list]!.removeAt(at.row);
      if (moved !== null) this.where.set(moved, at);
      this.where.delete(id);
    }
  }

  private nearestList(vector: Int8Array): number {
    if (this.lists.length === 1) return 0;
    const found = exactSearch(this.centroids8, Int8Array.from(vector), this.dimensions, 1, MetricKind.Cos, 1);
    return Number(found.keys[0]!);
  }

  search(query: Float32Array, k: number): RankedIds {
    if (this.pending !== null) return this.pending.search(query, k);
    checkVector(query, this.dimensions, 'query');
    const n = Math.min(k, this.where.size);
    if (n <= 0) return { ids: [], scores: [] };
    const d = this.dimensions;
    const probes = exactSearch(this.centroids, Float32Array.from(query), d, this.probes, MetricKind.Cos, 1);
    const q8 = quantise(query).q;
    // Every probed list's best min(k, size) by usearch's int8 cosine distance.
    const distances: number[] = [];
    const lists: number[] = [];
    const rows: number[] = [];
    for (const key of probes.keys) {
      const c = Number(key);
      const list = this.lists[c];
      if (list === undefined || list.size === 0) continue;
      const found = exactSearch(list.data.subarray(0, list.size * d), q8, d, Math.min(n, list.size), MetricKind.Cos, 1);
      for (let i = 0; i < found.keys.length; i++) {
        const row = Number(found.keys[i]!);
        if (row >= list.size) continue;
        distances.push(found.distances[i]!);
        lists.push(c);
        rows.push(row);
      }
    }
    let keep = distances.map((_, i) => i);
    if (keep.length > n) {
      // The n closest: all below the n-th distance, then ties at it.
      const cut = Float32Array.from(distances).sort()[n - 1]!;
      const below = keep.filter((i) => distances[i]! < cut);
      keep = [...below, ...keep.filter((i) => distances[i] === cut).slice(0, n - below.length)];
    }
    const hits = keep.map((i) => {
      const list = this.lists[lists[i]!]!;
      const base = rows[i]! * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += query[j]! * list.data[base + j]!;
      return { id: list.ids[rows[i]!]!, score: s * list.scales[rows[i]!]! };
    });
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    hits.length = Math.min(hits.length, n);
    return { ids: hits.map((h) => h.id), scores: hits.map((h) => h.score) };
  }

  vectorOf(paperId: string): Float32Array | null {
    if (this.pending !== null) return this.pending.vectorOf(paperId);
    const at = this.where.get(paperId);
    if (at === undefined) return null;
    const list = this.lists[at.list]!;
    const d = this.dimensions;
    const v = new Float32Array(d);
    const scale = list.scales[at.row]!;
    for (let j = 0; j < d; j++) v[j] = list.data[at.row * d + j]! * scale;
    return v;
  }
}

function normaliseRows(m: Float32Array, d: number): void {
  for (let base = 0; base < m.length; base += d) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += m[base + j]! * m[base + j]!;
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) m[base + j]! *= inv;
  }
}

function quantiseRows(m: Float32Array, d: number): Int8Array {
  const out = new Int8Array(m.length);
  for (let base = 0; base < m.length; base += d) quantise(m.subarray(base, base + d), out.subarray(base, base + d));
  return out;
}

/** `count` distinct integers below `n`, in a seeded random order. */
function pickDistinct(n: number, count: number, random: () => number): number[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * n));
  return [...picked];
}
