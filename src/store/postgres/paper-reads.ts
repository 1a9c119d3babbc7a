// Reading papers on PostgreSQL: one paper, many in the order asked, pages by id.
import type pg from 'pg';
import type { DailyEntry, Paper, PaperDetail } from '../../model.js';
import type { PaperPage } from '../store.js';
import { toDailyEntry, toPaper, toVersion } from './paper-rows.js';
import type { PgDailyRow, PgPaperRow, PgVersionRow } from './paper-rows.js';

/** Papers in the order of `ids`, repeats kept, unknown ids left out. */
const IN_ORDER = 'SELECT p.* FROM unnest($1::text[]) WITH ORDINALITY AS j(id, n) JOIN papers p ON p.id = j.id ORDER BY j.n';

export async function getPapers(db: pg.Pool, ids: string[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  return (await db.query<PgPaperRow>(IN_ORDER, [ids])).rows.map(toPaper);
}

export async function getPaperDetails(db: pg.Pool, ids: string[]): Promise<PaperDetail[]> {
  if (ids.length === 0) return [];
  const [papers, versionRows, entryRows] = await Promise.all([
    db.query<PgPaperRow>(IN_ORDER, [ids]),
    db.query<PgVersionRow>('SELECT paper_id, version, submitted_at, size FROM paper_versions WHERE paper_id = ANY($1::text[]) ORDER BY paper_id, version', [ids]),
    db.query<PgDailyRow>('SELECT * FROM daily_entries WHERE paper_id = ANY($1::text[]) ORDER BY paper_id, list_date', [ids]),
  ]);
  const versions = groupBy(versionRows.rows, (v) => v.paper_id);
  const entries = groupBy(entryRows.rows, (e) => e.paper_id);
  return papers.rows.map((row) => ({
    ...toPaper(row),
    versions: (versions.get(row.id) ?? []).map(toVersion),
    dailyEntries: (entries.get(row.id) ?? []).map(toDailyEntry),
  }));
}

export async function getDailyEntries(db: pg.Pool, ids: string[]): Promise<DailyEntry[]> {
  if (ids.length === 0) return [];
  return (await db.query<PgDailyRow>('SELECT * FROM daily_entries WHERE paper_id = ANY($1::text[]) ORDER BY paper_id, list_date', [ids])).rows.map(toDailyEntry);
}

export async function getPaper(db: pg.Pool, id: string): Promise<PaperDetail | null> {
  return (await getPaperDetails(db, [id]))[0] ?? null;
}

export async function countPapers(db: pg.Pool): Promise<number> {
  return (await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM papers')).rows[0]?.n ?? 0;
}

export async function listPapers(db: pg.Pool, opts: { cursor?: string | null; limit: number }): Promise<PaperPage> {
  const { rows } = await db.query<PgPaperRow>('SELECT * FROM papers WHERE id > $1 ORDER BY id LIMIT $2', [opts.cursor ?? '', opts.limit + 1]);
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toPaper), nextCursor: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
