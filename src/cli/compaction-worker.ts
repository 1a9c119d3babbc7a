// Worker thread for `serve`: finishes an interrupted keyword-index
// compaction (minutes on a large collection) on its own connection, so the
// server answers meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type StoreConfig } from '../store/open-store.js';
import { compactAfterLargeLoad } from './compact.js';

const store = await openStore(workerData as StoreConfig);
try {
  await compactAfterLargeLoad(store, 0, (line) => parentPort!.postMessage(line));
} finally {
  await store.close();
}
