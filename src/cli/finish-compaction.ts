import { spawnWorker, workerEntry } from '../workers/spawn-worker.js';
import { compactionInterrupted } from './compact.js';
import type { CompactionWorkerData } from './compaction-worker.js';
import type { StoreConfig } from '../store/open-store.js';
import type { Store } from '../store/store.js';

const ENTRY = workerEntry('compaction-worker', import.meta.url);

/**
 * When a compaction was interrupted, finishes it in a worker thread; resolves
 * when that is done (at once when there is nothing to do). Never rejects:
 * failures are logged, and the next start tries again.
 */
export async function finishInterruptedCompaction(store: Store, storeConfig: StoreConfig, log: (line: string) => void): Promise<void> {
  if (!(await compactionInterrupted(store))) return;
  await compactInWorker({ store: storeConfig }, log);
}

/** Runs the compaction worker; resolves when it has ended. Never rejects: failures are logged. */
export function compactInWorker(data: CompactionWorkerData, log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const worker = spawnWorker(ENTRY, { workerData: data, name: 'paperboy-compaction' });
    worker.on('message', (line: string) => log(line.trimEnd()));
    worker.on('error', (err) => log(`keyword index compaction failed: ${err.message}`));
    worker.on('exit', () => resolve());
    worker.unref();
  });
}
