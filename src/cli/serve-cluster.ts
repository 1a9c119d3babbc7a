// `paperboy serve` with PAPERBOY_WEB_PROCESSES > 1: this process (node:cluster's
// primary) loads the demo data once, then runs that many serving processes on
// one port and the one SQLite file; connections are handed to them in turn.
// Node runs JavaScript on one core per process, so this is how one machine's
// cores all answer requests. The primary answers nothing itself: it replaces a
// process that dies, and on SIGTERM or SIGINT tells every process to shut down
// as a lone `serve` does (requests in flight finish), then exits.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../ops/logger.js';
import { SHUTDOWN_DEADLINE_MS } from './serve.js';

/** The message a serving process takes as its SIGTERM. */
export const SHUTDOWN_MESSAGE = 'paperboy:shutdown';
/** A process that dies sooner than this after starting, twice in a row, is not restarted again: it cannot start. */
const QUICK_DEATH_MS = 10_000;

export function isServingWorker(): boolean {
  return cluster.isWorker;
}

/** In a serving process: resolves when the primary asks it to shut down (signals go to the primary). */
export function shutdownRequested(): Promise<NodeJS.Signals> {
  // A terminal's Ctrl-C reaches the whole process group; the primary decides, so the worker waits for its word.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  return new Promise((resolve) => {
    process.on('message', (m) => {
      if (m === SHUTDOWN_MESSAGE) resolve('SIGTERM');
    });
  });
}

/** Runs `count` serving processes until SIGTERM or SIGINT; the exit code. */
export async function superviseServers(count: number, log: Logger): Promise<number> {
  const started = new Map<Worker, number>();
  let stopping = false;
  let quickDeaths = 0;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
  };
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const lived = Date.now() - (started.get(worker) ?? 0);
      started.delete(worker);
      if (!stopping) {
        quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
        if (quickDeaths >= 2) {
          log.fatal({ pid: worker.process.pid, code, signal }, 'a serving process ended twice in a row right after starting; stopping them all');
          failed = true;
          stop();
        } else {
          log.error({ pid: worker.process.pid, code, signal }, 'a serving process ended; starting another');
          fork();
        }
      }
      if (stopping && started.size === 0) resolve();
    });
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of started.keys()) if (worker.isConnected()) worker.send(SHUTDOWN_MESSAGE);
    const deadline = setTimeout(() => {
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
    }, SHUTDOWN_DEADLINE_MS + 1_000);
    deadline.unref();
  };

  for (let i = 0; i < count; i++) fork();
  log.info({ processes: count }, `Starting ${count} serving processes on one port`);
  const signal = await Promise.race([
    new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
    allExited.then(() => null),
  ]);
  if (signal !== null) {
    log.info({ signal }, `${signal}: shutting down ${started.size} serving processes...`);
    stop();
  }
  await allExited;
  log.info('Stopped.');
  return failed ? 1 : 0;
}
