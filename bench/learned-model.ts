// The learned model as the benchmarks use it: trained on the store's own
// papers with the product's trainModel, every paper embedded through the
// product's indexing path, and the index handed to SearchService with the
// model's search calibration, so the figures are what users get.
import type { Store } from '../src/store/store.js';
import type { Embedder } from '../src/search/embedder.js';
import { indexPendingPapers } from '../src/search/index-papers.js';
import { calibrate } from '../src/search/model/calibrate.js';
import { LearnedEmbedder } from '../src/search/model/learned-embedder.js';
import type { LearnedModel } from '../src/search/model/model-file.js';
import { trainModel, type TrainOptions } from '../src/search/model/train-model.js';
import { openSemanticIndex } from '../src/search/semantic-index.js';
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

type Calibration = SearchCalibration & { notes?: string };

/**
 * THE place where the benchmarks (bench:search-quality and bench:search)
 * calibrate a learned model for search: the product's calibrate(store,
 * embedder), so the fusion weight and join threshold are the ones a user's
 * instance computes for the same papers.
 */
export async function calibrationFor(store: Store, embedder: LearnedEmbedder): Promise<Calibration | null> {
  return calibrate(store, embedder);
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
export function describeCalibration(c: Calibration | null): string {
  if (c === null) return 'none (SearchService defaults)';
  return `semantic weight ${c.semanticWeight}, join threshold ${c.minSimilarity}${c.notes ? ` (${c.notes})` : ''}`;
}

/** A semantic index ready for SearchService, and how to let it go. */
export interface OpenedSemantic {
  index: SemanticIndex;
  close(): Promise<void>;
}

export interface LearnedSemantic extends OpenedSemantic {
  trained: TrainedModel;
  calibration: Calibration | null;
  calibrateSeconds: number;
}

/**
 * The learned model as a user's instance has it after `paperboy` trained it:
 * trained on the store's papers, every paper embedded, calibrated, and its
 * index opened (exact scan, as below 200k vectors) with the calibration attached.
 */
export async function openLearnedSemantic(store: Store, opts: TrainOptions & { log?: (line: string) => void } = {}): Promise<LearnedSemantic> {
  const trained = await trainAndIndex(store, opts);
  const t0 = performance.now();
  const calibration = await calibrationFor(store, trained.embedder);
  const calibrateSeconds = (performance.now() - t0) / 1000;
  const opened = await openSemanticIndex(store, trained.embedder, { kind: 'exact' });
  return { index: withCalibration(opened, calibration), close: () => opened.close(), trained, calibration, calibrateSeconds };
}

/** Query embedding speed: each text embedded alone, as a search does (after one warm-up call). */
export async function queriesPerSecond(embedder: Embedder, texts: readonly string[]): Promise<number> {
  await embedder.embed(['warm up']);
  const t0 = performance.now();
  for (const t of texts) await embedder.embed([t]);
  return texts.length / ((performance.now() - t0) / 1000);
}
