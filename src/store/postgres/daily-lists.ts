// Daily lists on PostgreSQL: the queries of SqliteStore.listDaily and friends.
// Orders name NULLS LAST where SQLite's NULLs (smallest) land last under DESC.
import type pg from 'pg';
import type { DailyPage, DailyQuery, DailySort } from '../store.js';
import { toPaper } from './paper-rows.js';
import type { PgPaperRow } from './paper-rows.js';

/** ORDER BY for the ranking step (over chosen entries c and papers p) and for the final rows (ranked r). */
const ORDER_BY: Record<DailySort, { inner: string; outer: string }> = {
  upvotes: { inner: 'p.upvotes DESC, p.trending DESC, p.id', outer: 'r.upvotes DESC, r.trending DESC, r.paper_id' },
  trending: { inner: 'p.trending DESC, p.id', outer: 'r.trending DESC, r.paper_id' },
  newest: { inner: 'p.published_at DESC NULLS LAST, p.id', outer: 'r.published_at DESC NULLS LAST, r.paper_id' },
  listed: {
    inner: 'c.list_date DESC, c.submitted_at DESC NULLS LAST, c.paper_id',
    outer: 'r.list_date DESC, r.submitted_at DESC NULLS LAST, r.paper_id',
  },
};

/** Positional parameters, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * `cs` matches cs.* as well as a category named exactly "cs". ILIKE because
 * SQLite's LIKE ignores ASCII case; ESCAPE '' because SQLite's has no escape character.
 */
function categoryFilter(kind: 'EXISTS' | 'NOT EXISTS', categories: string[] | undefined, params: Params): string {
  if (!categories || categories.length === 0) return '';
  const tests = categories.map((c) => {
    const p = params.add(c);
    return `pc.category = ${p} OR pc.category ILIKE ${p} || '.%' ESCAPE ''`;
  });
  return `${kind} (SELECT 1 FROM paper_categories pc WHERE pc.paper_id = p.id AND (${tests.join(' OR ')}))`;
}

export async function listDaily(db: pg.Pool, q: DailyQuery): Promise<DailyPage> {
  const params = new Params();
  const from = params.add(q.from);
  const to = params.add(q.to);
  // Each paper once: its earliest entry in the range (by this submitter, when one is given).
  const submitter = q.submitter != null ? params.add(q.submitter) : null;
  const bySubmitter = submitter ? ` AND d.submitter = ${submitter}` : '';
  const bySubmitterE = submitter ? ` AND e.submitter = ${submitter}` : '';
  const filters = [categoryFilter('EXISTS', q.categories, params), categoryFilter('NOT EXISTS', q.excludeCategories, params)].filter(Boolean);
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const chosen = `WITH chosen AS (
      SELECT d.paper_id, d.list_date, d.submitted_at, d.submitter FROM daily_entries d
      WHERE d.list_date BETWEEN ${from} AND ${to}${bySubmitter}
        AND NOT EXISTS (SELECT 1 FROM daily_entries e WHERE e.paper_id = d.paper_id
                        AND e.list_date >= ${from} AND e.list_date < d.list_date${bySubmitterE}))`;
  const counted = await db.query<{ n: number }>(
    `${chosen} SELECT COUNT(*)::int AS n FROM chosen c${where ? ` JOIN papers p ON p.id = c.paper_id ${where}` : ''}`,
    params.values,
  );
  const order = ORDER_BY[q.sort ?? 'upvotes'];
  const limit = params.add(q.limit ?? 50);
  const offset = params.add(q.offset ?? 0);
  const { rows } = await db.query<PgPaperRow & { d_list_date: string; d_submitted_at: string | null; d_submitter: string | null }>(
    `${chosen}, ranked AS (
      SELECT c.*, p.upvotes, p.trending, p.published_at FROM chosen c JOIN papers p ON p.id = c.paper_id ${where}
      ORDER BY ${order.inner} LIMIT ${limit} OFFSET ${offset})
    SELECT p.*, r.list_date AS d_list_date, r.submitted_at AS d_submitted_at, r.submitter AS d_submitter
    FROM ranked r JOIN papers p ON p.id = r.paper_id ORDER BY ${order.outer}`,
    params.values,
  );
  return {
    total: counted.rows[0]?.n ?? 0,
    items: rows.map((r) => ({
      paper: toPaper(r),
      entry: { paperId: r.id, date: r.d_list_date, submittedAt: r.d_submitted_at, submitter: r.d_submitter },
    })),
  };
}

export async function latestDailyDate(db: pg.Pool): Promise<string | null> {
  return (await db.query<{ d: string | null }>('SELECT MAX(list_date) AS d FROM daily_entries')).rows[0]?.d ?? null;
}

export async function adjacentDailyDates(db: pg.Pool, date: string): Promise<{ previous: string | null; next: string | null }> {
  const { rows } = await db.query<{ previous: string | null; next: string | null }>(
    `SELECT (SELECT MAX(list_date) FROM daily_entries WHERE list_date < $1) AS previous,
            (SELECT MIN(list_date) FROM daily_entries WHERE list_date > $1) AS next`,
    [date],
  );
  return { previous: rows[0]?.previous ?? null, next: rows[0]?.next ?? null };
}
