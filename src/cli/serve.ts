import { existsSync } from 'node:fs';
import { importFiles } from '../ingest/import-files.js';
import { startServer } from '../web/server.js';
import { compactAfterLargeLoad } from './compact.js';
import { finishInterruptedCompaction } from './finish-compaction.js';
import type { CommandContext } from './main.js';
import { setUpSearch } from './search-setup.js';
import { StartupError } from './startup-error.js';

/** After SIGTERM: requests in flight get this long to finish... */
export const SHUTDOWN_GRACE_MS = 5_000;
/** ...and the whole shutdown this long before the process exits regardless. */
export const SHUTDOWN_DEADLINE_MS = 9_000;

/** Load the demo data set when the database has no papers yet. */
export async function loadDemoDataIfEmpty(ctx: CommandContext): Promise<void> {
  const { store, config, stdout } = ctx;
  if (!config.demoDataPath || (await store.countPapers()) > 0) return;
  if (!existsSync(config.demoDataPath)) {
    stdout.write(`Demo data ${config.demoDataPath} not found; starting with an empty database.\n`);
    return;
  }
  const started = Date.now();
  stdout.write(`Empty database: loading demo data from ${config.demoDataPath} ...\n`);
  const report = await importFiles(store, [config.demoDataPath]);
  const t = report.total;
  const file = report.files[0];
  if (file?.error && t.new + t.updated === 0) {
    throw new StartupError(`cannot load the demo data (PAPERBOY_DEMO_DATA): ${file.error}; set PAPERBOY_DEMO_DATA=off to start with an empty database`);
  }
  stdout.write(`Loaded ${t.new} papers (${t.updated} updated, ${t.skipped} skipped) in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  if (file?.error || file?.stopped) {
    const why = file.stopped ? `stopped at ${file.stopped.where}: ${file.stopped.reason}` : file.error;
    stdout.write(`Warning: the demo data was not read to its end (${why}); the papers before that point were loaded\n`);
  }
  await compactAfterLargeLoad(store, t.new + t.updated, (line) => stdout.write(line));
}

export async function runServe(_args: string[], ctx: CommandContext): Promise<number> {
  await loadDemoDataIfEmpty(ctx);
  const log = (line: string) => ctx.stdout.write(`${line}\n`);
  const search = await setUpSearch(ctx.store, ctx.config, log);
  let running;
  try {
    running = await startServer({ store: ctx.store, config: ctx.config, search: search.search });
  } catch (err) {
    await search.close();
    throw err;
  }
  ctx.stdout.write(`Paperboy is serving ${await ctx.store.countPapers()} papers at ${running.url} (public URL ${ctx.config.baseUrl})\n`);
  void finishInterruptedCompaction(ctx.store, { database: ctx.config.database, ftsExtension: ctx.config.ftsExtension }, log);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  ctx.stdout.write(`${signal}: shutting down (requests in flight get ${SHUTDOWN_GRACE_MS / 1000} s)...\n`);
  // Whatever hangs, the process ends in time; background work resumes at the next start.
  const deadline = setTimeout(() => {
    ctx.stderr.write(`paperboy: shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting now\n`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  const again = () => {
    ctx.stderr.write('paperboy: second signal; exiting now\n');
    process.exit(1);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await running.close(SHUTDOWN_GRACE_MS);
  await search.close();
  await ctx.store.close();
  clearTimeout(deadline);
  ctx.stdout.write('Stopped.\n');
  return 0;
}
