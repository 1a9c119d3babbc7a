// serve's search with the default embedder, the model learned from the
// instance's own papers: the current model's index, swapped when a new model
// becomes current (trained by the background worker, or by `paperboy model
// train` in another process), and a first start that installs the model and
// vectors shipped beside the demo data instead of training.
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { demoVectorsPath, loadDemoVectors } from '../search/demo-vectors.js';
import { makeCurrent, readCurrentModelId, storeModel } from '../search/model/current-model.js';
import { LearnedSemanticIndex } from '../search/model/learned-semantic-index.js';
import { decodeModel } from '../search/model/model-file.js';
import { SearchService } from '../search/search-service.js';
import { startWorkerIndexer } from '../search/worker-indexer.js';
import type { Store } from '../store/store.js';
import type { SearchSetup, SearchSetupHooks } from './search-setup.js';
import { leasedIndexing } from './leased-indexing.js';

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
  await storeModel(store, config.dataDir, model);
  const vectors = demoVectorsPath(config.demoDataPath, model.info.id);
  if (existsSync(vectors)) {
    const report = await loadDemoVectors(store, vectors, model.info.id);
    log(`Loaded ${report.stored} shipped paper vectors (${model.info.id}).`);
  }
  await makeCurrent(store, model.info.id);
  return model.info.id;
}

export async function setUpLearnedSearch(store: Store, config: Config, hooks: SearchSetupHooks): Promise<SearchSetup> {
  const { log, onJob } = hooks;
  await installDemoModel(store, config, (line) => log.info(line));
  const semantic = await LearnedSemanticIndex.open(store, config.dataDir, {
    dataDir: config.dataDir,
    kind: config.vectorIndex,
    onError: (err) => log.error({ err }, 'semantic index failed'),
    onProgress: (line) => log.info(line),
  });
  const follow = () =>
    semantic.followCurrentModel().then(
      (switched) => switched && log.info({ model: semantic.modelId }, `Searching with model ${semantic.modelId}.`),
      (err: unknown) => log.error({ err }, 'switching search model failed'),
    );
  if (semantic.loading) {
    log.info('Loading the search model in the background: search is by keywords until it is ready.');
    // Joins the load in flight, and says when it is done.
    void follow();
  } else if (semantic.modelId === null) log.info('No search model yet: search is by keywords until one is trained in the background.');
  const indexer = startWorkerIndexer({
    store: { database: config.database, ftsExtension: config.ftsExtension, dataDir: config.dataDir },
    spec: config.embedder,
    learned: { dataDir: config.dataDir, retrainShare: config.modelRetrainShare },
    onStep: (line) => log.info({ job: 'training' }, `Model: ${line}`),
    onModel: (m) => {
      const seconds = m.trainSeconds + m.embedSeconds + m.calibrateSeconds;
      onJob?.({ job: 'training', ok: true, seconds });
      log.info({ job: 'training', model: m.id, seconds }, `Trained model ${m.id} (training ${m.trainSeconds.toFixed(0)} s, embedding ${m.embedSeconds.toFixed(0)} s, calibration ${m.calibrateSeconds.toFixed(0)} s).`);
      void follow();
    },
    onDone: (s) => {
      onJob?.({ job: 'embedding', ok: true, seconds: s.seconds });
      if (s.embedded > 0) log.info({ job: 'embedding', embedded: s.embedded, seconds: s.seconds }, `Embedded ${s.embedded} papers for semantic search (${s.textsPerSecond.toFixed(0)}/s).`);
    },
    onError: (err) => {
      onJob?.({ job: 'embedding', ok: false, seconds: 0 });
      log.error({ job: 'embedding', err }, 'background indexing failed');
    },
  });
  const leased = await leasedIndexing(store, indexer, log, config.indexingLease);
  // Papers imported by other processes, and models they trained, are noticed within this interval.
  const timer = setInterval(() => {
    leased.request();
    void follow();
  }, config.indexIntervalMs);
  timer.unref();
  return {
    search: new SearchService(store, { semantic, log }),
    indexer,
    close: async () => {
      clearInterval(timer);
      await leased.stop();
      await semantic.close();
    },
  };
}
