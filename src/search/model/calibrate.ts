// Calibrating search for one corpus with a model trained on it: how much the
// semantic side weighs in hybrid fusion, and how similar a paper must be to
// join a result list by meaning alone. Measured on pseudo-queries made from
// the instance's own papers, never on any judged query set:
//
// - the query is a paper's title, the documents are abstracts only (so a
//   title is a short description of a paper in other words than the text it
//   is matched against, like a reader's query); the query papers are ones the
//   model was not trained on (train-model.ts holds them out): on its own
//   training papers LSA has learned which title goes with which abstract, and
//   on SciFact that made the semantic side look worth a weight of 0.6 where it
//   lowered real queries' nDCG@10 below keyword ranking's;
// - the keyword side is BM25 over the abstracts (model tokens), the semantic
//   side the model's cosine similarity; both are fused the way search fuses
//   them (z-scores over each side's top CANDIDATES), for each weight of a
//   grid; the smallest weight whose MRR@10 is within one standard error of
//   the best one's wins (the one-standard-error rule: where meaning adds
//   little, as on a corpus of claims and abstracts, keyword ranking keeps
//   almost all of the say);
// - the join threshold is read from the similarities of a query to papers
//   picked at random (almost never what a reader looks for): a paper joins
//   only above a percentile of those (JOIN_PERCENTILE), and in a large
//   collection above a higher one, so that about RANDOM_JOINS random papers
//   of the whole collection would clear it (a fixed share would let 5,000 of
//   a million in).
import type { Store } from '../../store/store.js';
import { scoreFusion } from '../rank-fusion.js';
import type { Ranking } from '../rank-fusion.js';
import type { LearnedEmbedder } from './learned-embedder.js';
import type { ModelCalibration } from './model-file.js';
import { stemCounts } from './model-tokens.js';
import { mulberry32 } from '../../random.js';
import { samplePapers, type SampledPaper } from './sample.js';
import { usableAsPseudoQuery } from './train-model.js';

export interface CalibrationOptions {
  /** Pseudo-queries (default 400). */
  queries?: number;
  /** Papers searched (a sample of the collection, default 20,000). */
  pool?: number;
  seed?: number;
  weights?: readonly number[];
  /** Percentile of query-to-random-paper similarities a joining paper must exceed (default: joinPercentile of the collection's size). */
  randomPercentile?: number;
  /** Papers in the whole collection (default: the pool's size), for the join percentile. */
  collectionSize?: number;
  /** Only these papers of the pool serve as pseudo-queries (default: any usable one). */
  queryIds?: ReadonlySet<string>;
}

export interface CalibrationReport extends ModelCalibration {
  /** MRR@10 of the pseudo-queries for each weight (0: keyword only). */
  mrrByWeight: { weight: number; mrr: number }[];
  /** Similarities to random papers at a few percentiles, for choosing the join threshold's percentile. */
  randomPercentiles: { p: number; similarity: number }[];
  /** Share of pseudo-queries whose own paper is at or above the threshold. */
  ownPaperAboveThreshold: number;
  queries: number;
  pool: number;
}

/**
 * Chosen on the dev half of bench/meaning-queries.json (demo papers, demo
 * model): at the 99.5th percentile (similarity 0.262) semantic mode alone
 * found 0.68 of the paraphrase targets in its top 10, as many as the model's
 * own nearest papers, and 12 off-topic queries ("sourdough bread baking
 * recipe") let in 8 papers each; at the 99.9th (0.358) 0.44 and 2 each.
 */
export const JOIN_PERCENTILE = 0.995;
/**
 * How many papers of the whole collection a random query's similarities
 * may clear: JOIN_PERCENTILE of the demo's 9,877 papers is 49. Measured at
 * 1M papers (BENCHMARKS.md): the 99.5th percentile let every hybrid query
 * reach the 1,000-join cap, and reading those to tell joins from keyword
 * matches was most of its time.
 */
export const RANDOM_JOINS = 50;

/** The percentile of random similarities a joining paper must exceed in a collection of `size` papers. */
export function joinPercentile(size: number): number {
  return Math.max(JOIN_PERCENTILE, 1 - RANDOM_JOINS / Math.max(1, size));
}

export const CALIBRATION_WEIGHTS: readonly number[] = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7];
const CANDIDATES = 200;

/** BM25 (k1 1.2, b 0.75) over the model's tokens. */
class AbstractBm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly avgLength: number;

  constructor(texts: readonly string[]) {
    texts.forEach((text, doc) => {
      let length = 0;
      for (const [stem, tf] of stemCounts(text)) {
        let list = this.postings.get(stem);
        if (!list) this.postings.set(stem, (list = []));
        list.push({ doc, tf });
        length += tf;
      }
      this.lengths.push(length);
    });
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  search(query: string, k: number): Ranking {
    const n = this.lengths.length;
    const score = new Map<number, number>();
    for (const stem of stemCounts(query).keys()) {
      const list = this.postings.get(stem);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + 1.2 * (1 - 0.75 + (0.75 * this.lengths[doc]!) / this.avgLength);
        score.set(doc, (score.get(doc) ?? 0) + (idf * tf * 2.2) / norm);
      }
    }
    const top = [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
    return { ids: top.map(([d]) => String(d)), scores: top.map(([, s]) => s) };
  }
}

function topBySimilarity(query: Float32Array, docs: Float32Array[], k: number): { ranking: Ranking; all: Float32Array } {
  const all = new Float32Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    let s = 0;
    for (let j = 0; j < d.length; j++) s += query[j]! * d[j]!;
    all[i] = s;
  }
  // The k-th largest similarity by a native numeric sort, then only the papers at or above it are ordered.
  const cut = k >= all.length ? -Infinity : Float32Array.from(all).sort()[all.length - k]!;
  const order: number[] = [];
  for (let i = 0; i < all.length; i++) if (all[i]! >= cut) order.push(i);
  order.sort((a, b) => all[b]! - all[a]! || a - b);
  order.length = Math.min(order.length, k);
  return { ranking: { ids: order.map(String), scores: order.map((i) => all[i]!) }, all };
}

const reciprocalRank = (ids: readonly string[], target: string) => {
  const r = ids.slice(0, 10).indexOf(target);
  return r < 0 ? 0 : 1 / (r + 1);
};

/** Standard error of the mean of the per-query differences. */
function pairedStandardError(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (a[i]! - b[i]!) / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (a[i]! - b[i]! - mean) ** 2;
  return Math.sqrt(sq / (n - 1) / n);
}

function percentile(sorted: Float32Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Calibrates on a seeded sample of the store's papers, with the papers the
 * model held out of training as the pseudo-queries (models trained before
 * held-out papers existed: any sampled paper).
 */
export async function calibrate(store: Store, embedder: LearnedEmbedder, opts: CalibrationOptions = {}): Promise<CalibrationReport> {
  const random = mulberry32(opts.seed ?? 7);
  const heldOutIds = embedder.model.info.trainedOn.heldOut;
  const size = opts.pool ?? 20_000;
  if (!heldOutIds) {
    const { papers, total } = await samplePapers(store, size, random);
    return calibrateOn(papers, embedder, { collectionSize: total, ...opts });
  }
  const queryIds = new Set(heldOutIds);
  const heldOut = (await store.getPapers(heldOutIds)).map((p) => ({ id: p.id, title: p.title, abstract: p.abstract }));
  const { papers, total } = await samplePapers(store, size, random);
  const others = papers.filter((p) => !queryIds.has(p.id)).slice(0, Math.max(0, size - heldOut.length));
  return calibrateOn([...heldOut, ...others], embedder, { collectionSize: total, ...opts, queryIds });
}

/** Calibrates on these papers (a sample of the corpus, in random order). */
export async function calibrateOn(pool: readonly SampledPaper[], embedder: LearnedEmbedder, opts: CalibrationOptions = {}): Promise<CalibrationReport> {
  const abstracts = pool.map((p) => p.abstract);
  const queryDocs: number[] = [];
  for (let i = 0; i < pool.length && queryDocs.length < (opts.queries ?? 400); i++) {
    if ((opts.queryIds?.has(pool[i]!.id) ?? true) && usableAsPseudoQuery(pool[i]!)) queryDocs.push(i);
  }
  if (queryDocs.length < 20) {
    return { semanticWeight: 0, minSimilarity: 1, notes: `too few papers to calibrate (${queryDocs.length} pseudo-queries): keyword ranking only`, mrrByWeight: [], randomPercentiles: [], ownPaperAboveThreshold: 0, queries: queryDocs.length, pool: pool.length };
  }
  const bm25 = new AbstractBm25(abstracts);
  const docVectors = await embedder.embed(abstracts);
  const queryVectors = await embedder.embed(queryDocs.map((i) => pool[i]!.title));
  const weights = opts.weights ?? CALIBRATION_WEIGHTS;
  const rr = weights.map(() => new Float64Array(queryDocs.length));
  // Every query's similarity to every other paper of the pool: papers picked at random, all of them,
  // so that a percentile as high as joinPercentile(1M) = 99.995% rests on hundreds of similarities.
  const randomSims = new Float32Array(queryDocs.length * (pool.length - 1));
  let sims = 0;
  const ownSims: number[] = [];
  queryDocs.forEach((doc, q) => {
    const target = String(doc);
    const keyword = bm25.search(pool[doc]!.title, CANDIDATES);
    const { ranking: semantic, all } = topBySimilarity(queryVectors[q]!, docVectors, CANDIDATES);
    ownSims.push(all[doc]!);
    randomSims.set(all.subarray(0, doc), sims);
    randomSims.set(all.subarray(doc + 1), sims + doc);
    sims += all.length - 1;
    weights.forEach((w, i) => {
      const fused =
        w === 0
          ? keyword
          : scoreFusion(
              [
                { ranking: keyword, weight: 1 - w },
                { ranking: semantic, weight: w },
              ],
              { normalisation: 'zscore', limit: CANDIDATES },
            );
      rr[i]![q] = reciprocalRank(fused.ids, target);
    });
  });
  const mrr = rr.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
  let top = 0;
  for (let i = 1; i < weights.length; i++) if (mrr[i]! > mrr[top]! + 1e-9) top = i;
  const best = weights.findIndex((_, i) => mrr[i]! >= mrr[top]! - pairedStandardError(rr[i]!, rr[top]!));
  randomSims.sort();
  const collection = opts.collectionSize ?? pool.length;
  const p = opts.randomPercentile ?? joinPercentile(collection);
  const minSimilarity = Math.round(percentile(randomSims, p) * 1000) / 1000;
  const ownPaperAboveThreshold = ownSims.filter((s) => s >= minSimilarity).length / ownSims.length;
  const mrrByWeight = weights.map((weight, i) => ({ weight, mrr: mrr[i]! }));
  const notes =
    `${queryDocs.length} title-to-abstract pseudo-queries${opts.queryIds ? ' (papers held out of training)' : ''} over ${pool.length} papers: MRR@10 keyword ${mrr[0]!.toFixed(3)}, ` +
    `best ${mrr[top]!.toFixed(3)} at semantic weight ${weights[top]}, chosen ${weights[best]} (${mrr[best]!.toFixed(3)}, within one standard error); join threshold ${minSimilarity} ` +
    `(${(p * 100).toFixed(3).replace(/0+$/, '')}th percentile of similarities to random papers, about ${Math.round((1 - p) * collection)} of the collection's ${collection} papers; ${(ownPaperAboveThreshold * 100).toFixed(0)}% of own papers above it)`;
  const randomPercentiles = [0.9, 0.95, 0.98, 0.99, 0.995, 0.999].map((q) => ({ p: q, similarity: percentile(randomSims, q) }));
  return { semanticWeight: weights[best]!, minSimilarity, notes, mrrByWeight, randomPercentiles, ownPaperAboveThreshold, queries: queryDocs.length, pool: pool.length };
}
