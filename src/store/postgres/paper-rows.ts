// Rows as node-postgres returns them (JSONB arrays arrive parsed), in the application's terms.
import type { DailyEntry, Paper, PaperVersion } from '../../model.js';
import type { PaperRow } from '../merge.js';
import { paperFromColumns, paperRowFromColumns, type PaperColumns } from '../paper-columns.js';

export type PgPaperRow = PaperColumns<string[]>;

const asList = (list: string[]) => list;

export const toPaper = (r: PgPaperRow): Paper => paperFromColumns(r, asList);

export const toPaperRow = (r: PgPaperRow): PaperRow => paperRowFromColumns(r, asList);

export interface PgDailyRow {
  paper_id: string;
  list_date: string;
  submitted_at: string | null;
  submitter: string | null;
}

export function toDailyEntry(r: PgDailyRow): DailyEntry {
  return { paperId: r.paper_id, date: r.list_date, submittedAt: r.submitted_at, submitter: r.submitter };
}

export interface PgVersionRow {
  paper_id: string;
  version: number;
  submitted_at: string | null;
  size: string | null;
}

export function toVersion(r: PgVersionRow): PaperVersion {
  return { version: r.version, submittedAt: r.submitted_at, size: r.size };
}
