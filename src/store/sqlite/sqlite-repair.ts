// Salvage of a damaged SQLite file: every row that can still be read is copied
// into a new file with a fresh schema, the keyword index is rebuilt from the
// papers, and the new file takes the old one's place (the damaged file is kept
// beside it). Rows on damaged pages are lost and counted; importing the source
// files again restores them (imports merge, so nothing doubles).
//
// papers is read by rowid range; a range that fails is halved until the
// failing rows are isolated, so one bad page costs the rows on it, not the
// table. The other tables are keyed by paper, and are read paper by paper
// (in batches, one by one where a batch fails).
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isCorruption, quickCheck } from './sqlite-health.js';
import { flushKeywordIndex } from './sqlite-keyword.js';
import { migrateSqlite } from './migrate-sqlite.js';

export interface TableSalvage {
  table: string;
  copied: number;
  /** Rows known to be lost (papers: failed rowids; other tables: papers whose rows could not be read). */
  lost: number;
}

export interface RepairReport {
  /** What quick_check reported before the repair (empty: the file was sound). */
  problems: string[];
  tables: TableSalvage[];
  /** Where the damaged file was moved, when the repair replaced it. */
  damagedCopy: string | null;
}

const PAPER_CHUNK = 2000;
const CHILD_BATCH = 500;
/** Tables keyed by paper_id, copied for the papers that were saved. */
const CHILD_TABLES = ['paper_versions', 'paper_categories', 'daily_entries', 'paper_embeddings'] as const;

type Row = Record<string, unknown>;

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** Rows of papers with rowid in [from, to), bisecting around unreadable ones; `lost` counts rowids that failed alone. */
function readPapers(db: Database.Database, from: number, to: number, onRows: (rows: Row[]) => void): number {
  const select = db.prepare('SELECT rowid AS _rowid, * FROM papers WHERE rowid >= ? AND rowid < ? ORDER BY rowid');
  const walk = (a: number, b: number): number => {
    if (a >= b) return 0;
    try {
      onRows(select.all(a, b) as Row[]);
      return 0;
    } catch (err) {
      if (!isCorruption(err)) throw err;
      if (b - a === 1) return 1;
      const mid = a + Math.floor((b - a) / 2);
      return walk(a, mid) + walk(mid, b);
    }
  };
  let lost = 0;
  for (let a = from; a < to; a += PAPER_CHUNK) lost += walk(a, Math.min(to, a + PAPER_CHUNK));
  return lost;
}

/** The highest rowid of papers, by a descent that may itself hit a damaged page; then by scanning. */
function maxPaperRowid(db: Database.Database): number {
  try {
    return (db.prepare('SELECT max(rowid) AS m FROM papers').get() as { m: number | null }).m ?? 0;
  } catch (err) {
    if (!isCorruption(err)) throw err;
  }
  let max = 0;
  try {
    for (const r of db.prepare('SELECT rowid AS r FROM papers').iterate() as Iterable<{ r: number }>) max = Math.max(max, r.r);
  } catch (err) {
    if (!isCorruption(err)) throw err;
  }
  // Rows past a damaged page are not seen by the scan; look a long way beyond what it saw.
  return Math.max(max * 2, max + 1_000_000);
}

function copyChildren(from: Database.Database, to: Database.Database, table: string, paperIds: string[]): TableSalvage {
  const columns = columnsOf(to, table).filter((c) => columnsOf(from, table).includes(c));
  const list = columns.map((c) => `"${c}"`).join(', ');
  const insert = to.prepare(`INSERT OR IGNORE INTO ${table} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  const many = from.prepare(`SELECT ${list} FROM ${table} WHERE paper_id IN (SELECT value FROM json_each(?))`);
  const one = from.prepare(`SELECT ${list} FROM ${table} WHERE paper_id = ?`);
  let copied = 0;
  let lost = 0;
  const put = (rows: Row[]) => {
    for (const r of rows) insert.run(columns.map((c) => r[c]));
    copied += rows.length;
  };
  for (let i = 0; i < paperIds.length; i += CHILD_BATCH) {
    const batch = paperIds.slice(i, i + CHILD_BATCH);
    try {
      put(many.all(JSON.stringify(batch)) as Row[]);
    } catch (err) {
      if (!isCorruption(err)) throw err;
      for (const id of batch) {
        try {
          put(one.all(id) as Row[]);
        } catch (e) {
          if (!isCorruption(e)) throw e;
          lost++;
        }
      }
    }
  }
  return { table, copied, lost };
}

function copyAppState(from: Database.Database, to: Database.Database): TableSalvage {
  try {
    const rows = from.prepare('SELECT key, value FROM app_state').all() as { key: string; value: string }[];
    const put = to.prepare('INSERT OR REPLACE INTO app_state (key, value) VALUES (?, ?)');
    for (const r of rows) put.run(r.key, r.value);
    return { table: 'app_state', copied: rows.length, lost: 0 };
  } catch (err) {
    if (!isCorruption(err)) throw err;
    return { table: 'app_state', copied: 0, lost: 1 };
  }
}

/**
 * Repairs the SQLite file at `path` in place (see the top of this file).
 * Nothing is changed when quick_check finds no damage, unless `force`. Every
 * other process must have stopped using the file.
 */
export function repairSqlite(path: string, opts: { force?: boolean; now?: Date } = {}): RepairReport {
  if (!existsSync(path)) throw new Error(`there is no database at ${path}`);
  const damaged = new Database(path, { fileMustExist: true });
  let problems: string[];
  const temp = `${path}.repairing`;
  const tables: TableSalvage[] = [];
  try {
    problems = quickCheck(damaged);
    if (problems.length === 0 && !opts.force) return { problems, tables: [], damagedCopy: null };
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
    const fresh = new Database(temp);
    try {
      fresh.pragma('journal_mode = WAL');
      migrateSqlite(fresh);
      const columns = columnsOf(fresh, 'papers').filter((c) => columnsOf(damaged, 'papers').includes(c));
      const insert = fresh.prepare(`INSERT INTO papers (rowid, ${columns.join(', ')}) VALUES (@_rowid, ${columns.map((c) => `@${c}`).join(', ')})`);
      const saved: string[] = [];
      let copied = 0;
      const lost = fresh.transaction(() =>
        readPapers(damaged, 1, maxPaperRowid(damaged) + 1, (rows) => {
          for (const r of rows) {
            insert.run(Object.fromEntries(['_rowid', ...columns].map((c) => [c, r[c]])));
            saved.push(r.id as string);
            copied++;
          }
        }),
      )();
      tables.push({ table: 'papers', copied, lost });
      fresh.transaction(() => {
        for (const table of CHILD_TABLES) tables.push(copyChildren(damaged, fresh, table, saved));
        tables.push(copyAppState(damaged, fresh));
        flushKeywordIndex((sql) => fresh.prepare(sql));
      })();
      const after = quickCheck(fresh);
      if (after.length > 0) throw new Error(`the repaired copy ${temp} failed its own check (${after[0]}); the damaged file is untouched`);
      fresh.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      fresh.close();
    }
  } finally {
    damaged.close();
  }
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const damagedCopy = `${path}.damaged-${stamp}`;
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${damagedCopy}${suffix}`);
  renameSync(path, damagedCopy);
  renameSync(temp, path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
  return { problems, tables, damagedCopy };
}
