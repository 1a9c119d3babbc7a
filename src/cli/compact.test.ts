import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { AUTO_COMPACT_SEGMENTS, compactIfFragmented, runCompact } from './compact.js';
import { buildPaper } from '../../test/support/build.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

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
  assert.equal((await store.searchKeyword({ match: '"sparse"', limit: 10 })).ids.length, 5);
  await store.close();
});

test('after an import, the index is compacted only once it has grown fragmented', async () => {
  const lines: string[] = [];
  const few = await fragmentedStore(AUTO_COMPACT_SEGMENTS - 1);
  await compactIfFragmented(few, (l) => lines.push(l));
  assert.equal(lines.length, 0);
  await few.close();
  const many = await fragmentedStore(AUTO_COMPACT_SEGMENTS);
  await compactIfFragmented(many, (l) => lines.push(l));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^keyword index compacted: ${2 * AUTO_COMPACT_SEGMENTS} segments -> 2 in `));
  await many.close();
});
