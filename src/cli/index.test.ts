import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { HashTestEmbedder } from '../search/hash-test-embedder.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { runIndex } from './index.js';
import type { IndexCommandContext } from './index.js';
import { fixtureRecords } from '../../test/fixtures/semantic/kit.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-index-'));
let n = 0;
async function storeWithPapers(): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `s-${++n}.db`));
  await store.migrate();
  await store.upsertItems(fixtureRecords().map((paper) => ({ paper })));
  return store;
}

function capture() {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough().on('data', (d: Buffer) => (out.stdout += d.toString()));
  const stderr = new PassThrough().on('data', (d: Buffer) => (out.stderr += d.toString()));
  return { out, stdout, stderr };
}

async function run(args: string[], ctx: Partial<IndexCommandContext> & { store: SqliteStore }) {
  const { out, stdout, stderr } = capture();
  const code = await runIndex(args, { stdout, stderr, isTTY: false, ...ctx });
  return { code, ...out };
}

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// A child process running `paperboy index` against a database file with the (slowed) test embedder.
const CHILD = `
import { SqliteStore } from ${JSON.stringify(new URL('../store/sqlite/sqlite-store.ts', import.meta.url).href)};
import { runIndex } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
const store = await SqliteStore.open(process.env.DB);
await store.migrate();
process.exitCode = await runIndex(['--batch', '5'], { store, stdout: process.stdout, stderr: process.stderr, isTTY: false });
await store.close();
`;

test('paperboy index killed with SIGKILL mid-run loses at most the batch in flight; a rerun finishes without duplicates', async () => {
  const store = await storeWithPapers();
  const db = store.db.name;
  await store.close();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, DB: db, PAPERBOY_EMBEDDER: 'hash-test:40' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (d: Buffer) => {
    lines += d.toString().split('\n').filter((l) => l.startsWith('embedded ')).length;
    if (lines >= 3) child.kill('SIGKILL');
  });
  assert.equal(await exited, 'SIGKILL', stderr);

  const again = await SqliteStore.open(db);
  const done = await again.countEmbeddings('hash-test-64-v1');
  assert.ok(done >= 15 && done < 60, `killed after ${done} papers`);
  assert.equal(done % 5, 0, 'only whole batches are stored');
  const rerun = await run(['--batch', '5'], { store: again, embedder: new HashTestEmbedder() });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, new RegExp(`^Embedded ${60 - done} of ${60 - done} papers with hash-test-64-v1 in [\\d.]+ s \\([\\d.]+ texts/s\\)\\.$`, 'm'));
  assert.equal(await again.countEmbeddings('hash-test-64-v1'), 60);
  assert.equal(await again.latestEmbeddingSeq(), 60, 'no paper was embedded twice');
  const third = await run([], { store: again, embedder: new HashTestEmbedder() });
  assert.equal(third.code, 3);
  assert.match(third.stdout, /nothing to do/);
  await again.close();
});

test('paperboy index shows a progress bar on a terminal and a line per batch otherwise', async () => {
  const store = await storeWithPapers();
  const plain = await run(['--batch', '25', '--limit', '30'], { store, embedder: new HashTestEmbedder() });
  assert.equal(plain.code, 0);
  assert.match(plain.stdout, /^embedded 25\/30 papers, [\d.]+ texts\/s\nembedded 30\/30 papers, [\d.]+ texts\/s\nEmbedded 30 of 30 papers/);
  const { out, stdout, stderr } = capture();
  Object.assign(stderr, { isTTY: true, columns: 120 }); // what cli-progress looks at
  assert.equal(await runIndex([], { store, embedder: new HashTestEmbedder(), stdout, stderr, isTTY: true }), 0);
  assert.match(out.stderr, /Embedding \[.*\] \d+% \d+\/30 papers \| [\d.]+ texts\/s/);
  assert.match(out.stdout, /^Embedded 30 of 30 papers/);
  await store.close();
});

test('paperboy index: usage and setup errors exit 1 with a message; semantic search off exits 3', async () => {
  const store = await storeWithPapers();
  for (const args of [['--batch', '0'], ['--limit', 'ten'], ['--bogus']]) {
    const r = await run(args, { store, embedder: new HashTestEmbedder() });
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /^paperboy index: .*\n\nUsage: paperboy index/);
  }
  assert.equal((await run(['--help'], { store })).code, 0);
  const off = await withEnv({ PAPERBOY_EMBEDDER: 'off' }, () => run([], { store }));
  assert.deepEqual([off.code, off.stderr], [3, 'paperboy index: semantic search is off (PAPERBOY_EMBEDDER=off); nothing to do\n']);
  const bad = await withEnv({ PAPERBOY_EMBEDDER: 'word2vec' }, () => run([], { store }));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /PAPERBOY_EMBEDDER: unknown embedder "word2vec"/);

  // A model directory that looks right, with a damaged (empty) model file.
  const model = join(dir, 'all-MiniLM-L6-v2');
  mkdirSync(join(model, 'onnx'), { recursive: true });
  writeFileSync(join(model, 'config.json'), '{"hidden_size": 384}');
  writeFileSync(join(model, 'tokenizer.json'), '{}');
  writeFileSync(join(model, 'onnx', 'model.onnx'), '');
  // It fails on the first batch, naming the file, and stores nothing.
  await assert.rejects(
    withEnv({ PAPERBOY_EMBEDDER: `transformers:${model}` }, () => run([], { store })),
    /all-MiniLM-L6-v2\/onnx\/model\.onnx failed:.*does not have a graph/,
  );
  assert.equal(await store.latestEmbeddingSeq(), 0);
  await store.close();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
