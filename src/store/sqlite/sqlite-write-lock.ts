// Writers take SQLite's write lock up front and wait for it without holding
// the event loop.
//
// A deferred transaction that reads and then writes cannot wait: when another
// connection committed after its read began, SQLite answers SQLITE_BUSY at
// once (busy_timeout does not apply), which crashed the second of two
// concurrent imports. BEGIN IMMEDIATE asks for the lock before reading; the
// connection's busy_timeout waits a short while for it inside SQLite (that
// wait holds the thread), and beyond that this module waits asynchronously and
// asks again, until a deadline.
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { DatabaseBusyError } from '../../errors.js';


export interface LockWait {
  /** Give up after waiting this long in all (default 10 minutes: a migration at 1M papers takes 5). */
  maxWaitMs: number;
  /** Called once when the wait has lasted more than a few seconds, to say so. */
  onLongWait?: (waitedMs: number) => void;
}

export const DEFAULT_LOCK_WAIT: LockWait = { maxWaitMs: 10 * 60_000 };
const LONG_WAIT_MS = 3_000;

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, sleeping between
 * tries (10 ms doubling to 250 ms, with jitter). `attempt` must leave nothing
 * behind when it fails busy: a transaction that could not begin.
 */
export async function retryWhileBusy<T>(attempt: () => T, wait: LockWait = DEFAULT_LOCK_WAIT): Promise<T> {
  const started = Date.now();
  let pause = 10;
  let warned = false;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusy(err)) throw err;
      const waited = Date.now() - started;
      if (waited >= wait.maxWaitMs) {
        throw new DatabaseBusyError(`the database stayed locked by another process for ${Math.round(waited / 1000)} s; try again when it has finished writing`, { cause: err });
      }
      if (!warned && waited >= LONG_WAIT_MS) {
        warned = true;
        wait.onLongWait?.(waited);
      }
      await sleep(pause * (0.75 + Math.random() / 2));
      pause = Math.min(250, pause * 2);
    }
  }
}

/** `fn` in a BEGIN IMMEDIATE transaction, waiting for the write lock as long as `wait` allows. */
export function writeTransaction<T>(db: Database.Database, fn: () => T, wait: LockWait = DEFAULT_LOCK_WAIT): Promise<T> {
  const tx = db.transaction(fn);
  return retryWhileBusy(() => tx.immediate(), wait);
}
