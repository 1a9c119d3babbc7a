// Small numeric kernels for semantic search: int8 quantisation of unit vectors
// and an exact top-k scan. An exact scan is fine up to ~100k vectors; beyond
// that use an HNSW index (usearch).

/** A row-major matrix of int8 vectors, each with its own scale (vector ~= row * scale). */
export interface Int8Matrix {
  dimensions: number;
  rows: number;
  data: Int8Array;
  scales: Float32Array;
}

/** Top-k result: row indices and their scores, best first. */
export interface TopK {
  indices: number[];
  scores: number[];
}

function checkDims(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
}

/**
 * Quantises one vector with a per-vector scale (largest magnitude -> 127), which
 * keeps ~5x more resolution than a fixed scale of 127 for 512-d unit vectors
 * whose components rarely exceed 0.25.
 */
export function quantise(v: ArrayLike<number>, out: Int8Array = new Int8Array(v.length)): { q: Int8Array; scale: number } {
  if (out.length !== v.length) throw new RangeError(`output length ${out.length} != vector length ${v.length}`);
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (!Number.isFinite(a)) throw new RangeError(`vector component ${i} is not finite`);
    if (a > max) max = a;
  }
  if (max === 0) {
    out.fill(0);
    return { q: out, scale: 0 };
  }
  const scale = max / 127;
  // Rounded half away from zero, so v and -v quantise symmetrically.
  for (let i = 0; i < v.length; i++) {
    const x = v[i]! / scale;
    out[i] = x < 0 ? -Math.round(-x) : Math.round(x);
  }
  return { q: out, scale };
}

export function dequantise(q: Int8Array, scale: number): Float32Array {
  const v = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) v[i] = q[i]! * scale;
  return v;
}

/** Quantises a row-major float matrix (rows x dimensions). */
export function quantiseMatrix(matrix: Float32Array, dimensions: number): Int8Matrix {
  checkDims(dimensions);
  if (matrix.length % dimensions !== 0) throw new RangeError(`matrix length ${matrix.length} is not a multiple of ${dimensions}`);
  const rows = matrix.length / dimensions;
  const data = new Int8Array(matrix.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * dimensions;
    scales[r] = quantise(matrix.subarray(start, start + dimensions), data.subarray(start, start + dimensions)).scale;
  }
  return { dimensions, rows, data, scales };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Keeps the k largest (score, index) pairs in a min-heap; ties keep the lower index. */
class TopKHeap {
  private readonly s: number[] = [];
  private readonly i: number[] = [];
  constructor(private readonly k: number) {}

  private worse(a: number, b: number): boolean {
    const sa = this.s[a]!;
    const sb = this.s[b]!;
    return sa < sb || (sa === sb && this.i[a]! > this.i[b]!);
  }

  private swap(a: number, b: number): void {
    [this.s[a], this.s[b]] = [this.s[b]!, this.s[a]!];
    [this.i[a], this.i[b]] = [this.i[b]!, this.i[a]!];
  }

  push(score: number, index: number): void {
    if (this.s.length < this.k) {
      this.s.push(score);
      this.i.push(index);
      for (let c = this.s.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!this.worse(c, p)) break;
        this.swap(c, p);
        c = p;
      }
      return;
    }
    // Full: replace the root (the worst kept) only if the newcomer beats it.
    if (score < this.s[0]! || (score === this.s[0]! && index > this.i[0]!)) return;
    this.s[0] = score;
    this.i[0] = index;
    for (let p = 0; ; ) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < this.s.length && this.worse(l, m)) m = l;
      if (r < this.s.length && this.worse(r, m)) m = r;
      if (m === p) break;
      this.swap(p, m);
      p = m;
    }
  }

  sorted(): TopK {
    const order = this.s.map((_, j) => j).sort((a, b) => this.s[b]! - this.s[a]! || this.i[a]! - this.i[b]!);
    return { indices: order.map((j) => this.i[j]!), scores: order.map((j) => this.s[j]!) };
  }
}

/** Exact top-k rows of an int8 matrix by dot product with a float query (cosine for unit vectors). */
export function topKInt8(matrix: Int8Matrix, query: ArrayLike<number>, k: number): TopK {
  if (query.length !== matrix.dimensions) throw new RangeError(`query has ${query.length} dimensions, matrix ${matrix.dimensions}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const heap = new TopKHeap(Math.min(k, matrix.rows));
  if (k === 0) return { indices: [], scores: [] };
  const d = matrix.dimensions;
  const { data, scales } = matrix;
  for (let r = 0; r < matrix.rows; r++) {
    let s = 0;
    const base = r * d;
    for (let j = 0; j < d; j++) s += query[j]! * data[base + j]!;
    heap.push(s * scales[r]!, r);
  }
  return heap.sorted();
}

/** Exact top-k rows of a row-major float matrix by dot product. */
export function topKFloat(matrix: Float32Array, dimensions: number, query: ArrayLike<number>, k: number): TopK {
  checkDims(dimensions);
  if (query.length !== dimensions) throw new RangeError(`query has ${query.length} dimensions, matrix ${dimensions}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const rows = Math.floor(matrix.length / dimensions);
  const heap = new TopKHeap(Math.min(k, rows));
  if (k === 0) return { indices: [], scores: [] };
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * dimensions;
    for (let j = 0; j < dimensions; j++) s += query[j]! * matrix[base + j]!;
    heap.push(s, r);
  }
  return heap.sorted();
}
