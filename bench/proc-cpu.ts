/**
 * CPU time a process has used, read from Linux's /proc: the whole process
 * (every thread) and its main thread alone. On a shared machine, CPU time per
 * request says what a request costs better than requests per second, which
 * also depend on how much CPU the other processes left over.
 */
import { readFileSync } from 'node:fs';

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
