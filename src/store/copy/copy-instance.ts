// Copies an instance's durable data from one database to another, table by
// table in key order, in batches each committed with its progress marker
// (copy-progress.ts), then reads both sides back and compares per-table row
// counts and checksums. Both sides are migrated by their own stores before
// (open-copy-side.ts). Nothing else may write to the target meanwhile; the
// source should be quiet too, or the comparison will tell.
import { columnProblems } from './column-check.js';
import { CopyError } from './copy-error.js';
import type { PortableRow } from './column-values.js';
import type { CopySide, KeyValues } from './copy-side.js';
import { keyOf } from './copy-side.js';
import { newProgress, parseProgress, tableProgress } from './copy-progress.js';
import type { CopyProgress } from './copy-progress.js';
import { batchSizeFor, COPY_TABLES, isDerivedSqliteTable, NOT_COPIED } from './copy-tables.js';
import type { CopyTable } from './copy-tables.js';
import { tableChecksum } from './table-checksum.js';
import type { TableChecksum } from './table-checksum.js';

export const DEFAULT_COPY_BATCH = 1000;

export interface CopyOptions {
  /** Rows per batch and transaction (default DEFAULT_COPY_BATCH). */
  batchSize?: number;
  /** Which tables, in order (default COPY_TABLES). */
  tables?: readonly CopyTable[];
  /** After each committed batch, and when a table starts. */
  onProgress?: (p: CopyProgressEvent) => void;
  /** Once the target is known to be empty or to hold this copy unfinished. */
  onStart?: (s: { resumed: boolean; finishedBefore: boolean }) => void;
  /** When the comparison of a table starts. */
  onVerify?: (table: string) => void;
}

export interface CopyProgressEvent {
  table: string;
  copied: number;
  /** Rows in the source when the table started. */
  total: number;
}

export type TableOutcome =
  | { table: string; copied: true; source: TableChecksum; target: TableChecksum; matches: boolean }
  | { table: string; copied: false; skippedBecause: string };

export interface CopyReport {
  /** The target held an unfinished (or finished) copy of the same source. */
  resumed: boolean;
  tables: TableOutcome[];
  /** Tables of the source that copy does not know and did not copy. */
  unknownTables: string[];
  /** Every copied table has the same rows and checksum on both sides. */
  verified: boolean;
}

interface Plan {
  copy: CopyTable[];
  skipped: { table: string; skippedBecause: string }[];
}

async function planTables(source: CopySide, target: CopySide, tables: readonly CopyTable[]): Promise<Plan> {
  const plan: Plan = { copy: [], skipped: [] };
  for (const table of tables) {
    const [fromColumns, toColumns] = await Promise.all([source.tableColumns(table.name), target.tableColumns(table.name)]);
    const missing = [fromColumns ? null : `source (${source.backend})`, toColumns ? null : `target (${target.backend})`].filter((s) => s !== null);
    if (missing.length > 0) {
      plan.skipped.push({ table: table.name, skippedBecause: `not in the ${missing.join(' or ')} schema` });
      continue;
    }
    for (const [side, columns] of [
      [source, fromColumns!],
      [target, toColumns!],
    ] as const) {
      const problems = columnProblems(side.backend, table, columns);
      if (problems.length > 0) throw new CopyError(`${side.label}: table ${table.name} ${problems.join('; ')}`);
    }
    plan.copy.push(table);
  }
  return plan;
}

async function unknownTables(source: CopySide, tables: readonly CopyTable[]): Promise<string[]> {
  const known = new Set(tables.map((t) => t.name));
  return (await source.tableNames()).filter((t) => !known.has(t) && !(t in NOT_COPIED) && !isDerivedSqliteTable(t));
}

/** The copy marker to continue from: the target's own, or a new one when the target is empty. */
async function startingProgress(source: CopySide, target: CopySide, tables: CopyTable[]): Promise<{ progress: CopyProgress; resumed: boolean }> {
  const identity = await source.identity();
  const marker = await target.readProgress();
  if (marker !== null) {
    const progress = parseProgress(marker, target.label);
    if (progress.source !== identity) {
      throw new CopyError(
        `${target.label} already holds a copy from another source (${progress.source.replace(/#.*/, '')}); copy only into an empty database`,
      );
    }
    return { progress, resumed: true };
  }
  const held: string[] = [];
  for (const table of tables) {
    const n = await target.countRows(table);
    if (n > 0) held.push(`${n} ${table.name} rows`);
  }
  if (held.length > 0) throw new CopyError(`${target.label} is not empty (${held.join(', ')}); copy only into an empty database`);
  return { progress: newProgress(identity), resumed: false };
}

/** In the table's arrival order when it has one, else by key. */
async function readNextBatch(source: CopySide, table: CopyTable, after: KeyValues | null, size: number): Promise<{ rows: PortableRow[]; next: KeyValues | null }> {
  if (table.arrival) return source.readArrivalBatch(table, after, size);
  const rows = await source.readBatch(table, after, size);
  return { rows, next: rows.length > 0 ? keyOf(table, rows.at(-1)!) : after };
}

async function copyTable(source: CopySide, target: CopySide, table: CopyTable, progress: CopyProgress, opts: CopyOptions): Promise<void> {
  const state = tableProgress(progress, table.name);
  if (state.done) return;
  const size = batchSizeFor(table, opts.batchSize ?? DEFAULT_COPY_BATCH);
  const total = await source.countRows(table);
  opts.onProgress?.({ table: table.name, copied: state.rows, total });
  for (;;) {
    const from = state.after;
    try {
      const { rows, next: after } = await readNextBatch(source, table, from, size);
      const next = { after, rows: state.rows + rows.length, done: rows.length < size };
      await target.writeBatch(table, rows, JSON.stringify({ ...progress, tables: { ...progress.tables, [table.name]: next } }));
      Object.assign(state, next);
      progress.tables[table.name] = state;
    } catch (err) {
      if (err instanceof CopyError) throw err;
      throw new CopyError(`copying ${table.name} after ${state.rows} rows: ${(err as Error).message} (what was copied before is kept: run the same command again to continue)`, {
        cause: err,
      });
    }
    opts.onProgress?.({ table: table.name, copied: state.rows, total: Math.max(total, state.rows) });
    if (state.done) return;
  }
}

/** Copies every table both sides have, resuming a copy the target records; then compares both sides. */
export async function copyInstance(source: CopySide, target: CopySide, opts: CopyOptions = {}): Promise<CopyReport> {
  const tables = opts.tables ?? COPY_TABLES;
  const plan = await planTables(source, target, tables);
  const { progress, resumed } = await startingProgress(source, target, plan.copy);
  opts.onStart?.({ resumed, finishedBefore: progress.finishedAt !== null });
  for (const table of plan.copy) await copyTable(source, target, table, progress, opts);
  if (progress.finishedAt === null) {
    progress.finishedAt = new Date().toISOString();
    await target.writeProgress(JSON.stringify(progress));
  }

  const outcomes: TableOutcome[] = [];
  for (const table of tables) {
    const skipped = plan.skipped.find((s) => s.table === table.name);
    if (skipped) {
      outcomes.push({ ...skipped, copied: false });
      continue;
    }
    opts.onVerify?.(table.name);
    // Reading back is cheaper than writing: a small --batch (to test resuming) need not slow it down.
    const size = Math.max(opts.batchSize ?? DEFAULT_COPY_BATCH, DEFAULT_COPY_BATCH);
    const [from, to] = await Promise.all([tableChecksum(source, table, size), tableChecksum(target, table, size)]);
    outcomes.push({ table: table.name, copied: true, source: from, target: to, matches: from.rows === to.rows && from.sha256 === to.sha256 });
  }
  return {
    resumed,
    tables: outcomes,
    unknownTables: await unknownTables(source, tables),
    verified: outcomes.every((o) => !o.copied || o.matches),
  };
}
