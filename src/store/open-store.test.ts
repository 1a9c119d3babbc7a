import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openStore } from './open-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

test('without DATABASE_URL the store is the SQLite file in the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-open-store-'));
  try {
    const store = await openStore(loadConfig({ PAPERBOY_DATA_DIR: dir }));
    try {
      assert.ok(store instanceof SqliteStore);
      assert.equal(store.db.name, join(dir, 'paperboy.db'));
      await store.migrate();
      assert.equal(await store.countPapers(), 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a postgres:// DATABASE_URL is refused by this build, clearly and without the password', async () => {
  await assert.rejects(openStore(loadConfig({ DATABASE_URL: 'postgres://pb:hunter2@db.example.org/paperboy' })), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /PostgreSQL backend is not available in this build/);
    assert.match(err.message, /postgres:\/\/pb:\*\*\*@db\.example\.org\/paperboy/);
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});
