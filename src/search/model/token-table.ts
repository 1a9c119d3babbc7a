// The learned embedder's model: one vector per stem, stored as int8 with a
// scale per row (a quarter of the memory of float32, and as measured on the
// demo papers, the same ranking). A text's vector is the sum over its
// distinct stems of (1 + ln count) x the stem's row, scaled to unit length;
// stems the table does not know count for nothing.
import { stemCounts } from './model-tokens.js';

export interface TokenTable {
  stems: string[];
  dimensions: number;
  /** stems.length x dimensions, row-major: row i ~= rows[i * d .. (i + 1) * d] x scales[i]. */
  rows: Int8Array;
  scales: Float32Array;
}

/** Quantises float rows (stems x dimensions) to int8 with a scale per row. */
export function quantiseRows(rows: Float32Array | Float64Array, dimensions: number): { rows: Int8Array; scales: Float32Array } {
  const n = rows.length / dimensions;
  const q = new Int8Array(rows.length);
  const scales = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let max = 0;
    const base = r * dimensions;
    for (let j = 0; j < dimensions; j++) max = Math.max(max, Math.abs(rows[base + j]!));
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let j = 0; j < dimensions; j++) q[base + j] = Math.round(rows[base + j]! / scale);
  }
  return { rows: q, scales };
}

export class TokenIndex {
  private readonly rowOf: Map<string, number>;

  constructor(readonly table: TokenTable) {
    this.rowOf = new Map(table.stems.map((s, i) => [s, i]));
  }

  get dimensions(): number {
    return this.table.dimensions;
  }

  row(stem: string): number | undefined {
    return this.rowOf.get(stem);
  }

  /** How many of the text's stems the model knows. */
  knownStems(text: string): number {
    let n = 0;
    for (const stem of stemCounts(text).keys()) if (this.rowOf.has(stem)) n++;
    return n;
  }

  /** The unit vector of `text` (all zeros when no stem is known). */
  embed(text: string): Float32Array {
    const d = this.table.dimensions;
    const out = new Float32Array(d);
    const { rows, scales } = this.table;
    for (const [stem, count] of stemCounts(text)) {
      const r = this.rowOf.get(stem);
      if (r === undefined) continue;
      const w = (1 + Math.log(count)) * scales[r]!;
      const base = r * d;
      for (let j = 0; j < d; j++) out[j]! += w * rows[base + j]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += out[j]! * out[j]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) out[j]! *= inv;
    }
    return out;
  }
}
