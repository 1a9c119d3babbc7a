// Training the learned model on the papers of a store: a seeded sample of at
// most `sample` papers (title and abstract) is read while paging through the
// whole collection, then LSA (lsa.ts). Papers outside the sample are embedded
// by the trained model like any new paper ("fold-in"). A few sampled papers
// are held out of training (calibrationHoldout) for calibrate.ts: a model
// trained on a paper has learned that paper's title and abstract belong
// together, and would flatter itself on it.
import type { Store } from '../../store/store.js';
import { mulberry32 } from '../../random.js';
import { samplePapers, type SampledPaper } from './sample.js';
import { stemCounts } from './model-tokens.js';
import { paperText } from '../embedder.js';
import { trainLsa } from './lsa.js';
import { modelId, MODEL_FORMAT } from './model-file.js';
import type { LearnedModel } from './model-file.js';
import { refineContrastive, trainingPairs } from './contrastive.js';
import { quantiseRows, type TokenTable } from './token-table.js';

export interface TrainOptions {
  dimensions?: number;
  /** Train on at most this many papers (a seeded random sample of the collection). */
  sample?: number;
  seed?: number;
  minDf?: number;
  iterations?: number;
  /** Epochs of contrastive refinement after LSA (0: LSA alone). */
  contrastiveEpochs?: number;
  onStep?: (line: string) => void;
  now?: () => Date;
}

export const DEFAULT_DIMENSIONS = 512;
export const DEFAULT_SAMPLE = 100_000;
export const DEFAULT_SEED = 1;
/**
 * Contrastive refinement after LSA (contrastive.ts), chosen on the dev half
 * of bench/meaning-queries.json with the demo model: see BENCHMARKS.md.
 */
export const CONTRASTIVE_EPOCHS = 4;
export const CONTRASTIVE_LEARNING_RATE = 0.2;
/** Papers whose pairs make one epoch of refinement, at most (epochPairs). */
export const CONTRASTIVE_PAIRS_PAPERS = 25_000;
/** Papers kept out of training for calibration: at most this many, and at most HOLDOUT_SHARE of the sample. */
export const HOLDOUT_PAPERS = 400;
const HOLDOUT_SHARE = 0.25;
/** A title with fewer stems says too little to be a query. */
export const MIN_QUERY_TITLE_STEMS = 3;

/** Whether a paper can serve as a calibration pseudo-query (its title against its abstract). */
export function usableAsPseudoQuery(p: SampledPaper): boolean {
  return p.abstract.trim() !== '' && stemCounts(p.title).size >= MIN_QUERY_TITLE_STEMS;
}

/** Splits the sample into papers to train on and papers held out for calibration, by a seeded draw. */
export function calibrationHoldout(sample: readonly SampledPaper[], random: () => number): { train: SampledPaper[]; heldOut: SampledPaper[] } {
  const wanted = Math.min(HOLDOUT_PAPERS, Math.floor(sample.length * HOLDOUT_SHARE));
  const order = sample.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Set<number>();
  for (const i of order) {
    if (out.size >= wanted) break;
    if (usableAsPseudoQuery(sample[i]!)) out.add(i);
  }
  return { train: sample.filter((_, i) => !out.has(i)), heldOut: [...out].sort((a, b) => a - b).map((i) => sample[i]!) };
}

/**
 * An epoch's pairs: from every sampled paper up to CONTRASTIVE_PAIRS_PAPERS
 * (the demo's 9,477 train papers make 18,941 pairs), else from that many
 * papers drawn afresh each epoch, so that refinement takes about as long
 * however large the sample: on this machine an epoch over all of a 99,600
 * paper sample's 199,000 pairs took 4.5 minutes (BENCHMARKS.md).
 */
export function epochPairs(sample: readonly SampledPaper[], random: () => number): [string, string][] {
  if (sample.length <= CONTRASTIVE_PAIRS_PAPERS) return trainingPairs(sample, random);
  const picked = new Set<number>();
  while (picked.size < CONTRASTIVE_PAIRS_PAPERS) picked.add(Math.floor(random() * sample.length));
  return trainingPairs([...picked].sort((a, b) => a - b).map((i) => sample[i]!), random);
}

export async function trainModel(store: Store, opts: TrainOptions = {}): Promise<LearnedModel> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const random = mulberry32(seed);
  const started = performance.now();
  const { papers: sampled, total: papers } = await samplePapers(store, opts.sample ?? DEFAULT_SAMPLE, random);
  const { train: sample, heldOut } = calibrationHoldout(sampled, random);
  const texts = sample.map((p) => paperText(p.title, p.abstract));
  if (texts.length < 2) throw new Error(`too few papers to learn from (${texts.length})`);
  opts.onStep?.(`training on ${texts.length} of ${papers} papers (${heldOut.length} held out for calibration)`);
  const lsa = trainLsa(texts, { dimensions: opts.dimensions ?? DEFAULT_DIMENSIONS, minDf: opts.minDf, iterations: opts.iterations ?? 2, random, onStep: opts.onStep });
  const epochs = opts.contrastiveEpochs ?? CONTRASTIVE_EPOCHS;
  let table: TokenTable = { stems: lsa.stems, dimensions: lsa.dimensions, rows: lsa.rows, scales: lsa.scales };
  if (epochs > 0) {
    // Each epoch draws other sentences of the abstracts (steadier than the same pairs again, BENCHMARKS.md).
    refineContrastive(lsa.stems, lsa.floatRows, lsa.dimensions, () => epochPairs(sample, random), { epochs, learningRate: CONTRASTIVE_LEARNING_RATE, random, onStep: opts.onStep });
    table = { stems: lsa.stems, dimensions: lsa.dimensions, ...quantiseRows(lsa.floatRows, lsa.dimensions) };
  }
  opts.onStep?.(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    info: {
      format: MODEL_FORMAT,
      id: modelId(table),
      kind: epochs > 0 ? 'lsa-contrastive' : 'lsa',
      dimensions: table.dimensions,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      trainedOn: { papers, sample: texts.length, heldOut: heldOut.map((p) => p.id) },
      seed,
      calibration: null,
    },
    table,
  };
}

