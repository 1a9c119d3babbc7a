// Contrastive refinement of a token table (the LSA start): pairs of texts that
// belong together (a paper's title and its abstract; one sentence of an
// abstract and the rest of it) are pulled together and every other pair of
// the batch pushed apart (in-batch negatives, a symmetric InfoNCE loss). The
// encoder is the embedder's own: the sum of (1 + ln count) x the stem's row
// over a text's distinct known stems, scaled to unit length, so the gradient
// reaches exactly the rows of the stems a batch holds (Adagrad, per element).
// Single-threaded and seeded: the same pairs, table and seed give the same rows.
import { stemCounts } from './model-tokens.js';

export interface ContrastiveOptions {
  epochs?: number;
  /** Pairs per batch: each pair's partner is the positive, the batch's other partners the negatives. */
  batch?: number;
  temperature?: number;
  /** Adagrad's step size, relative to the rows' mean absolute value. */
  learningRate?: number;
  random: () => number;
  onStep?: (line: string) => void;
}

export const CONTRASTIVE_DEFAULTS = { epochs: 3, batch: 128, temperature: 0.05, learningRate: 0.05 } as const;

/** A text as the rows it pools and their weights. */
interface Encoded {
  rows: Int32Array;
  weights: Float32Array;
}

function encoder(stems: readonly string[]): (text: string) => Encoded {
  const rowOf = new Map(stems.map((s, i) => [s, i]));
  return (text) => {
    const rows: number[] = [];
    const weights: number[] = [];
    for (const [stem, count] of stemCounts(text)) {
      const r = rowOf.get(stem);
      if (r === undefined) continue;
      rows.push(r);
      weights.push(1 + Math.log(count));
    }
    return { rows: Int32Array.from(rows), weights: Float32Array.from(weights) };
  };
}

/** Pooled, unit-length vectors of the texts; `norms` keeps each pre-normalisation length. */
function pool(texts: readonly Encoded[], table: Float32Array, d: number, out: Float32Array, norms: Float32Array): void {
  out.fill(0);
  texts.forEach((t, i) => {
    const base = i * d;
    for (let k = 0; k < t.rows.length; k++) {
      const w = t.weights[k]!;
      const r = t.rows[k]! * d;
      for (let j = 0; j < d; j++) out[base + j]! += w * table[r + j]!;
    }
    let n = 0;
    for (let j = 0; j < d; j++) n += out[base + j]! * out[base + j]!;
    n = Math.sqrt(n) || 1;
    norms[i] = n;
    for (let j = 0; j < d; j++) out[base + j]! /= n;
  });
}

/** The pairs of a sample of papers: (title, abstract) and (a sentence of the abstract, the rest of it). */
export function trainingPairs(papers: readonly { title: string; abstract: string }[], random: () => number): [string, string][] {
  const pairs: [string, string][] = [];
  for (const p of papers) {
    if (p.title.trim() !== '' && p.abstract.trim() !== '') pairs.push([p.title, p.abstract]);
    const sentences = p.abstract.split(/(?<=[.!?])\s+(?=[A-Z])/u).filter((s) => s.trim().length > 30);
    if (sentences.length >= 3) {
      const i = Math.floor(random() * sentences.length);
      pairs.push([sentences[i]!, sentences.filter((_, j) => j !== i).join(' ')]);
    }
  }
  return pairs;
}

type Pairs = readonly (readonly [string, string])[];

/**
 * One softmax cross-entropy term of the symmetric loss: logits[at(0..n-1)]
 * against the right answer `right`; adds its gradient into `g` and returns
 * its loss. `at(k)` = first + k * stride walks a row (stride 1) or a column.
 */
function crossEntropy(logits: Float64Array, g: Float64Array, first: number, stride: number, n: number, right: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[first + k * stride]!);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(logits[first + k * stride]! - max);
  for (let k = 0; k < n; k++) g[first + k * stride]! += Math.exp(logits[first + k * stride]! - max) / sum;
  g[right]! -= 1;
  return Math.log(sum) + max - logits[right]!;
}

/**
 * The symmetric InfoNCE loss of a batch (each left text must pick its partner
 * among the rights, and each right its left), with G[i][j] = dLoss/dlogit
 * = (softmax by row + softmax by column - 2 [i == j]) in `g`, unscaled.
 */
function symmetricLoss(logits: Float64Array, g: Float64Array, batch: number): number {
  g.fill(0);
  let loss = 0;
  for (let i = 0; i < batch; i++) loss += crossEntropy(logits, g, i * batch, 1, batch, i * batch + i);
  for (let j = 0; j < batch; j++) loss += crossEntropy(logits, g, j, batch, batch, j * batch + j);
  return loss / (2 * batch);
}

/**
 * Adagrad on the rows of a table that a batch touches: gradients are added
 * into one slot of d per touched row (a batch touches a few thousand of the
 * table's rows), then applied and cleared.
 */
class SparseAdagrad {
  private readonly squares: Float32Array;
  private readonly slotOf: Int32Array;
  private grad: Float32Array;
  private readonly touched: number[] = [];

  constructor(
    private readonly rows: Float32Array,
    private readonly d: number,
    private readonly step: number,
  ) {
    this.squares = new Float32Array(rows.length);
    this.slotOf = new Int32Array(rows.length / d).fill(-1);
    this.grad = new Float32Array(4096 * d);
  }

  /** Forgets the sums of squares (each epoch starts afresh). */
  restart(): void {
    this.squares.fill(0);
  }

  /** Adds w x vector[from .. from + d] to the gradient of `row`. */
  add(row: number, w: number, vector: Float32Array, from: number): void {
    const d = this.d;
    if (this.slotOf[row] === -1) {
      this.slotOf[row] = this.touched.length;
      this.touched.push(row);
      if (this.touched.length * d > this.grad.length) {
        const grown = new Float32Array(this.grad.length * 2);
        grown.set(this.grad);
        this.grad = grown;
      }
    }
    const base = this.slotOf[row]! * d;
    for (let k = 0; k < d; k++) this.grad[base + k]! += w * vector[from + k]!;
  }

  /** Applies the gradients added since the last step. */
  apply(): void {
    const { d, grad, squares, rows, step } = this;
    this.touched.forEach((r, slot) => {
      const rb = r * d;
      const gb = slot * d;
      for (let k = 0; k < d; k++) {
        const gk = grad[gb + k]!;
        squares[rb + k]! += gk * gk;
        rows[rb + k]! -= (step * gk) / (Math.sqrt(squares[rb + k]!) + 1e-12);
        grad[gb + k] = 0;
      }
      this.slotOf[r] = -1;
    });
    this.touched.length = 0;
  }
}

/**
 * Passes the gradient with respect to each unit vector back through its
 * normalisation and pooling to the rows of its stems.
 */
function backToRows(texts: readonly Encoded[], unit: Float32Array, norms: Float32Array, gUnit: Float32Array, d: number, optimiser: SparseAdagrad): void {
  texts.forEach((t, i) => {
    const base = i * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += unit[base + k]! * gUnit[base + k]!;
    const inv = 1 / norms[i]!;
    for (let k = 0; k < d; k++) gUnit[base + k] = (gUnit[base + k]! - unit[base + k]! * dot) * inv;
    for (let m = 0; m < t.rows.length; m++) optimiser.add(t.rows[m]!, t.weights[m]!, gUnit, base);
  });
}

/**
 * Refines `rows` (stems x d, float, row-major) in place on `pairs` (or on
 * `pairs(epoch)`, fresh ones each epoch); returns the mean loss of each epoch.
 * Adagrad's sums restart with each epoch, as measured (BENCHMARKS.md).
 */
export function refineContrastive(stems: readonly string[], rows: Float32Array, d: number, pairs: Pairs | ((epoch: number) => Pairs), opts: ContrastiveOptions): number[] {
  const epochs = opts.epochs ?? CONTRASTIVE_DEFAULTS.epochs;
  const batch = opts.batch ?? CONTRASTIVE_DEFAULTS.batch;
  const tau = opts.temperature ?? CONTRASTIVE_DEFAULTS.temperature;
  const encode = encoder(stems);
  const encodePairs = (list: Pairs) => list.map(([a, b]) => [encode(a), encode(b)] as const).filter(([a, b]) => a.rows.length > 0 && b.rows.length > 0);
  let encoded = typeof pairs === 'function' ? [] : encodePairs(pairs);
  let meanAbs = 0;
  for (let i = 0; i < rows.length; i++) meanAbs += Math.abs(rows[i]!);
  meanAbs /= Math.max(1, rows.length);
  const optimiser = new SparseAdagrad(rows, d, (opts.learningRate ?? CONTRASTIVE_DEFAULTS.learningRate) * meanAbs);

  const a = new Float32Array(batch * d);
  const b = new Float32Array(batch * d);
  const aNorm = new Float32Array(batch);
  const bNorm = new Float32Array(batch);
  const ga = new Float32Array(batch * d);
  const gb = new Float32Array(batch * d);
  const logits = new Float64Array(batch * batch);
  const g = new Float64Array(batch * batch);
  const losses: number[] = [];

  for (let epoch = 0; epoch < epochs; epoch++) {
    if (typeof pairs === 'function') encoded = encodePairs(pairs(epoch));
    optimiser.restart();
    const order = encoded.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(opts.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + batch <= order.length; start += batch) {
      const left = order.slice(start, start + batch).map((i) => encoded[i]![0]);
      const right = order.slice(start, start + batch).map((i) => encoded[i]![1]);
      pool(left, rows, d, a, aNorm);
      pool(right, rows, d, b, bNorm);
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < batch; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
          logits[i * batch + j] = s / tau;
        }
      }
      lossSum += symmetricLoss(logits, g, batch);
      batches++;
      // Gradients with respect to the unit vectors (logits are their dot products over tau).
      ga.fill(0);
      gb.fill(0);
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < batch; j++) {
          const w = g[i * batch + j]! / (2 * batch * tau);
          if (w === 0) continue;
          for (let k = 0; k < d; k++) {
            ga[i * d + k]! += w * b[j * d + k]!;
            gb[j * d + k]! += w * a[i * d + k]!;
          }
        }
      }
      backToRows(left, a, aNorm, ga, d, optimiser);
      backToRows(right, b, bNorm, gb, d, optimiser);
      optimiser.apply();
    }
    const mean = batches > 0 ? lossSum / batches : 0;
    losses.push(mean);
    opts.onStep?.(`contrastive epoch ${epoch + 1}/${epochs}: loss ${mean.toFixed(4)} over ${batches} batches of ${batch} pairs`);
  }
  return losses;
}
