// Several processes on one database, each with its own local search index:
// what one writes, the others find, through LISTEN/NOTIFY or, when a notice
// is lost, the poll.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPaper } from '../../../test/support/build.js';
import { testDatabases } from '../../../test/support/postgres.js';
import { keywordText } from '../../search/keyword-query.js';
import { parseQuery } from '../../search/query-parser.js';
import type { KeywordOrder } from '../store.js';
import type { LocalSearchIndex } from './local-search-index.js';
import { PostgresStore } from './postgres-store.js';
import { followChanges } from './search-index-follower.js';

const newDatabase = testDatabases('local_index');
const root = mkdtempSync(join(tmpdir(), 'paperboy-local-index-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function openProcess(url: string, dir = join(root, `process-${++n}`)): PostgresStore {
  return PostgresStore.open(url, { searchIndexDir: dir, maxConnections: 3 });
}

/** What the index itself answers now, without catching up first. */
async function found(index: LocalSearchIndex, query: string, order: KeywordOrder = 'relevance'): Promise<string[]> {
  return (await index.searchKeyword({ text: keywordText(parseQuery(query)), limit: 20, order })).ids;
}

/** Milliseconds until `index` finds `ids` for `query`; fails after `withinMs`. */
async function timeUntilFound(index: LocalSearchIndex, query: string, ids: string[], withinMs: number, order: KeywordOrder = 'relevance'): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < withinMs) {
    if (JSON.stringify(await found(index, query, order)) === JSON.stringify(ids)) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`"${query}" did not find ${ids.join(', ')} within ${withinMs} ms`);
}

test('a write through one process is searchable through the others within 2 seconds, without a search asking', async () => {
  const { url } = await newDatabase();
  const [a, b, c] = [openProcess(url), openProcess(url), openProcess(url)];
  await Promise.all([a, b, c].map((s) => s.migrate()));
  const [ib, ic] = [await b.localSearchIndex(), await c.localSearchIndex()];
  // A long poll: only the notice can be this quick.
  const followers = await Promise.all([followChanges(ib, url, { pollMs: 60_000 }), followChanges(ic, url, { pollMs: 60_000 })]);
  try {
    const paper = buildPaper({ title: 'Quokka segmentation at scale' });
    await a.upsertItems([{ paper }]);
    const ms = await Promise.all([timeUntilFound(ib, 'quokka', [paper.id], 2000), timeUntilFound(ic, 'quokka', [paper.id], 2000)]);
    assert.ok(Math.max(...ms) < 2000);

    // Changes, not only inserts: a new title replaces the old words; votes reorder.
    const other = buildPaper({ title: 'Quokka tracking' });
    await a.upsertItems([{ paper: { ...paper, version: 2, title: 'Wombat segmentation at scale' } }, { paper: other, community: { upvotes: 5, numComments: 0 } }]);
    await timeUntilFound(ib, 'wombat', [paper.id], 2000);
    assert.deepEqual(await found(ib, 'quokka'), [other.id]);
    await a.upsertItems([
      { paper: { ...paper, version: 2, title: 'Wombat segmentation at scale' }, community: { upvotes: 9, numComments: 0 } },
      { paper: { ...other, version: 2, title: 'Quokka tracking of wombat' } },
    ]);
    await timeUntilFound(ic, 'wombat', [paper.id, other.id], 2000, 'upvotes');
  } finally {
    await Promise.all(followers.map((f) => f.stop()));
    await Promise.all([a, b, c].map((s) => s.close()));
  }
});

test('when the listening connection is lost, the poll still brings changes in', async () => {
  const { url } = await newDatabase();
  const [a, b] = [openProcess(url), openProcess(url)];
  await Promise.all([a, b].map((s) => s.migrate()));
  const index = await b.localSearchIndex();
  const errors: Error[] = [];
  const follower = await followChanges(index, url, { pollMs: 200, onError: (err) => errors.push(err) });
  try {
    const killed = await a.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN paperboy_changes'");
    assert.equal(killed.rowCount, 1);
    const paper = buildPaper({ title: 'Numbat detection' });
    await a.upsertItems([{ paper }]);
    await timeUntilFound(index, 'numbat', [paper.id], 2000);
    assert.ok(errors.length >= 1, 'the lost connection was reported');
  } finally {
    await follower.stop();
    await Promise.all([a, b].map((s) => s.close()));
  }
});

test('a restarted process keeps its index and only applies what it missed', async () => {
  const { url } = await newDatabase();
  const dir = join(root, `restart-${++n}`);
  const writer = openProcess(url);
  await writer.migrate();
  const first = buildPaper({ title: 'Echidna pose estimation' });
  await writer.upsertItems([{ paper: first }]);
  let reader = openProcess(url, dir);
  assert.deepEqual((await reader.searchKeyword({ text: keywordText(parseQuery('echidna')), limit: 5 })).ids, [first.id]);
  await reader.close();

  const second = buildPaper({ title: 'Echidna tracking' });
  await writer.upsertItems([{ paper: second }]);
  reader = openProcess(url, dir);
  try {
    const index = await reader.localSearchIndex();
    assert.equal(index.appliedSeq, 1, 'what it had applied is still there');
    await index.catchUp();
    assert.equal(index.appliedSeq, 2);
    assert.deepEqual((await found(index, 'echidna')).sort(), [first.id, second.id].sort());
  } finally {
    await reader.close();
    await writer.close();
  }
});

test('an index that meets another database behind its URL starts over', async () => {
  const dir = join(root, `moved-${++n}`);
  const old = openProcess((await newDatabase()).url, dir);
  await old.migrate();
  const gone = [buildPaper({ title: 'Platypus one' }), buildPaper({ title: 'Platypus two' })];
  await old.upsertItems(gone.map((paper) => ({ paper })));
  assert.equal((await old.searchKeyword({ text: keywordText(parseQuery('platypus')), limit: 5 })).ids.length, 2);
  await old.close();

  const moved = openProcess((await newDatabase()).url, dir);
  try {
    await moved.migrate();
    // More changes than the old log had: numbers alone would not tell the logs apart.
    const kept = buildPaper({ title: 'Platypus three' });
    await moved.upsertItems([1, 2, 3].map(() => ({ paper: buildPaper({ title: 'Kangaroo' }) })));
    await moved.upsertItems([{ paper: kept }]);
    assert.deepEqual((await moved.searchKeyword({ text: keywordText(parseQuery('platypus')), limit: 5 })).ids, [kept.id]);
  } finally {
    await moved.close();
  }
});
