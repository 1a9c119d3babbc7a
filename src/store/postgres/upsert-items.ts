// Store.upsertItems on PostgreSQL: the merge rules of ../merge.ts, applied
// item by item in input order inside one transaction, as the SQLite store does.
import type { DailyEntry, ImportItem, PaperVersion } from '../../model.js';
import { mergeDailyEntry, mergeRow, mergeVersions, newRow, rowsEqual, trendingFor } from '../merge.js';
import type { PaperRow } from '../merge.js';
import type { UpsertOutcome } from '../store.js';
import { paperValues, toDailyEntry, toPaperRow, toVersion, WRITTEN_COLUMNS } from './paper-rows.js';
import type { PgDailyRow, PgPaperRow, PgVersionRow } from './paper-rows.js';
import { lockPapers } from './write-transaction.js';
import type { WriteTx } from './write-transaction.js';

const COLUMNS = WRITTEN_COLUMNS.join(', ');
const PLACEHOLDERS = WRITTEN_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
const NOW = `$${WRITTEN_COLUMNS.length + 1}`;
const INSERT_PAPER = `INSERT INTO papers (${COLUMNS}, created_at, modified_at) VALUES (${PLACEHOLDERS}, ${NOW}, ${NOW})`;
// id is $1, so the row is rewritten with itself as key.
const UPDATE_PAPER = `UPDATE papers SET (${COLUMNS}, modified_at) = (${PLACEHOLDERS}, ${NOW}) WHERE id = $1`;

export async function upsertItems(tx: WriteTx, items: ImportItem[]): Promise<UpsertOutcome[]> {
  await lockPapers(tx.client, items.map((i) => i.paper.id));
  const outcomes: UpsertOutcome[] = [];
  for (const item of items) {
    const outcome = await upsertOne(tx, item);
    if (outcome !== 'unchanged') tx.paperChanged(item.paper.id);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function upsertOne(tx: WriteTx, item: ImportItem): Promise<UpsertOutcome> {
  const db = tx.client;
  const { paper: record, daily, community } = item;
  const storedDb = (await db.query<PgPaperRow>('SELECT * FROM papers WHERE id = $1', [record.id])).rows[0];
  const stored = storedDb ? toPaperRow(storedDb) : null;
  const row = stored ? mergeRow(stored, record, community, await isLatestListing(tx, record.id, daily?.date)) : newRow(record, community);
  const changed = !stored || !rowsEqual(stored, row);

  const storedVersions = await versionsOf(tx, record.id);
  const versions = mergeVersions(storedVersions, versionsFrom(record.version, record.versions));
  const versionsChanged = JSON.stringify(versions) !== JSON.stringify(storedVersions);

  let dailyChanged = false;
  let entry: DailyEntry | null = null;
  if (daily) {
    const old = (await db.query<PgDailyRow>('SELECT * FROM daily_entries WHERE paper_id = $1 AND list_date = $2', [record.id, daily.date])).rows[0];
    const storedEntry = old ? toDailyEntry(old) : null;
    entry = mergeDailyEntry(storedEntry, record.id, daily);
    dailyChanged = JSON.stringify(storedEntry) !== JSON.stringify(entry);
  }

  if (!changed && !versionsChanged && !dailyChanged) return 'unchanged';
  const now = new Date().toISOString();
  if (!stored) {
    // As on SQLite: a new paper is first listed by this record's entry, if any, so its row is written once.
    const listedAt = entry ? (entry.submittedAt ?? `${entry.date}T00:00:00.000Z`) : null;
    await db.query(INSERT_PAPER, [...paperValues(row, trendingFor(row, listedAt)), now]);
  }
  if (entry && dailyChanged) {
    await db.query(
      `INSERT INTO daily_entries (paper_id, list_date, submitted_at, submitter) VALUES ($1, $2, $3, $4)
       ON CONFLICT (paper_id, list_date) DO UPDATE SET submitted_at = excluded.submitted_at, submitter = excluded.submitter`,
      [entry.paperId, entry.date, entry.submittedAt, entry.submitter],
    );
  }
  if (versionsChanged) {
    await db.query(
      `INSERT INTO paper_versions (paper_id, version, submitted_at, size)
       SELECT $1, v.version, v.submitted_at, v.size FROM unnest($2::int[], $3::text[], $4::text[]) AS v(version, submitted_at, size)
       ON CONFLICT (paper_id, version) DO UPDATE SET submitted_at = excluded.submitted_at, size = excluded.size`,
      [record.id, versions.map((v) => v.version), versions.map((v) => v.submittedAt), versions.map((v) => v.size ?? null)],
    );
  }
  if (!stored || JSON.stringify(stored.categories) !== JSON.stringify(row.categories)) await writeCategories(tx, row);
  if (!stored) return 'new';
  const trending = trendingFor(row, await firstListedAt(tx, row.id));
  await db.query(UPDATE_PAPER, [...paperValues(row, trending), now]);
  return 'updated';
}

async function writeCategories(tx: WriteTx, row: PaperRow): Promise<void> {
  await tx.client.query('DELETE FROM paper_categories WHERE paper_id = $1', [row.id]);
  await tx.client.query(
    `INSERT INTO paper_categories (paper_id, position, category)
     SELECT $1, c.n - 1, c.category FROM unnest($2::text[]) WITH ORDINALITY AS c(category, n)
     ON CONFLICT DO NOTHING`,
    [row.id, row.categories],
  );
}

/** A record without a list date, or from the paper's newest list date (or a newer one), carries current community fields. */
async function isLatestListing(tx: WriteTx, id: string, date: string | undefined): Promise<boolean> {
  if (!date) return true;
  const r = (await tx.client.query<{ d: string | null }>('SELECT MAX(list_date) AS d FROM daily_entries WHERE paper_id = $1', [id])).rows[0];
  return r?.d == null || date >= r.d;
}

async function firstListedAt(tx: WriteTx, id: string): Promise<string | null> {
  const r = (await tx.client.query<PgDailyRow>('SELECT list_date, submitted_at FROM daily_entries WHERE paper_id = $1 ORDER BY list_date LIMIT 1', [id])).rows[0];
  return r ? (r.submitted_at ?? `${r.list_date}T00:00:00.000Z`) : null;
}

async function versionsOf(tx: WriteTx, id: string): Promise<PaperVersion[]> {
  const { rows } = await tx.client.query<PgVersionRow>('SELECT paper_id, version, submitted_at, size FROM paper_versions WHERE paper_id = $1 ORDER BY version', [id]);
  return rows.map(toVersion);
}

/** A record that names its version implies that version exists even without a list of versions. */
function versionsFrom(version: number | null | undefined, versions: PaperVersion[] | undefined): PaperVersion[] {
  if (versions && versions.length > 0) return versions;
  return version != null ? [{ version, submittedAt: null, size: null }] : [];
}
