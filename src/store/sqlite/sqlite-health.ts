// Is the SQLite file sound enough to serve? A file with damaged pages answers
// some queries and fails others with "database disk image is malformed";
// serving it would answer 500 on every page that touches a bad page. So
// `serve` checks first (PRAGMA quick_check: every page's structure, without
// the index-to-table cross-check of integrity_check; 0.6 s for the 55 MB demo
// database) and refuses to start with a message naming the fix.
import type Database from 'better-sqlite3';

const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);

export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT.has(code);
}

/** Up to `max` problems PRAGMA quick_check reports; empty when the file is sound. */
export function quickCheck(db: Database.Database, max = 10): string[] {
  try {
    const rows = db.pragma(`quick_check(${max})`) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
    return problems;
  } catch (err) {
    if (isCorruption(err)) return [(err as Error).message];
    throw err;
  }
}
