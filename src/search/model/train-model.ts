// Training the learned model on the papers of a store: a seeded sample of at
// most `sample` papers (title and abstract) is read while paging through the
// whole collection, then LSA (lsa.ts). Papers outside the sample are embedded
// by the trained model like any new paper ("fold-in").
import type { Store } from '../../store/store.js';
import { mulberry32 } from '../../random.js';
import { samplePapers } from './sample.js';
import { paperText } from '../embedder.js';
import { trainLsa } from './lsa.js';
import { modelId, MODEL_FORMAT } from './model-file.js';
import type { LearnedModel } from './model-file.js';

export interface TrainOptions {
  dimensions?: number;
  /** Train on at most this many papers (a seeded random sample of the collection). */
  sample?: number;
  seed?: number;
  minDf?: number;
  iterations?: number;
  onStep?: (line: string) => void;
  now?: () => Date;
}

export const DEFAULT_DIMENSIONS = 512;
export const DEFAULT_SAMPLE = 100_000;
export const DEFAULT_SEED = 1;
export async function trainModel(store: Store, opts: TrainOptions = {}): Promise<LearnedModel> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const random = mulberry32(seed);
  const started = performance.now();
  const { papers: sample, total: papers } = await samplePapers(store, opts.sample ?? DEFAULT_SAMPLE, random);
  const texts = sample.map((p) => paperText(p.title, p.abstract));
  if (texts.length < 2) throw new Error(`too few papers to learn from (${texts.length})`);
  opts.onStep?.(`training on ${texts.length} of ${papers} papers`);
  const lsa = trainLsa(texts, { dimensions: opts.dimensions ?? DEFAULT_DIMENSIONS, minDf: opts.minDf, iterations: opts.iterations ?? 2, random, onStep: opts.onStep });
  const table = { stems: lsa.stems, dimensions: lsa.dimensions, rows: lsa.rows, scales: lsa.scales };
  opts.onStep?.(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    info: {
      format: MODEL_FORMAT,
      id: modelId(table),
      kind: 'lsa',
      dimensions: table.dimensions,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      trainedOn: { papers, sample: texts.length },
      seed,
      calibration: null,
    },
    table,
  };
}

