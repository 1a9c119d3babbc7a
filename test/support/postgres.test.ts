import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createTestDatabase, dropAbandonedTestDatabases, PostgresUnreachableError, redactUrl, testDatabaseName, testServerUrl, useTestDatabase, withDatabase } from './postgres.js';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(testServerUrl(), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function exists(name: string): Promise<boolean> {
  return admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

test('a test database is created empty under a unique name and dropped even with a connection left open', async () => {
  const db = await createTestDatabase('support');
  const other = await createTestDatabase('support');
  assert.notEqual(db.name, other.name);
  await other.drop();
  const forgotten = new pg.Client({ connectionString: db.url });
  forgotten.on('error', () => {});
  await forgotten.connect();
  const tables = await forgotten.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
  assert.equal(tables.rows[0].n, 0);
  assert.equal(await exists(db.name), true);
  await db.drop();
  await db.drop();
  assert.equal(await exists(db.name), false);
  await forgotten.end().catch(() => {});
});

test("the databases of this machine's test processes that died without dropping them are dropped", async () => {
  const exited = spawnSync(process.execPath, ['-e', '']);
  const abandoned = testDatabaseName('abandoned', exited.pid);
  const mine = await createTestDatabase('alive');
  try {
    await admin((c) => c.query(`CREATE DATABASE "${abandoned}"`));
    const dropped = await dropAbandonedTestDatabases();
    assert.ok(dropped.includes(abandoned), `${abandoned} in ${dropped.join(', ')}`);
    assert.ok(!dropped.includes(mine.name));
    assert.equal(await exists(abandoned), false);
    assert.equal(await exists(mine.name), true);
  } finally {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${abandoned}" WITH (FORCE)`));
    await mine.drop();
  }
});

const fileDatabase = useTestDatabase('file');

test("a file's database is created once, on first use, and every caller gets it", async () => {
  const [first, second] = await Promise.all([fileDatabase(), fileDatabase()]);
  assert.equal(first, second);
  assert.equal(await exists(first.name), true);
});

test('names are valid PostgreSQL identifiers whatever the label', () => {
  const name = testDatabaseName('Store contract: Ünïcode / spaces and a very long label indeed');
  assert.match(name, /^paperboy_test_[a-z0-9_]+$/);
  assert.ok(Buffer.byteLength(name) <= 63, name);
});

test('an unreachable server fails with how to start one, never a skip', async () => {
  const url = 'postgres://postgres:secret@127.0.0.1:1';
  await assert.rejects(createTestDatabase('nowhere', { serverUrl: url }), (err: Error) => {
    assert.ok(err instanceof PostgresUnreachableError);
    assert.match(err.message, /pg_ctlcluster --skip-systemctl-redirect 15 main start/);
    assert.match(err.message, /PAPERBOY_TEST_DATABASE_URL/);
    assert.doesNotMatch(err.message, /secret/);
    return true;
  });
});

test('URLs in messages hide their password', () => {
  assert.equal(redactUrl('postgres://u:pw@h:5432/db'), 'postgres://u:***@h:5432/db');
  assert.equal(redactUrl('postgres://postgres@127.0.0.1:5432'), 'postgres://postgres@127.0.0.1:5432');
});
