// Worker thread that reads the keyword index's title vocabulary and builds the
// spelling index (query-spelling.ts) off the thread that serves requests: for a
// million papers the read alone takes 3-4 s (store/sqlite-vocabulary.ts). Its
// own read-only connection; lowest CPU priority; posts the index's typed arrays
// (transferred, not copied) and exits.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { readTitleVocabulary } from '../store/sqlite/sqlite-vocabulary.js';
import { SpellingIndex, type SpellingIndexData } from './spelling.js';

export interface SpellingWorkerData {
  databasePath: string;
}

export type SpellingWorkerMessage = { type: 'built'; data: SpellingIndexData } | { type: 'failed'; message: string };

const port = parentPort!;
const { databasePath } = workerData as SpellingWorkerData;

try {
  // On Linux a thread's nice value is its own: this lowers the worker, not the server.
  setPriority(19);
} catch {
  // Not permitted or not supported: run at normal priority.
}

try {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const data = SpellingIndex.build(readTitleVocabulary(db)).toData();
    const message: SpellingWorkerMessage = { type: 'built', data };
    port.postMessage(message, [data.counts.buffer, data.offsets.buffer, data.postings.buffer] as ArrayBuffer[]);
  } finally {
    db.close();
  }
} catch (err) {
  const message: SpellingWorkerMessage = { type: 'failed', message: err instanceof Error ? err.message : String(err) };
  port.postMessage(message);
}
