/**
 * CPU time a process has used, read from Linux's /proc: the whole process
 * (every thread) and its main thread alone. On a shared machine, CPU time per
 * request says what a request costs better than requests per second, which
 * also depend on how much CPU the other processes left over.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuTimes {
  /** Milliseconds of user + system time, all threads. */
  processMs: number;
  /** The same for the main thread (the event loop). */
  mainMs: number;
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const TICK_MS = 10;

/** utime + stime of a /proc stat line, in ms; fields 14 and 15, counted after the parenthesised command name. */
export function parseStatCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** null where /proc is missing (not Linux) or the process is gone. */
export function readCpuTimes(pid: number): CpuTimes | null {
  try {
    return {
      processMs: parseStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      mainMs: parseStatCpuMs(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
    };
  } catch {
    return null;
  }
}

/** The parent pid of a /proc stat line (field 4). */
export function parseStatParent(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * `pid` and its child processes (`serve` with PAPERBOY_WEB_PROCESSES: the
 * primary and its serving processes), summed; `mainMs` is every process's
 * main thread. null where /proc is missing or `pid` is gone.
 */
export function readProcessTreeCpuTimes(pid: number): CpuTimes | null {
  const own = readCpuTimes(pid);
  if (own === null) return null;
  const total = { ...own };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    try {
      if (parseStatParent(readFileSync(`/proc/${entry}/stat`, 'utf8')) !== pid) continue;
    } catch {
      continue;
    }
    const child = readCpuTimes(Number(entry));
    if (child === null) continue;
    total.processMs += child.processMs;
    total.mainMs += child.mainMs;
  }
  return total;
}
