// A real PostgreSQL database per test file or suite: created with a unique
// name, dropped afterwards (also when tests fail). The server comes from
// PAPERBOY_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432. A server
// that does not answer fails the tests: CI must exercise PostgreSQL, so they
// are never skipped.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { after } from 'node:test';
import pg from 'pg';

export const DEFAULT_TEST_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** The server tests create their databases on (its own database name, if any, is only used to connect). */
export function testServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPERBOY_TEST_DATABASE_URL || DEFAULT_TEST_SERVER;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export class PostgresUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `PostgreSQL is not reachable at ${redactUrl(url)} (${(cause as Error).message || String(cause)}). ` +
        'The PostgreSQL tests need a real server: start the installed one with ' +
        '`pg_ctlcluster --skip-systemctl-redirect 15 main start` (or run .ci/run, which starts or installs it), ' +
        'or point PAPERBOY_TEST_DATABASE_URL at a server where this user may create databases.',
      { cause },
    );
    this.name = 'PostgresUnreachableError';
  }
}

/** Runs `fn` with a connection to the server's maintenance database. */
async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new PostgresUnreachableError(serverUrl, err);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  /** Connection string for the new database. */
  url: string;
  /** Drops the database, closing any connection left open. Safe to call twice. */
  drop(): Promise<void>;
}

/** Tells this machine's test databases from other machines' on a shared server. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 4);
const NAME_TAIL = /_([0-9a-f]{4})_(\d+)_[0-9a-f]{8}$/;

/** `paperboy_test_<label>_<host>_<pid>_<random>`, lower case, within PostgreSQL's 63-byte identifiers. */
export function testDatabaseName(label: string, pid = process.pid): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24) || 'db';
  return `paperboy_test_${clean}_${HOST_TAG}_${pid}_${randomBytes(4).toString('hex')}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the test databases of test processes of this machine that are gone
 * (killed, say, before their `after` hooks could run). Returns their names.
 */
export async function dropAbandonedTestDatabases(serverUrl = testServerUrl()): Promise<string[]> {
  return withAdmin(serverUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'paperboy\\_test\\_%'");
    const abandoned = rows
      .map((r) => r.datname)
      .filter((name) => {
        const m = NAME_TAIL.exec(name);
        return m !== null && m[1] === HOST_TAG && !isRunning(Number(m[2]));
      });
    await Promise.all(abandoned.map((name) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
    return abandoned;
  });
}

const swept = new Map<string, Promise<unknown>>();

export interface TestDatabaseOptions {
  serverUrl?: string;
  /** Sort text by this ICU locale (e.g. 'en-US') instead of the server's default. */
  icuLocale?: string;
}

/** Creates an empty database with a unique name; the caller drops it. */
export async function createTestDatabase(label: string, opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = opts.serverUrl ?? testServerUrl();
  if (!swept.has(serverUrl)) swept.set(serverUrl, dropAbandonedTestDatabases(serverUrl).catch(() => []));
  await swept.get(serverUrl);
  const name = testDatabaseName(label);
  const locale = opts.icuLocale ? ` LOCALE_PROVIDER icu ICU_LOCALE '${opts.icuLocale.replace(/[^\w-]/g, '')}' TEMPLATE template0` : '';
  await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"${locale}`));
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE (PostgreSQL 13+): a pool a failed test left open must not keep the database alive.
      await withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A database for the calling test file or suite, dropped by an `after` hook
 * (node:test runs it whether the tests passed or failed). Call at the top
 * level of a test file, or inside a describe().
 */
export function useTestDatabase(label: string, opts: TestDatabaseOptions = {}): () => Promise<TestDatabase> {
  let created: Promise<TestDatabase> | null = null;
  after(async () => {
    if (created) await (await created.catch(() => null))?.drop();
  });
  return () => (created ??= createTestDatabase(label, opts));
}

/**
 * Fresh databases on demand (one per store, say), all dropped by an `after`
 * hook of the calling file or suite.
 */
export function testDatabases(label: string, opts: TestDatabaseOptions = {}): () => Promise<TestDatabase> {
  const made: Promise<TestDatabase>[] = [];
  after(async () => {
    // Together: each DROP DATABASE waits for a checkpoint (about 2 s here), and concurrent drops share one.
    const all = await Promise.allSettled(made);
    await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.drop() : undefined)));
  });
  return () => {
    const db = createTestDatabase(label, opts);
    made.push(db);
    return db;
  };
}
