import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.js';
import { storeContract } from './store.contract.js';
import { buildPaper } from '../../test/support/build.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-store-'));
let n = 0;
storeContract('sqlite', async () => {
  const store = await SqliteStore.open(join(dir, `store-${++n}.db`));
  await store.migrate();
  return store;
});

test('sqlite: data survives closing and reopening the file, in WAL mode', async () => {
  const path = join(dir, 'reopen.db');
  const first = await SqliteStore.open(path);
  await first.migrate();
  const paper = buildPaper();
  await first.upsertItems([{ paper }]);
  assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
  await first.close();
  const second = await SqliteStore.open(path);
  await second.migrate();
  assert.equal((await second.getPaper(paper.id))?.title, paper.title);
  await second.close();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
