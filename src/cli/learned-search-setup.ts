// serve's search with the default embedder, the model learned from the
// instance's own papers: the current model's index, swapped when a new model
// becomes current (trained by the background worker, or by `paperboy model
// train` in another process), and a first start that installs the model and
// vectors shipped beside the demo data instead of training.
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { demoVectorsPath, loadDemoVectors } from '../search/demo-vectors.js';
import { makeCurrent, readCurrentModelId } from '../search/model/current-model.js';
import { LearnedSemanticIndex } from '../search/model/learned-semantic-index.js';
import { decodeModel, saveModel } from '../search/model/model-file.js';
import { SearchService } from '../search/search-service.js';
import { startWorkerIndexer } from '../search/worker-indexer.js';
import type { Store } from '../store/store.js';
import type { SearchSetup } from './search-setup.js';

/** The model shipped beside a demo file: demo/X.jsonl.gz -> demo/X.learned.pbmodel */
export function demoModelPath(demoDataPath: string): string {
  return `${demoDataPath.replace(/\.jsonl(\.gz)?$/, '')}.learned.pbmodel`;
}

/** Installs the demo's model and vectors when the instance has no model yet; returns the model id installed. */
export async function installDemoModel(store: Store, config: Config, log: (line: string) => void): Promise<string | null> {
  if (!config.demoDataPath || (await readCurrentModelId(store)) !== null) return null;
  const path = demoModelPath(config.demoDataPath);
  if (!existsSync(path)) return null;
  const model = decodeModel(readFileSync(path), path);
  saveModel(config.dataDir, model);
  const vectors = demoVectorsPath(config.demoDataPath, model.info.id);
  if (existsSync(vectors)) {
    const report = await loadDemoVectors(store, vectors, model.info.id);
    log(`Loaded ${report.stored} shipped paper vectors (${model.info.id}).`);
  }
  await makeCurrent(store, model.info.id);
  return model.info.id;
}

export async function setUpLearnedSearch(store: Store, config: Config, log: (line: string) => void): Promise<SearchSetup> {
  await installDemoModel(store, config, log);
  const semantic = await LearnedSemanticIndex.open(store, config.dataDir, {
    dataDir: config.dataDir,
    kind: config.vectorIndex,
    onError: (err) => console.error('[paperboy] semantic index:', err),
  });
  if (semantic.modelId === null) log('No search model yet: search is by keywords until one is trained in the background.');
  const follow = () =>
    semantic.followCurrentModel().then(
      (switched) => switched && log(`Searching with model ${semantic.modelId}.`),
      (err: unknown) => console.error('[paperboy] switching search model failed:', err instanceof Error ? err.message : err),
    );
  const indexer = startWorkerIndexer({
    store: { database: config.database, ftsExtension: config.ftsExtension },
    spec: config.embedder,
    learned: { dataDir: config.dataDir, retrainShare: config.modelRetrainShare },
    onStep: (line) => log(`Model: ${line}`),
    onModel: (m) => {
      log(`Trained model ${m.id} (training ${m.trainSeconds.toFixed(0)} s, embedding ${m.embedSeconds.toFixed(0)} s, calibration ${m.calibrateSeconds.toFixed(0)} s).`);
      void follow();
    },
    onDone: (s) => {
      if (s.embedded > 0) log(`Embedded ${s.embedded} papers for semantic search (${s.textsPerSecond.toFixed(0)}/s).`);
    },
    onError: (err) => console.error('[paperboy] background indexing failed:', err.message),
  });
  indexer.request();
  // Papers imported by other processes, and models they trained, are noticed within this interval.
  const timer = setInterval(() => {
    indexer.request();
    void follow();
  }, config.indexIntervalMs);
  timer.unref();
  return {
    search: new SearchService(store, { semantic }),
    indexer,
    close: async () => {
      clearInterval(timer);
      await indexer.stop();
      await semantic.close();
    },
  };
}
