// The learned embedder's model: one vector per stem. A text's vector is the
// sum over its distinct stems of (1 + ln count) x the stem's row, scaled to
// unit length; stems the table does not know count for nothing.
import { stemCounts } from './model-tokens.js';

export interface TokenTable {
  stems: string[];
  dimensions: number;
  /** stems.length x dimensions, row-major. */
  rows: Float32Array;
}

export class TokenIndex {
  private readonly rowOf: Map<string, number>;

  constructor(readonly table: TokenTable) {
    this.rowOf = new Map(table.stems.map((s, i) => [s, i]));
  }

  row(stem: string): number | undefined {
    return this.rowOf.get(stem);
  }

  /** The unit vector of `text` (all zeros when no stem is known). */
  embed(text: string): Float32Array {
    const d = this.table.dimensions;
    const out = new Float32Array(d);
    const rows = this.table.rows;
    for (const [stem, count] of stemCounts(text)) {
      const r = this.rowOf.get(stem);
      if (r === undefined) continue;
      const w = 1 + Math.log(count);
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
