// serve's background work with learned models, in the indexer worker: each
// run first checks whether the collection needs a (new) model, trains and
// switches to one if so, then embeds the papers that still lack a vector
// under the current model (new papers are folded in as they arrive).
// A new model's HNSW graph, when the collection needs one, is built by the
// server as it loads the new vectors, between requests, while the old model
// serves: usearch cannot be loaded in a worker thread (the import never returns).
import type { Store } from '../../store/store.js';
import { backgroundJob, indexPendingPapers, type BackgroundIndexer, type IndexSummary } from '../index-papers.js';
import { loadCurrentModel, ModelFileMissingError } from './current-model.js';
import { LearnedEmbedder } from './learned-embedder.js';
import { buildAndSwitchModel, EMBED_BATCH, needsTraining, type BuiltModel } from './model-lifecycle.js';

export interface LearnedBackgroundOptions {
  dataDir: string;
  /** Retrain once the collection has grown by this share since the current model was trained. */
  retrainShare: number;
  batchSize?: number;
  onModel?: (built: BuiltModel) => void;
  onDone?: (s: IndexSummary) => void;
  onError?: (err: unknown) => void;
  onStep?: (line: string) => void;
}

export function learnedBackgroundWork(store: Store, opts: LearnedBackgroundOptions): BackgroundIndexer {
  let embedder: LearnedEmbedder | null = null;
  return backgroundJob(async (signal) => {
    // A current model whose file is lost (neither in the database nor cached) is replaced by a new one.
    const current = await loadCurrentModel(store, opts.dataDir).catch((err: unknown) => {
      if (!(err instanceof ModelFileMissingError)) throw err;
      opts.onStep?.(`${err.message}; training a new one`);
      return null;
    });
    if (needsTraining(await store.countPapers(), current, opts.retrainShare)) {
      const built = await buildAndSwitchModel(store, {
        dataDir: opts.dataDir,
        signal,
        onStep: opts.onStep,
      });
      embedder = new LearnedEmbedder(built.model);
      opts.onModel?.(built);
    } else if (current !== null && embedder?.id !== current.info.id) {
      embedder = new LearnedEmbedder(current);
    }
    if (embedder === null) return;
    const summary = await indexPendingPapers(store, embedder, { batchSize: opts.batchSize ?? EMBED_BATCH, signal });
    opts.onDone?.(summary);
  }, opts);
}
