// The learned model's life cycle through real processes: `paperboy model
// train` is deterministic for a seed, a model trained while `serve` answers
// is switched to atomically (every query answered, none empty), and a
// training run killed part-way leaves the previous model serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaperboy, spawnPaperboy, startServe } from '../../test/support/cli-process.js';
import { mulberry32 } from '../random.js';
import { CURRENT_MODEL_KEY } from '../search/model/current-model.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { buildDailyItem } from '../../test/support/build.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';
const env = (name: string) => ({ PAPERBOY_DATA_DIR: join(dir, name), PAPERBOY_DEMO_DATA: 'off' });
const TRAIN = ['model', 'train', '--dimensions', '48'];

async function currentModel(name: string): Promise<string | null> {
  const store = await SqliteStore.open(join(dir, name, 'paperboy.db'));
  try {
    return await store.getState(CURRENT_MODEL_KEY);
  } finally {
    await store.close();
  }
}

/** `n` papers whose texts mix the words of the sample's abstracts, so training takes a while. */
async function seedLargeCorpus(name: string, n: number): Promise<void> {
  const imported = await runPaperboy(['import', SAMPLE], env(name));
  assert.equal(imported.code, 0, imported.stderr);
  const store = await SqliteStore.open(join(dir, name, 'paperboy.db'));
  try {
    const words: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await store.listPapers({ cursor, limit: 500 });
      for (const p of page.items) words.push(...p.abstract.split(/\s+/).filter((w) => /^[a-z]{4,}$/.test(w)));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    const random = mulberry32(3);
    const pick = (k: number) => Array.from({ length: k }, () => words[Math.floor(random() * words.length)]).join(' ');
    for (let i = 0; i < n; i += 1000) {
      await store.upsertItems(Array.from({ length: Math.min(1000, n - i) }, () => buildDailyItem('2024-06-03', { title: pick(8), abstract: pick(150) })));
    }
  } finally {
    await store.close();
  }
}

async function sampleTitles(name: string, n: number): Promise<string[]> {
  const store = await SqliteStore.open(join(dir, name, 'paperboy.db'));
  try {
    const titles: string[] = [];
    for (let cursor: string | null = null; titles.length < n; ) {
      const page = await store.listPapers({ cursor, limit: 1000 });
      titles.push(...page.items.filter((p) => !p.id.startsWith('2401.')).map((p) => p.title));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    assert.ok(titles.length >= n, 'the sample papers are in the store');
    return titles.slice(0, n);
  } finally {
    await store.close();
  }
}

before(async () => {
  const imported = await runPaperboy(['import', SAMPLE], env('det'));
  assert.equal(imported.code, 0, imported.stderr);
});

test('model train: the same papers and seed give the same model; another seed another', async () => {
  const first = await runPaperboy([...TRAIN, '--seed', '5'], env('det'));
  assert.equal(first.code, 0, first.stderr);
  const a = /model (learned-48-[0-9a-f]{10}) is current/.exec(first.stdout)?.[1];
  assert.ok(a, first.stdout);
  assert.equal(await currentModel('det'), a);
  const again = await runPaperboy([...TRAIN, '--seed', '5'], env('det'));
  assert.equal(/model (learned-48-[0-9a-f]{10}) is current/.exec(again.stdout)?.[1], a, again.stdout);
  assert.match(again.stdout, /every paper already has vectors from this model: nothing to embed/);
  assert.match(again.stdout, /\(the same model as before: the papers and seed have not changed\)/);
  const other = await runPaperboy([...TRAIN, '--seed', '6'], env('det'));
  const b = /model (learned-48-[0-9a-f]{10}) is current/.exec(other.stdout)?.[1];
  assert.ok(b && b !== a, other.stdout);
  assert.match(other.stdout, new RegExp(`embedded 84 papers in .* \\(was ${a}\\)`, 's'));
  const info = await runPaperboy(['model', 'info'], env('det'));
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`model +${b} \\(lsa-contrastive, 48 dimensions`));
  assert.match(info.stdout, /vectors +84 of 84 papers/);
  assert.match(info.stdout, /calibration semantic weight [\d.]+, join threshold [\d.]+/);
});

test('model train with bad options says what is wrong', async () => {
  const bad = await runPaperboy(['model', 'train', '--dimensions', 'many'], env('det'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--dimensions must be an integer from 1 to 2048, got "many"/);
});

test('a training run killed part-way leaves the previous model serving', async () => {
  const name = 'kill';
  await seedLargeCorpus(name, 4000);
  const first = await runPaperboy([...TRAIN, '--seed', '1'], env(name));
  assert.equal(first.code, 0, first.stderr);
  const modelA = await currentModel(name);
  assert.ok(modelA);
  const killed = await spawnPaperboy(['model', 'train', '--dimensions', '64', '--seed', '2'], env(name), (out, child) => {
    if (out.includes('training on')) child.kill('SIGKILL');
  });
  assert.equal(killed.signal, 'SIGKILL', `killed while training: ${killed.stdout}`);
  assert.equal(await currentModel(name), modelA);
  const server = await startServe(env(name));
  try {
    const [title] = await sampleTitles(name, 1);
    const res = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent(title!)}&mode=semantic&limit=5`);
    assert.equal(res.status, 200);
    const info = await runPaperboy(['model', 'info'], env(name));
    assert.ok(((await res.json()) as unknown[]).length > 0, `the previous model still finds papers by meaning (${title}):\n${info.stdout}`);
  } finally {
    await server.stop();
  }
});

test('a model trained while serve answers is switched to atomically: every query answered, none empty', async () => {
  const name = 'switch';
  await seedLargeCorpus(name, 4000);
  const first = await runPaperboy([...TRAIN, '--seed', '1'], env(name));
  assert.equal(first.code, 0, first.stderr);
  const modelA = await currentModel(name);
  const server = await startServe({ ...env(name), PAPERBOY_INDEX_INTERVAL_S: '1' });
  try {
    // Titles of real papers: each is close in meaning to its own paper under any model trained here.
    const queries = await sampleTitles(name, 3);
    let stop = false;
    const seen = { requests: 0, failures: [] as string[] };
    const probing = (async () => {
      while (!stop) {
        for (const q of queries) {
          for (const mode of ['hybrid', 'semantic']) {
            const res = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=5`);
            seen.requests++;
            if (res.status !== 200) seen.failures.push(`${mode} ${q}: ${res.status}`);
            else if (((await res.json()) as unknown[]).length === 0) seen.failures.push(`${mode} ${q}: no results`);
          }
        }
      }
    })();
    const retrained = await runPaperboy([...TRAIN, '--seed', '3'], env(name));
    assert.equal(retrained.code, 0, retrained.stderr);
    const modelB = await currentModel(name);
    assert.ok(modelB && modelB !== modelA);
    const end = Date.now() + 20_000;
    while (!server.output().stdout.includes(`Searching with model ${modelB}`) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // Keep asking a little after the switch too.
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await probing;
    assert.match(server.output().stdout, new RegExp(`Searching with model ${modelB}`));
    assert.deepEqual(seen.failures, []);
    assert.ok(seen.requests > 10, `${seen.requests} requests during the retraining`);
  } finally {
    const end = await server.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});
