// Worker thread that embeds papers needing a vector and stores them, for
// `serve` (worker-indexer.ts). It has its own database connection, so waiting
// for the write lock while an import holds it never blocks the main thread,
// and it runs at the lowest CPU priority, so requests come first.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createEmbedder } from './embedder-config.js';
import { backgroundIndexer, type BackgroundIndexer, type IndexSummary } from './index-papers.js';
import { learnedBackgroundWork } from './model/learned-background.js';
import type { IndexerCommand, IndexerEvent, IndexerWorkerData } from './worker-indexer.js';

const port = parentPort!;
const data = workerData as IndexerWorkerData;
const post = (event: IndexerEvent) => port.postMessage(event);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function startIndexer(store: Store): Promise<BackgroundIndexer> {
  const onDone = (summary: IndexSummary) => post({ type: 'done', summary });
  const onError = (err: unknown) => post({ type: 'error', message: message(err) });
  if (data.spec.kind === 'learned') {
    if (!data.learned) throw new Error('learned models need the data dir');
    return learnedBackgroundWork(store, {
      ...data.learned,
      batchSize: data.batchSize,
      onDone,
      onError,
      onStep: (line) => post({ type: 'step', line }),
      onModel: ({ model, previousId, calibration, trainSeconds, embedSeconds, calibrateSeconds }) =>
        post({ type: 'model', model: { id: model.info.id, previousId, notes: calibration.notes, trainSeconds, embedSeconds, calibrateSeconds } }),
    });
  }
  const embedder = await createEmbedder(data.spec);
  if (!embedder) throw new Error('semantic search is off: nothing to embed with');
  return backgroundIndexer(store, embedder, {
    batchSize: data.batchSize,
    onBatch: (progress) => post({ type: 'batch', progress }),
    onDone,
    onError,
  });
}

try {
  // On Linux a thread's nice value is its own: this lowers the worker, not the server.
  setPriority(19);
} catch {
  // Not permitted or not supported: run at normal priority.
}

try {
  const store = await openStore(data.store);
  const indexer = await startIndexer(store);
  post({ type: 'ready' });
  port.on('message', (cmd: IndexerCommand) => {
    if (cmd.type === 'run') {
      indexer.request();
      void indexer.idle().then(() => post({ type: 'idle' }));
    } else if (cmd.type === 'stop') {
      void indexer
        .stop()
        .then(() => store.close())
        .then(() => post({ type: 'stopped' }));
    }
  });
} catch (err) {
  post({ type: 'failed', message: message(err) });
}
