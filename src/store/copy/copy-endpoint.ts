// Where a copy reads from or writes to, as typed after --from and --to:
// `sqlite:PATH` or a `postgres://` (or `postgresql://`) URL. A URL's password
// is used to connect and never shown: messages name a database by describe().
import { resolve } from 'node:path';
import { CopyError } from './copy-error.js';

export type CopyEndpoint = { backend: 'sqlite'; path: string } | { backend: 'postgres'; url: string };

/** A PostgreSQL URL without its password (and without query parameters, which may hold one). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(an unparsable URL)';
  }
}

export function describeEndpoint(e: CopyEndpoint): string {
  return e.backend === 'sqlite' ? `sqlite:${e.path}` : describePostgresUrl(e.url);
}

/** Parses the value of `--from` or `--to` (named by `flag` in errors). */
export function parseEndpoint(flag: string, value: string | undefined): CopyEndpoint {
  if (value === undefined || value === '') throw new CopyError(`${flag} is required: sqlite:PATH or postgres://USER@HOST:PORT/DATABASE`);
  if (/^postgres(ql)?:/i.test(value)) {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      throw new CopyError(`${flag}: not a valid PostgreSQL URL (expected postgres://USER@HOST:PORT/DATABASE)`);
    }
    if (!u.host) throw new CopyError(`${flag} ${describePostgresUrl(value)}: the URL names no host (expected postgres://USER@HOST:PORT/DATABASE)`);
    if (u.pathname.length <= 1) throw new CopyError(`${flag} ${describePostgresUrl(value)}: the URL names no database (expected postgres://USER@HOST:PORT/DATABASE)`);
    return { backend: 'postgres', url: value };
  }
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path === '') throw new CopyError(`${flag} sqlite: needs a file path, as in sqlite:/var/lib/paperboy/paperboy.db`);
    if (path === ':memory:') throw new CopyError(`${flag} sqlite::memory: is not a file; copy from or to a database file`);
    return { backend: 'sqlite', path: resolve(path) };
  }
  throw new CopyError(`${flag} must be sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, got "${value.replace(/\/\/[^@/]*@/, '//***@')}"`);
}

/** The same database at both ends would copy onto itself. */
export function sameDatabase(a: CopyEndpoint, b: CopyEndpoint): boolean {
  if (a.backend === 'sqlite' && b.backend === 'sqlite') return a.path === b.path;
  if (a.backend === 'postgres' && b.backend === 'postgres') return describePostgresUrl(a.url).replace(/^[^/]*\/\/[^@]*@/, '') === describePostgresUrl(b.url).replace(/^[^/]*\/\/[^@]*@/, '');
  return false;
}
