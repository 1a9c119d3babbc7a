import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Logger } from '../ops/logger.js';
import type { JobRun } from '../ops/metrics.js';
import { demoVectorsPath, loadDemoVectors } from '../search/demo-vectors.js';
import type { BackgroundIndexer } from '../search/index-papers.js';
import { SearchService } from '../search/search-service.js';
import { openSemanticIndex } from '../search/semantic-index.js';
import { setUpLearnedSearch } from './learned-search-setup.js';
import { leasedIndexing } from './leased-indexing.js';
import { WorkerEmbedder } from '../search/worker-embedder.js';
import { startWorkerIndexer } from '../search/worker-indexer.js';
import type { Store } from '../store/store.js';

export interface SearchSetupHooks {
  log: Logger;
  /** Hears every background run that ends (for metrics). */
  onJob?: (run: JobRun) => void;
}

export interface SearchSetup {
  search: SearchService;
  indexer: BackgroundIndexer | null;
  close(): Promise<void>;
}


/**
 * The search service for `serve`: keyword search always; semantic search when
 * an embedder is configured (PAPERBOY_EMBEDDER, USE-lite by default). The
 * model runs in worker threads, never on the thread that answers requests:
 * one embeds queries, another (at low priority, with its own database
 * connection) embeds papers that still need a vector. Shipped demo vectors are
 * loaded first, so start-up never waits for the model to embed the demo.
 */
export async function setUpSearch(store: Store, config: Config, hooks: SearchSetupHooks): Promise<SearchSetup> {
  const { log, onJob } = hooks;
  const { embedder: spec, vectorIndex: kind } = config;
  if (spec.kind === 'off') {
    log.info('Semantic search is off (PAPERBOY_EMBEDDER=off): keyword search only.');
    return { search: new SearchService(store, { log }), indexer: null, close: async () => {} };
  }
  if (spec.kind === 'learned') return setUpLearnedSearch(store, config, hooks);
  const embedder = await WorkerEmbedder.start(spec, { onWorkerError: (err) => log.error({ err }, 'embedding worker failed') });
  try {
    if (config.demoDataPath) {
      const vectors = demoVectorsPath(config.demoDataPath, embedder.id);
      if (existsSync(vectors)) {
        const report = await loadDemoVectors(store, vectors, embedder.id);
        if (report.stored > 0) log.info(`Loaded ${report.stored} shipped paper vectors (${embedder.id}).`);
      }
    }
    const semantic = await openSemanticIndex(store, embedder, {
      dataDir: config.dataDir,
      kind,
      onError: (err) => log.error({ err }, 'semantic index failed'),
      onProgress: (line) => log.info(line),
    });
    const indexer = startWorkerIndexer({
      store: { database: config.database, ftsExtension: config.ftsExtension, dataDir: config.dataDir },
      spec,
      onDone: (s) => {
        onJob?.({ job: 'embedding', ok: true, seconds: s.seconds });
        if (s.embedded > 0) log.info({ job: 'embedding', embedded: s.embedded, seconds: s.seconds }, `Embedded ${s.embedded} papers for semantic search (${s.textsPerSecond.toFixed(1)}/s).`);
      },
      onError: (err) => {
        onJob?.({ job: 'embedding', ok: false, seconds: 0 });
        log.error({ job: 'embedding', err }, 'background indexing failed');
      },
    });
    const leased = await leasedIndexing(store, indexer, log, config.indexingLease);
    // Papers imported or harvested by another process are noticed within this interval.
    const timer = setInterval(() => leased.request(), config.indexIntervalMs);
    timer.unref();
    return {
      search: new SearchService(store, { semantic, log }),
      indexer,
      close: async () => {
        clearInterval(timer);
        await leased.stop();
        await semantic.close();
        await embedder.close();
      },
    };
  } catch (err) {
    await embedder.close();
    throw err;
  }
}
