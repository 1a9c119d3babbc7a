// Making a model current: train it on the store's papers, save it, embed
// every paper with it, calibrate search with it, and only then point the
// store at it (current-model.ts). A run killed at any step leaves the
// previous model serving; its vectors stay stored under their own id, so a
// new run starts over from training (vectors already stored for an identical
// model, same papers and seed, are kept and not embedded again).
import type { Store } from '../../store/store.js';
import { indexPendingPapers, type IndexProgress } from '../index-papers.js';
import { calibrate, type CalibrationReport } from './calibrate.js';
import { makeCurrent, readCurrentModelId, storeModel } from './current-model.js';
import { LearnedEmbedder } from './learned-embedder.js';
import { saveModel, type LearnedModel } from './model-file.js';
import { trainModel, type TrainOptions } from './train-model.js';

export interface BuildModelOptions extends TrainOptions {
  dataDir: string;
  /** Stops between embedding batches; the model is then not made current. */
  signal?: AbortSignal;
  onEmbedProgress?: (p: IndexProgress) => void;
}

export interface BuiltModel {
  model: LearnedModel;
  previousId: string | null;
  calibration: CalibrationReport;
  trainSeconds: number;
  embedSeconds: number;
  calibrateSeconds: number;
}

export const EMBED_BATCH = 512;

export class ModelBuildAborted extends Error {}

export async function buildAndSwitchModel(store: Store, opts: BuildModelOptions): Promise<BuiltModel> {
  const step = opts.onStep ?? (() => undefined);
  const previousId = await readCurrentModelId(store);
  let t = performance.now();
  const model = await trainModel(store, opts);
  const trainSeconds = (performance.now() - t) / 1000;
  saveModel(opts.dataDir, model);
  const embedder = new LearnedEmbedder(model);

  t = performance.now();
  const summary = await indexPendingPapers(store, embedder, { batchSize: EMBED_BATCH, signal: opts.signal, onBatch: opts.onEmbedProgress });
  const embedSeconds = (performance.now() - t) / 1000;
  if (opts.signal?.aborted) throw new ModelBuildAborted('stopped before every paper had a vector: the previous model stays current');
  step(
    summary.embedded === 0
      ? 'every paper already has vectors from this model: nothing to embed'
      : `embedded ${summary.embedded} papers in ${embedSeconds.toFixed(1)} s (${summary.textsPerSecond.toFixed(0)}/s)`,
  );

  t = performance.now();
  const calibration = await calibrate(store, embedder);
  const calibrateSeconds = (performance.now() - t) / 1000;
  step(`calibrated in ${calibrateSeconds.toFixed(1)} s: ${calibration.notes}`);
  model.info.calibration = { semanticWeight: calibration.semanticWeight, minSimilarity: calibration.minSimilarity, notes: calibration.notes };
  await storeModel(store, opts.dataDir, model);

  if (opts.signal?.aborted) throw new ModelBuildAborted('stopped before the switch: the previous model stays current');
  await makeCurrent(store, model.info.id);
  return { model, previousId, calibration, trainSeconds, embedSeconds, calibrateSeconds };
}

/** Default share of growth (papers added since the current model was trained) after which it is retrained. */
export const DEFAULT_RETRAIN_SHARE = 0.25;
/** No model is trained for fewer papers than this: below, search is by keywords only. */
export const MIN_TRAINING_PAPERS = 200;

/** Whether the collection has outgrown the current model (or has none and enough papers for one). */
export function needsTraining(papers: number, current: LearnedModel | null, share: number): boolean {
  if (current === null) return papers >= MIN_TRAINING_PAPERS;
  return papers >= MIN_TRAINING_PAPERS && papers > current.info.trainedOn.papers * (1 + share);
}
