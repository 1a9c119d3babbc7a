import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildPaper } from '../../test/support/build.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { useTestDatabase } from '../../test/support/postgres.js';
import { SqliteSpeller, spellerFor } from './query-spelling.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-query-spelling-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function storeWith(name: string, titles: string[]): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, name));
  await store.migrate();
  await store.upsertItems(titles.map((title) => ({ paper: buildPaper({ title, abstract: 'An abstract about segmentation.' }) })));
  return store;
}

test('built in a worker: no correction until it is ready, then the index corrects', async () => {
  const store = await storeWith('worker.db', ['Diffusion transformers for video', 'Latent diffusion transformers', 'Video diffusion']);
  const speller = new SqliteSpeller(store, { inline: false });
  try {
    assert.equal(await speller.correct('difusion trasformers'), null, 'not built yet');
    await speller.idle();
    assert.deepEqual(await speller.correct('difusion trasformers'), {
      text: 'diffusion transformers',
      corrections: [
        { from: 'difusion', to: 'diffusion' },
        { from: 'trasformers', to: 'transformers' },
      ],
    });
    // Known in an abstract (the index holds it), so left alone although no title has it.
    assert.equal(await speller.correct('segmentation'), null);
  } finally {
    await speller.close();
    await store.close();
  }
});

test('built inline for a small collection, and rebuilt when papers are added', async () => {
  const store = await storeWith('inline.db', ['Gaussian splatting', 'Gaussian processes']);
  const speller = new SqliteSpeller(store, { recheckMs: 0 });
  try {
    assert.equal((await speller.correct('gausian'))?.text, 'gaussian', 'the first search waits for the index');
    assert.equal(await speller.correct('quokkas'), null);
    await store.upsertItems([{ paper: buildPaper({ title: 'Counting quokkas' }) }, { paper: buildPaper({ title: 'Quokkas at night' }) }]);
    assert.equal(await speller.correct('quokkas'), null, 'known at once: the index is asked live');
    await speller.correct('qokkas'); // notices the new papers and rebuilds in the background
    await speller.idle();
    assert.equal((await speller.correct('qokkas'))?.text, 'quokkas');
  } finally {
    await store.close();
  }
});

test('spellerFor: SQLite stores only', async () => {
  const store = await SqliteStore.open(':memory:');
  assert.ok(spellerFor(store) instanceof SqliteSpeller);
  assert.equal(spellerFor({} as never), null);
  await store.close();
});

const postgresDatabase = useTestDatabase('query_spelling');

test('PostgreSQL: the first correction sees the papers committed before it (the local index catches up first)', async () => {
  const store = PostgresStore.open((await postgresDatabase()).url, { searchIndexDir: mkdtempSync(join(dir, 'pg-')) });
  try {
    await store.migrate();
    await store.upsertItems(['Gaussian splatting', 'Gaussian processes'].map((title) => ({ paper: buildPaper({ title }) })));
    // No search and no follower has caught the local index up yet.
    assert.equal((await spellerFor(store)!.correct('gausian'))?.text, 'gaussian');
  } finally {
    await store.close();
  }
});
