// Worker thread for `serve`: finishes an interrupted keyword-index
// compaction (minutes on a large collection) on its own connection, so the
// server answers meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { compactAfterLargeLoad } from './compact.js';

const { databasePath } = workerData as { databasePath: string };
const store = await SqliteStore.open(databasePath);
try {
  await compactAfterLargeLoad(store, 0, (line) => parentPort!.postMessage(line));
} finally {
  await store.close();
}
