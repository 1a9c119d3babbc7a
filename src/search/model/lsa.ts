// Latent semantic analysis of the instance's own papers: TF-IDF (log tf,
// smoothed idf, unit rows) over stems seen in at least `minDf` papers, then
// the top right singular vectors. A stem's row is its idf times its singular
// coordinates, so a text's pooled vector is its TF-IDF vector projected onto
// the latent space.
import { randomizedSvd } from './randomized-svd.js';
import type { SparseRows } from './sparse-matrix.js';
import { stemCounts } from './model-tokens.js';
import { quantiseRows } from './token-table.js';
import type { TokenTable } from './token-table.js';

export interface LsaOptions {
  dimensions: number;
  /** Stems in fewer papers than this are left out (default 2). */
  minDf?: number;
  /** At most this many stems, the most frequent (default 200,000). */
  maxStems?: number;
  iterations?: number;
  random: () => number;
  onStep?: (step: string) => void;
}

export interface LsaModel extends TokenTable {
  /** The rows before quantisation (stems x dimensions), for refinement. */
  floatRows: Float32Array;
  idf: Float32Array;
  singularValues: Float64Array;
}

export function trainLsa(texts: readonly string[], opts: LsaOptions): LsaModel {
  const counts = texts.map((t) => stemCounts(t));
  const df = new Map<string, number>();
  for (const c of counts) for (const s of c.keys()) df.set(s, (df.get(s) ?? 0) + 1);
  const minDf = opts.minDf ?? 2;
  const stems = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxStems ?? 200_000)
    .map(([s]) => s);
  const column = new Map(stems.map((s, i) => [s, i]));
  const n = texts.length;
  const idf = Float32Array.from(stems, (s) => Math.log((1 + n) / (1 + df.get(s)!)) + 1);
  opts.onStep?.(`${stems.length} stems in at least ${minDf} of ${n} papers`);

  let nnz = 0;
  for (const c of counts) for (const s of c.keys()) if (column.has(s)) nnz++;
  const matrix: SparseRows = { rows: n, cols: stems.length, rowStart: new Uint32Array(n + 1), col: new Uint32Array(nnz), value: new Float32Array(nnz) };
  let k = 0;
  counts.forEach((c, r) => {
    const start = k;
    let norm = 0;
    for (const [s, tf] of c) {
      const j = column.get(s);
      if (j === undefined) continue;
      const v = (1 + Math.log(tf)) * idf[j]!;
      matrix.col[k] = j;
      matrix.value[k] = v;
      norm += v * v;
      k++;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = start; i < k; i++) matrix.value[i]! *= inv;
    matrix.rowStart[r + 1] = k;
  });

  const dimensions = Math.min(opts.dimensions, stems.length, n);
  const svd = randomizedSvd(matrix, { rank: dimensions, iterations: opts.iterations, random: opts.random });
  opts.onStep?.(`SVD: ${dimensions} dimensions, top singular values ${[...svd.values.slice(0, 3)].map((v) => v.toFixed(2)).join(', ')}`);
  const rows = new Float32Array(stems.length * dimensions);
  for (let t = 0; t < stems.length; t++) {
    for (let c = 0; c < dimensions; c++) rows[t * dimensions + c] = idf[t]! * svd.v.data[t * dimensions + c]!;
  }
  return { stems, dimensions, ...quantiseRows(rows, dimensions), floatRows: rows, idf, singularValues: svd.values };
}
