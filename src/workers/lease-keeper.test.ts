// LeaseKeeper over a real SQLite file shared by two connections, as two
// processes would share it: one holder at a time, hand-over on stop, and
// take-over when a holder stops renewing (dies).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { LeaseKeeper } from './lease-keeper.js';
import { waitFor } from '../../test/support/wait-for.js';

async function twoConnections(t: { after: (fn: () => Promise<void>) => void }): Promise<[SqliteStore, SqliteStore]> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-lease-'));
  const a = await SqliteStore.open(join(dir, 'paperboy.db'));
  await a.migrate();
  const b = await SqliteStore.open(join(dir, 'paperboy.db'));
  t.after(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return [a, b];
}


test('one keeper holds the lease; the other takes it over as soon as the holder stops', async (t) => {
  const [a, b] = await twoConnections(t);
  const changes: string[] = [];
  const first = new LeaseKeeper(a, 'work', 'first', { ttlMs: 60_000, renewMs: 20, onChange: (held) => changes.push(`first ${held}`) });
  const second = new LeaseKeeper(b, 'work', 'second', { ttlMs: 60_000, renewMs: 20, onChange: (held) => changes.push(`second ${held}`) });
  await first.start();
  await second.start();
  assert.equal(first.held, true);
  assert.equal(second.held, false);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(first.held, true, 'renewed, still held');
  assert.equal(second.held, false);
  await first.stop();
  await waitFor(() => second.held, 2_000, 'the second keeper to take over', 10);
  assert.deepEqual(changes, ['first true', 'second true'], 'stopping is not reported as a loss');
  assert.equal(first.held, false);
  await second.stop();
});

test('a holder that stops renewing (a dead process) loses the lease when it expires', async (t) => {
  const [a, b] = await twoConnections(t);
  // Taken once and never renewed: what a killed process leaves behind.
  assert.equal(await a.acquireLease('work', 'dead', 300), true);
  const alive = new LeaseKeeper(b, 'work', 'alive', { ttlMs: 300, renewMs: 20 });
  const t0 = Date.now();
  await alive.start();
  assert.equal(alive.held, false);
  await waitFor(() => alive.held, 2_000, 'the lease to expire and be taken over', 10);
  const waited = Date.now() - t0;
  assert.ok(waited >= 250, `not before it expired (${waited} ms)`);
  await alive.stop();
});
