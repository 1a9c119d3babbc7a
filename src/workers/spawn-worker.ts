// Worker threads that run this project's TypeScript sources.
//
// `bin/paperboy.js` registers tsx's loader in the main thread only, and a
// worker thread starts with a fresh module loader (on Node 20 even
// `--import tsx` in the worker's execArgv leaves .ts entries unknown). So a
// worker whose entry is a .ts file starts from a small script that loads the
// entry through tsx's tsImport(). Compiled code (`npm run build`, entries
// ending in .js) is started directly.
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/** The worker module `name` beside the calling module: its .ts source when running from source, else the .js. */
export function workerEntry(name: string, base: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}
