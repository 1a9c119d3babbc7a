import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { keywordText } from '../search/keyword-query.js';
import { parseQuery } from '../search/query-parser.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { COMPACTION_STATE_KEY, compactAfterLargeLoad, compactionInterrupted, runCompact } from './compact.js';
import { buildPaper } from '../../test/support/build.js';
import { sink } from '../../test/support/sink.js';

/** A store written by `imports` separate imports: one keyword index segment each. */
async function fragmentedStore(imports: number): Promise<SqliteStore> {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  for (let i = 0; i < imports; i++) await store.upsertItems([{ paper: buildPaper({ title: `Sparse attention study ${i}` }) }]);
  return store;
}

test('paperboy compact merges the keyword index and says how far', async () => {
  const store = await fragmentedStore(5);
  const out = sink();
  const err = sink();
  const ctx = { config: loadConfig({}), store, stdout: out.stream, stderr: err.stream, isTTY: false };
  assert.equal(await runCompact([], ctx), 0);
  assert.match(out.text(), /^keyword index: 10 segments -> 2 in \d+\.\d s\n$/);
  assert.equal(await runCompact(['--now'], ctx), 1);
  assert.match(err.text(), /unexpected argument "--now"/);
  assert.equal((await store.searchKeyword({ text: keywordText(parseQuery('sparse')), limit: 10 })).ids.length, 5);
  await store.close();
});

test('after an import, the index is compacted only after a large load', async () => {
  const lines: string[] = [];
  const policy = { minWritten: 6, minShare: 0.5, minSegments: 4 };
  const store = await fragmentedStore(10);
  await compactAfterLargeLoad(store, 5, (l) => lines.push(l), policy);
  assert.equal(lines.length, 0, 'fewer papers written than minWritten');
  await compactAfterLargeLoad(store, 6, (l) => lines.push(l), { ...policy, minShare: 0.9 });
  assert.equal(lines.length, 0, 'less than minShare of the collection');
  await compactAfterLargeLoad(store, 6, (l) => lines.push(l), { ...policy, minSegments: 11 });
  assert.equal(lines.length, 0, 'fewer segments than minSegments');
  await compactAfterLargeLoad(store, 6, (l) => lines.push(l), policy);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^keyword index compacted: 20 segments -> 2 in /);
  await store.close();
});

test('a compaction that was interrupted is finished by the next import, whatever its size', async () => {
  const store = await fragmentedStore(6);
  // What a compaction killed half-way leaves behind: its mark, and the segments unmerged.
  await store.setState(COMPACTION_STATE_KEY, '2026-12-01T10:00:00.000Z');
  assert.equal(await compactionInterrupted(store), true);
  const lines: string[] = [];
  await compactAfterLargeLoad(store, 1, (l) => lines.push(l));
  assert.equal(lines[0], 'keyword index: finishing a compaction that was interrupted\n');
  assert.match(lines[1]!, /^keyword index compacted: 12 segments -> 2 in /);
  assert.equal(await compactionInterrupted(store), false);
  await store.close();
});
