// A sparse matrix in compressed rows (documents x terms) and the two products
// randomized SVD needs, with dense blocks stored row-major in Float64Array.

export interface SparseRows {
  rows: number;
  cols: number;
  /** Row r's entries are at [rowStart[r], rowStart[r + 1]). */
  rowStart: Uint32Array;
  col: Uint32Array;
  value: Float32Array;
}

/** A dense rows x cols block, row-major. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A (n x m) times B (m x l): n x l. */
export function times(a: SparseRows, b: Dense): Dense {
  if (b.rows !== a.cols) throw new RangeError(`shapes ${a.rows}x${a.cols} and ${b.rows}x${b.cols} do not multiply`);
  const l = b.cols;
  const out = dense(a.rows, l);
  const o = out.data;
  const bd = b.data;
  for (let r = 0; r < a.rows; r++) {
    const base = r * l;
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const v = a.value[k]!;
      const from = a.col[k]! * l;
      for (let j = 0; j < l; j++) o[base + j]! += v * bd[from + j]!;
    }
  }
  return out;
}

/** A transposed (m x n) times B (n x l): m x l. */
export function transposeTimes(a: SparseRows, b: Dense): Dense {
  if (b.rows !== a.rows) throw new RangeError(`shapes ${a.cols}x${a.rows} and ${b.rows}x${b.cols} do not multiply`);
  const l = b.cols;
  const out = dense(a.cols, l);
  const o = out.data;
  const bd = b.data;
  for (let r = 0; r < a.rows; r++) {
    const from = r * l;
    for (let k = a.rowStart[r]!; k < a.rowStart[r + 1]!; k++) {
      const v = a.value[k]!;
      const base = a.col[k]! * l;
      for (let j = 0; j < l; j++) o[base + j]! += v * bd[from + j]!;
    }
  }
  return out;
}

/**
 * AᵀA times B (m x l) without forming A B: each row x of A adds xᵀ(x B).
 * Memory is two m x l blocks however many rows A has.
 */
export function normalTimes(a: SparseRows, b: Dense): Dense {
  if (b.rows !== a.cols) throw new RangeError(`shapes ${a.cols}x${a.cols} and ${b.rows}x${b.cols} do not multiply`);
  const l = b.cols;
  const out = dense(a.cols, l);
  const o = out.data;
  const bd = b.data;
  const y = new Float64Array(l);
  for (let r = 0; r < a.rows; r++) {
    y.fill(0);
    const end = a.rowStart[r + 1]!;
    for (let k = a.rowStart[r]!; k < end; k++) {
      const v = a.value[k]!;
      const from = a.col[k]! * l;
      for (let j = 0; j < l; j++) y[j]! += v * bd[from + j]!;
    }
    for (let k = a.rowStart[r]!; k < end; k++) {
      const v = a.value[k]!;
      const base = a.col[k]! * l;
      for (let j = 0; j < l; j++) o[base + j]! += v * y[j]!;
    }
  }
  return out;
}

/** Aᵀ B for dense blocks of equal row count: a.cols x b.cols. */
export function denseTransposeTimes(a: Dense, b: Dense): Dense {
  if (a.rows !== b.rows) throw new RangeError('row counts differ');
  const out = dense(a.cols, b.cols);
  const o = out.data;
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < a.cols; i++) {
      const ai = a.data[r * a.cols + i]!;
      if (ai === 0) continue;
      const oi = i * b.cols;
      const bi = r * b.cols;
      for (let j = 0; j < b.cols; j++) o[oi + j]! += ai * b.data[bi + j]!;
    }
  }
  return out;
}
