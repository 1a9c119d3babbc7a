// How far a copy into a target has come, kept in the target's app_state
// (COPY_PROGRESS_KEY) and written in the same transaction as each batch, so
// that a copy killed at any moment resumes after the last batch committed.
import type { KeyValues } from './copy-side.js';
import { CopyError } from './copy-error.js';

export interface TableProgress {
  /** Key of the last row copied; null before the first batch. */
  after: KeyValues | null;
  /** Rows copied so far. */
  rows: number;
  done: boolean;
}

export interface CopyProgress {
  /** The source's identity (CopySide.identity): a copy resumes only from the same source. */
  source: string;
  startedAt: string;
  finishedAt: string | null;
  tables: Record<string, TableProgress>;
}

export function newProgress(source: string, now = new Date()): CopyProgress {
  return { source, startedAt: now.toISOString(), finishedAt: null, tables: {} };
}

export function tableProgress(progress: CopyProgress, table: string): TableProgress {
  return progress.tables[table] ?? { after: null, rows: 0, done: false };
}

export function parseProgress(text: string, where: string): CopyProgress {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const p = value as Partial<CopyProgress> | null;
  if (!p || typeof p.source !== 'string' || typeof p.tables !== 'object' || p.tables === null) {
    throw new CopyError(`${where}: its copy marker (app_state 'copy:progress') is unreadable; if no copy is under way, delete that row`);
  }
  return p as CopyProgress;
}
