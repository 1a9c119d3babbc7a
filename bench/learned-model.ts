// The learned model as the benchmarks use it: trained on the store's own
// papers with the product's trainModel, every paper embedded through the
// product's indexing path, and the index handed to SearchService with the
// model's search calibration, so the figures are what users get.
import type { Store } from '../src/store/store.js';
import { indexPendingPapers } from '../src/search/index-papers.js';
import { LearnedEmbedder } from '../src/search/model/learned-embedder.js';
import type { LearnedModel } from '../src/search/model/model-file.js';
import { trainModel, type TrainOptions } from '../src/search/model/train-model.js';
import type { SearchCalibration, SemanticIndex } from '../src/search/types.js';

export interface TrainedModel {
  model: LearnedModel;
  embedder: LearnedEmbedder;
  /** Wall-clock seconds of trainModel (sampling the store included). */
  trainSeconds: number;
  /** Papers embedded and stored, and the seconds spent embedding them (the model's arithmetic alone). */
  embedded: number;
  embedSeconds: number;
  /** Seconds of the whole indexing run: reading papers, embedding, quantising, writing vectors. */
  indexSeconds: number;
}

/** Trains the learned model on the store's papers (trainModel, `opts` as given) and stores every paper's vector. */
export async function trainAndIndex(store: Store, opts: TrainOptions & { batchSize?: number; log?: (line: string) => void } = {}): Promise<TrainedModel> {
  const { batchSize, log, ...trainOpts } = opts;
  let t0 = performance.now();
  const model = await trainModel(store, { ...trainOpts, onStep: trainOpts.onStep ?? (log ? (line) => log(`  train: ${line}`) : undefined) });
  const trainSeconds = (performance.now() - t0) / 1000;
  const embedder = new LearnedEmbedder(model);
  t0 = performance.now();
  let embedSeconds = 0;
  let lastLog = performance.now();
  const summary = await indexPendingPapers(store, embedder, {
    batchSize: batchSize ?? 2000,
    onBatch: (p) => {
      embedSeconds += p.batchSeconds;
      if (log && (performance.now() - lastLog > 30_000 || p.done === p.total)) {
        lastLog = performance.now();
        log(`  embedded ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} papers`);
      }
    },
  });
  const indexSeconds = (performance.now() - t0) / 1000;
  if (summary.skipped > 0) throw new Error(`${summary.skipped} papers changed while they were embedded`);
  return { model, embedder, trainSeconds, embedded: summary.embedded, embedSeconds, indexSeconds };
}

/**
 * THE place where a model's search calibration is computed for the benchmarks
 * (bench:search-quality and bench:search both call this). It returns null
 * while the product has no calibration step: SearchService then uses its
 * defaults. Once src/search/model/calibrate.ts is on main, this calls its
 * calibrate(store, embedder) and returns the result.
 */
export async function calibrationFor(store: Store, embedder: LearnedEmbedder): Promise<(SearchCalibration & { notes?: string }) | null> {
  void store;
  void embedder;
  return null;
}

/** The index as SearchService sees it, with `calibration` attached (the wrapped index is used for everything else). */
export function withCalibration(index: SemanticIndex, calibration: SearchCalibration | null): SemanticIndex {
  return {
    embedderId: index.embedderId,
    calibration,
    size: () => index.size(),
    searchText: (text, k) => index.searchText(text, k),
    similarTo: (paperId, k) => index.similarTo(paperId, k),
  };
}

/** One line for the logs: what the calibration chose. */
export function describeCalibration(c: (SearchCalibration & { notes?: string }) | null): string {
  if (c === null) return 'none (SearchService defaults)';
  return `semantic weight ${c.semanticWeight}, join threshold ${c.minSimilarity}${c.notes ? ` (${c.notes})` : ''}`;
}
