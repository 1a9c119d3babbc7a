// Worker thread for `serve`: compacts a keyword index (minutes on a large
// collection) on its own connection, so the server answers meanwhile. By
// default only a compaction an earlier process left half done is finished;
// `catchUp` compacts a local index that has taken in many papers.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type StoreConfig } from '../store/open-store.js';
import { AUTO_COMPACT, compactAfterLargeLoad, compactSearchIndexMarked } from './compact.js';

export interface CompactionWorkerData {
  store: StoreConfig;
  /** Compact now (an index that took in many papers), instead of only finishing an interrupted compaction. */
  catchUp?: boolean;
}

const data = workerData as CompactionWorkerData;
const store = await openStore(data.store);
try {
  if (data.catchUp) {
    const r = await compactSearchIndexMarked(store, { minSegments: AUTO_COMPACT.minSegments });
    if (r.segmentsAfter < r.segmentsBefore) parentPort!.postMessage(`keyword index compacted: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s\n`);
  } else {
    await compactAfterLargeLoad(store, 0, (line) => parentPort!.postMessage(line));
  }
} finally {
  await store.close();
}
