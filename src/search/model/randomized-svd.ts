// The top right singular vectors of a sparse matrix by randomized subspace
// iteration (Halko, Martinsson and Tropp 2011, algorithm 4.4), worked on the
// terms side so that the dense blocks are terms x (k + oversampling), which
// stays small when the documents are many. Small dense steps (Cholesky,
// symmetric eigenvectors) use ml-matrix.
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { dense, denseTransposeTimes, normalTimes } from './sparse-matrix.js';
import type { Dense, SparseRows } from './sparse-matrix.js';

export interface SvdOptions {
  rank: number;
  /** Extra dimensions sampled, dropped at the end (default 16). */
  oversample?: number;
  /** Power iterations (default 5). */
  iterations?: number;
  random: () => number;
}

export interface TruncatedSvd {
  /** Right singular vectors, cols x rank, row-major: row t is term t's coordinates. */
  v: Dense;
  /** Singular values, largest first. */
  values: Float64Array;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gram matrix YᵀY of a tall block (l x l, as an ml-matrix Matrix). Four rows at a time: a quarter of the traffic to G. */
function gram(y: Dense): Matrix {
  const l = y.cols;
  const g = new Float64Array(l * l);
  const d = y.data;
  let r = 0;
  for (; r + 4 <= y.rows; r += 4) {
    const b0 = r * l;
    const b1 = b0 + l;
    const b2 = b1 + l;
    const b3 = b2 + l;
    for (let i = 0; i < l; i++) {
      const a0 = d[b0 + i]!;
      const a1 = d[b1 + i]!;
      const a2 = d[b2 + i]!;
      const a3 = d[b3 + i]!;
      const gi = i * l;
      for (let j = i; j < l; j++) g[gi + j]! += a0 * d[b0 + j]! + a1 * d[b1 + j]! + a2 * d[b2 + j]! + a3 * d[b3 + j]!;
    }
  }
  for (; r < y.rows; r++) {
    const base = r * l;
    for (let i = 0; i < l; i++) {
      const yi = d[base + i]!;
      const gi = i * l;
      for (let j = i; j < l; j++) g[gi + j]! += yi * d[base + j]!;
    }
  }
  const m = new Matrix(l, l);
  for (let i = 0; i < l; i++) for (let j = i; j < l; j++) m.set(i, j, g[i * l + j]!).set(j, i, g[i * l + j]!);
  return m;
}

/**
 * Y R⁻¹ in place, where R = Lᵀ for the Cholesky factor L: R⁻¹ is formed once
 * (l x l), then four rows of Y at a time are multiplied by it.
 */
function timesInverseOfTransposed(y: Dense, cholesky: Matrix): void {
  const l = y.cols;
  const d = y.data;
  const lower = cholesky.to2DArray();
  // ci[j * l + k] = (R⁻¹)[k][j], k <= j: column j of R⁻¹, flat.
  const ci = new Float64Array(l * l);
  const x = new Float64Array(l);
  for (let j = 0; j < l; j++) {
    // L x = e_j by forward substitution: x = L⁻¹ e_j, column j of L⁻¹ = row j of R⁻¹.
    x.fill(0);
    for (let i = j; i < l; i++) {
      let s = i === j ? 1 : 0;
      const row = lower[i]!;
      for (let k = j; k < i; k++) s -= row[k]! * x[k]!;
      x[i] = s / row[i]!;
    }
    for (let m = j; m < l; m++) ci[m * l + j] = x[m]!;
  }
  const out = new Float64Array(4 * l);
  let i = 0;
  for (; i + 4 <= y.rows; i += 4) {
    const b0 = i * l;
    const b1 = b0 + l;
    const b2 = b1 + l;
    const b3 = b2 + l;
    for (let j = 0; j < l; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const cj = j * l;
      for (let k = 0; k <= j; k++) {
        const c = ci[cj + k]!;
        s0 += d[b0 + k]! * c;
        s1 += d[b1 + k]! * c;
        s2 += d[b2 + k]! * c;
        s3 += d[b3 + k]! * c;
      }
      out[j] = s0;
      out[l + j] = s1;
      out[2 * l + j] = s2;
      out[3 * l + j] = s3;
    }
    d.set(out, b0);
  }
  for (; i < y.rows; i++) {
    const b = i * l;
    for (let j = 0; j < l; j++) {
      let s = 0;
      const cj = j * l;
      for (let k = 0; k <= j; k++) s += d[b + k]! * ci[cj + k]!;
      out[j] = s;
    }
    d.set(out.subarray(0, l), b);
  }
}

/**
 * Orthonormal columns spanning Y, in place: Cholesky QR, twice (CholeskyQR2),
 * which is as accurate as Householder QR for the well-conditioned blocks of
 * subspace iteration and costs two Gram matrices.
 */
function orthonormalise(y: Dense): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(y);
    // A tiny ridge keeps Cholesky defined when a sampled direction is (numerically) absent.
    const ridge = 1e-12 * Math.max(1e-30, g.trace() / g.rows);
    for (let i = 0; i < g.rows; i++) g.set(i, i, g.get(i, i) + ridge);
    const chol = new CholeskyDecomposition(g);
    if (!chol.isPositiveDefinite()) throw new Error('orthonormalisation failed: the sampled block is rank-deficient');
    timesInverseOfTransposed(y, chol.lowerTriangularMatrix);
  }
}

/** The `rank` largest singular values of A (rows x cols) and their right singular vectors. */
export function randomizedSvd(a: SparseRows, opts: SvdOptions): TruncatedSvd {
  const l = Math.min(opts.rank + (opts.oversample ?? 16), a.cols, a.rows);
  if (opts.rank > l) throw new RangeError(`rank ${opts.rank} is more than the matrix allows (${l})`);
  // Z spans the row space: Z = (AᵀA)^q Aᵀ A Ω, re-orthonormalised after every product pair.
  let z = dense(a.cols, l);
  for (let i = 0; i < z.data.length; i++) z.data[i] = gaussian(opts.random);
  for (let it = 0; it <= (opts.iterations ?? 5); it++) {
    z = normalTimes(a, z);
    orthonormalise(z);
  }
  // A Z = U' S' W'ᵀ via the small eigenproblem of (AZ)ᵀ(AZ) = Zᵀ(AᵀA Z) = W S² Wᵀ; then V = Z W.
  const small = denseTransposeTimes(z, normalTimes(a, z));
  const sym = new Matrix(l, l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) sym.set(i, j, (small.data[i * l + j]! + small.data[j * l + i]!) / 2);
  const eig = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const order = [...eig.realEigenvalues.keys()].sort((i, j) => eig.realEigenvalues[j]! - eig.realEigenvalues[i]!).slice(0, opts.rank);
  // W's chosen columns, as rows of a flat array (l values each), for a tight product loop.
  const w = eig.eigenvectorMatrix;
  const wt = new Float64Array(opts.rank * l);
  order.forEach((col, c) => {
    for (let k = 0; k < l; k++) wt[c * l + k] = w.get(k, col);
  });
  const v = dense(a.cols, opts.rank);
  for (let t = 0; t < a.cols; t++) {
    const zt = t * l;
    for (let c = 0; c < opts.rank; c++) {
      let s = 0;
      const wc = c * l;
      for (let k = 0; k < l; k++) s += z.data[zt + k]! * wt[wc + k]!;
      v.data[t * opts.rank + c] = s;
    }
  }
  const values = Float64Array.from(order, (i) => Math.sqrt(Math.max(0, eig.realEigenvalues[i]!)));
  return { v, values };
}
