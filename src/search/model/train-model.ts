// Training the learned model on the papers of a store: a seeded sample of at
// most `sample` papers (title and abstract) is read while paging through the
// whole collection, then LSA (lsa.ts). Papers outside the sample are embedded
// by the trained model like any new paper ("fold-in").
import type { Store } from '../../store/store.js';
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
const PAGE = 2000;

/** mulberry32: small, fast, deterministic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform sample of at most `size` texts of every paper, in id order of the collection (reservoir sampling). */
export async function sampleTexts(store: Store, size: number, random: () => number): Promise<{ texts: string[]; papers: number }> {
  const reservoir: string[] = [];
  let seen = 0;
  let cursor: string | null = null;
  do {
    const page = await store.listPapers({ cursor, limit: PAGE });
    for (const p of page.items) {
      const text = paperText(p.title, p.abstract);
      if (reservoir.length < size) reservoir.push(text);
      else {
        const j = Math.floor(random() * (seen + 1));
        if (j < size) reservoir[j] = text;
      }
      seen++;
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { texts: reservoir, papers: seen };
}

export async function trainModel(store: Store, opts: TrainOptions = {}): Promise<LearnedModel> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const random = seeded(seed);
  const started = performance.now();
  const { texts, papers } = await sampleTexts(store, opts.sample ?? DEFAULT_SAMPLE, random);
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
