// DATABASE_URL: which database the store uses. Unset: the embedded SQLite file
// in the data dir; a postgres:// or postgresql:// URL: that PostgreSQL database.
// The URL carries the password, so no message shows it: problems name the
// variable and the scheme, and the URL is displayed with the password masked.

/** The database the store opens. `display` is safe to print (no password). */
export type DatabaseConfig = { backend: 'sqlite'; path: string } | { backend: 'postgres'; url: string; display: string };

const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:']);

/** How to name the database in a message: the file, or the URL without its password. */
export function databaseName(database: DatabaseConfig): string {
  return database.backend === 'sqlite' ? database.path : database.display;
}

/** The URL with its password, if any, replaced by ***. */
export function maskPassword(url: URL): string {
  if (url.password === '') return url.href;
  const masked = new URL(url.href);
  masked.password = '***';
  return masked.href;
}

/**
 * The database DATABASE_URL names (`value`), or the SQLite file when it is
 * unset. Throws an Error whose message names the problem and never the
 * value's secret parts.
 */
export function parseDatabaseUrl(value: string | undefined, sqlitePath: string): DatabaseConfig {
  if (value === undefined) return { backend: 'sqlite', path: sqlitePath };
  const v = value.trim();
  if (v === '') throw new Error(`DATABASE_URL is empty: unset it to use the SQLite file ${sqlitePath}, or set a postgres:// URL`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL (got text that is not a URL)');
  }
  if (!POSTGRES_SCHEMES.has(url.protocol)) {
    throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got a URL starting with ${url.protocol}); unset it to use the SQLite file ${sqlitePath}`);
  }
  return { backend: 'postgres', url: v, display: maskPassword(url) };
}
