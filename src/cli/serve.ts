import { existsSync } from 'node:fs';
import { importFiles } from '../ingest/import-files.js';
import { createLogger } from '../ops/logger.js';
import type { Logger } from '../ops/logger.js';
import { Metrics, storeCounts } from '../ops/metrics.js';
import { startServer } from '../web/server.js';
import { compactAfterLargeLoad } from './compact.js';
import { finishInterruptedCompaction } from './finish-compaction.js';
import type { CommandContext } from './main.js';
import { followDatabaseChanges } from './follow-database.js';
import type { SearchIndexFollower } from '../store/postgres/search-index-follower.js';
import { setUpSearch } from './search-setup.js';
import type { SearchSetup } from './search-setup.js';
import type { Store } from '../store/store.js';
import { StartupError } from './startup-error.js';
import { installDemoModel } from './learned-search-setup.js';
import type { Config } from '../config.js';
import { isServingWorker, shutdownRequested, superviseServers } from './serve-cluster.js';

/** After SIGTERM: requests in flight get this long to finish... */
export const SHUTDOWN_GRACE_MS = 5_000;
/** ...and the whole shutdown this long before the process exits regardless. */
export const SHUTDOWN_DEADLINE_MS = 9_000;

/** Load the demo data set when the database has no papers yet. */
export async function loadDemoDataIfEmpty(ctx: CommandContext, log: Logger): Promise<void> {
  const { store, config } = ctx;
  if (!config.demoDataPath || (await store.countPapers()) > 0) return;
  if (!existsSync(config.demoDataPath)) {
    log.warn(`Demo data ${config.demoDataPath} not found; starting with an empty database.`);
    return;
  }
  const started = Date.now();
  log.info(`Empty database: loading demo data from ${config.demoDataPath} ...`);
  const report = await importFiles(store, [config.demoDataPath]);
  const t = report.total;
  const file = report.files[0];
  if (file?.error && t.new + t.updated === 0) {
    throw new StartupError(`cannot load the demo data (PAPERBOY_DEMO_DATA): ${file.error}; set PAPERBOY_DEMO_DATA=off to start with an empty database`);
  }
  log.info(`Loaded ${t.new} papers (${t.updated} updated, ${t.skipped} skipped) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (file?.error || file?.stopped) {
    const why = file.stopped ? `stopped at ${file.stopped.where}: ${file.stopped.reason}` : file.error;
    log.warn(`the demo data was not read to its end (${why}); the papers before that point were loaded`);
  }
  await compactAfterLargeLoad(store, t.new + t.updated, (line) => log.info(line.trimEnd()));
}

/**
 * PAPERBOY_WEB_PROCESSES > 1: loads the demo data into an empty database
 * once, then runs that many serving processes (serve-cluster.ts).
 */
export async function runServeProcesses(config: Config, openStore: () => Promise<Store>): Promise<number> {
  const log = createLogger({ level: config.logLevel, destination: process.stdout });
  if (config.database.backend !== 'sqlite') {
    throw new StartupError(
      'PAPERBOY_WEB_PROCESSES runs several processes on one SQLite data dir; on PostgreSQL start several `paperboy serve` processes, each with its own PAPERBOY_DATA_DIR (README, "Running on PostgreSQL")',
    );
  }
  log.info({ config }, 'configuration');
  const store = await openStore();
  try {
    await loadDemoDataIfEmpty({ config, store, stdout: process.stdout, stderr: process.stderr, isTTY: false }, log);
    // Once, here: processes installing the demo's model side by side would each find a part of its vectors.
    if (config.embedder.kind === 'learned') await installDemoModel(store, config, (line) => log.info(line));
  } finally {
    await store.close();
  }
  return superviseServers(config.webProcesses, log);
}

/** Serves until SIGTERM or SIGINT; every line it prints is a JSON log line (src/ops/logger.ts). */
export async function runServe(_args: string[], ctx: CommandContext): Promise<number> {
  const { store, config } = ctx;
  const log = createLogger({ level: config.logLevel, destination: ctx.stdout });
  // Passwords in URLs are redacted by the logger, whatever field they are in.
  log.info({ config }, 'configuration');
  await loadDemoDataIfEmpty(ctx, log);
  const follower = await followDatabaseChanges(store, config, log);
  let embedderId = (): string | null => null;
  const pool = store.poolStats ? () => store.poolStats!() : undefined;
  const metrics = new Metrics({ counts: storeCounts(store, () => embedderId()), pool, processMetrics: true });
  const search = await setUpSearch(store, config, { log, onJob: (run) => metrics.observeJob(run) });
  embedderId = () => search.search.embedderId;
  let running;
  try {
    running = await startServer({ store, config, search: search.search, log, metrics });
  } catch (err) {
    await search.close();
    await follower?.stop();
    throw err;
  }
  const papers = await store.countPapers();
  // Listening for the signal before saying "serving": whoever waits for that line may stop us at once.
  const stopSignal = isServingWorker()
    ? shutdownRequested()
    : new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
  log.info({ url: running.url, publicUrl: config.baseUrl, papers }, `Paperboy is serving ${papers} papers at ${running.url} (public URL ${config.baseUrl})`);
  void finishInterruptedCompaction(store, { database: config.database, ftsExtension: config.ftsExtension, dataDir: config.dataDir }, (line) => log.info(line));

  const code = await shutDown(await stopSignal, { log, stopServer: (graceMs) => running.close(graceMs), search, store, follower });
  // The channel to the primary would keep a serving process of several alive.
  if (isServingWorker()) process.disconnect?.();
  return code;
}

interface Running {
  log: Logger;
  stopServer(graceMs: number): Promise<void>;
  search: SearchSetup;
  store: Store;
  follower: SearchIndexFollower | null;
}

/**
 * Stops taking connections and lets requests in flight finish while the
 * background indexer stops after its batch in flight (the papers it did not
 * reach still need a vector, so the next start resumes), then closes search
 * and the store. Whatever hangs, the process ends within SHUTDOWN_DEADLINE_MS.
 */
async function shutDown(signal: NodeJS.Signals, { log, stopServer, search, store, follower }: Running): Promise<number> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  log.info({ signal, graceMs: SHUTDOWN_GRACE_MS, deadlineMs: SHUTDOWN_DEADLINE_MS }, `${signal}: shutting down (requests in flight get ${SHUTDOWN_GRACE_MS / 1000} s)...`);
  const deadline = setTimeout(() => {
    log.fatal({ elapsedMs: elapsedMs() }, `shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting now`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  const again = (second: NodeJS.Signals) => {
    log.fatal({ signal: second }, 'second signal; exiting now');
    process.exit(1);
  };
  // A serving process of several gets Ctrl-C with the primary, whose message it is already heeding.
  if (!isServingWorker()) {
    process.once('SIGINT', again);
    process.once('SIGTERM', again);
  }
  await Promise.all([
    stopServer(SHUTDOWN_GRACE_MS).then(() => log.info({ elapsedMs: elapsedMs() }, 'requests in flight finished; no longer listening')),
    search.indexer?.stop().then(() => log.info({ elapsedMs: elapsedMs() }, 'background indexing stopped; it resumes at the next start')),
  ]);
  await search.close();
  await follower?.stop();
  await store.close();
  clearTimeout(deadline);
  log.info({ elapsedMs: elapsedMs() }, 'Stopped.');
  return 0;
}
