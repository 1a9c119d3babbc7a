// serve's follower on PostgreSQL: the local keyword index takes in papers
// written elsewhere, and once it has taken in enough of them it is
// compacted in a worker thread while search goes on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../ops/logger.js';
import { keywordText } from '../search/keyword-query.js';
import { parseQuery } from '../search/query-parser.js';
import { openStore } from '../store/open-store.js';
import { buildPaper } from '../../test/support/build.js';
import { useTestDatabase } from '../../test/support/postgres.js';
import { followDatabaseChanges } from './follow-database.js';
import { waitFor } from '../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-follow-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const database = useTestDatabase('follow_compact');


test('papers written elsewhere reach the local index, which is compacted in a worker once it took in enough', async () => {
  const { url } = await database();
  const config = loadConfig({ DATABASE_URL: url, PAPERBOY_DATA_DIR: dir });
  const writer = await openStore({ ...config, dataDir: join(dir, 'writer') });
  await writer.migrate();
  const store = await openStore(config);
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  const follower = await followDatabaseChanges(store, config, log, { compactAfter: 40, checkMs: 50 });
  assert.ok(follower);
  const found = async (word: string) => (await store.searchKeyword({ text: keywordText(parseQuery(word)), limit: 100 })).ids.length;
  try {
    // Six writes, each taken in on its own: six parts of the keyword index.
    for (let batch = 0; batch < 6; batch++) {
      await writer.upsertItems(Array.from({ length: 10 }, (_, i) => ({ paper: buildPaper({ id: `2401.${String(batch * 10 + i).padStart(5, '0')}`, title: `Wombat burrow number ${batch} ${i}` }) })));
      await waitFor(async () => (await found('wombat')) === (batch + 1) * 10, 5_000, `batch ${batch} to be searchable`, 25);
    }
    await waitFor(() => lines.some((l) => /keyword index compacted: \d+ segments -> \d+/.test(l)), 10_000, 'the compaction', 25);
    const m = /keyword index compacted: (\d+) segments -> (\d+)/.exec(lines.find((l) => /keyword index compacted/.test(l))!)!;
    assert.ok(Number(m[2]) < Number(m[1]), `${m[1]} segments -> ${m[2]}`);
    assert.equal(await found('wombat'), 60, 'every paper still found after compaction');
  } finally {
    await follower.stop();
    await store.close();
    await writer.close();
  }
});
