import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { runImport } from './import.js';
import { sink } from '../../test/support/sink.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'paperboy-import-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], isTTY = false) {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  const out = sink();
  const err = sink();
  const code = await runImport(args, { store, stdout: out.stream, stderr: err.stream, isTTY });
  const papers = await store.countPapers();
  await store.close();
  return { code, stdout: out.text(), stderr: err.text(), papers };
}

test('a clean import: a line per file, the summary, exit 0', async () => {
  const file = join(fixtures, 'hf-daily/daily_papers-2025-01-10.json');
  const r = await run([file]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, `${file}: hf-daily-json, new 9, updated 0, unchanged 0, skipped 0\nnew 9, updated 0, unchanged 0, skipped 0\n`);
});

test('skipped records: every problem as FILE:line N: message, exit 2', async () => {
  const bad = join(fixtures, 'bad/hf-daily-mixed.jsonl');
  const r = await run([bad, join(fixtures, 'bad/missing.jsonl')], true);
  assert.equal(r.code, 2);
  assert.equal(r.papers, 5);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('/'));
  assert.deepEqual(lines.map((l) => l.replace(/: invalid JSON: .*/, ': invalid JSON')), [
    `${bad}:line 3: invalid JSON`,
    `${bad}:line 5: missing id`,
    `${bad}:line 6: invalid arXiv id "2406.123"`,
    `${bad}:line 9: expected a JSON object`,
    `${join(fixtures, 'bad/missing.jsonl')}: no such file`,
  ]);
  assert.match(r.stdout, /new 5, updated 0, unchanged 0, skipped 4\n$/);
});

test('usage errors and nothing imported exit 1', async () => {
  assert.equal((await run([])).code, 1);
  const badFormat = await run(['--format', 'csv', 'x.csv']);
  assert.equal(badFormat.code, 1);
  assert.match(badFormat.stderr, /unknown format "csv"/);
  assert.match((await run(['--nope', 'x'])).stderr, /Unknown option '--nope'/);
  const unknown = await run([join(fixtures, 'bad/unknown-format.txt')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown-format\.txt: cannot tell the format; pass --format/);
});

test('--format forces the format', async () => {
  const r = await run(['--format', 'kaggle-jsonl', join(fixtures, 'kaggle/abs-records-sample.jsonl')]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /kaggle-jsonl, new 153, updated 0, unchanged 1, skipped 0/);
});

test('a gzip file cut short: the line says what was stored and where it stopped, exit 2', async () => {
  const whole = readFileSync(join(fixtures, 'hf-daily/papers-sample.jsonl.gz'));
  const file = join(tmp, 'cut.jsonl.gz');
  writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const r = await run([file]);
  assert.equal(r.code, 2);
  const m = /^(\S+): hf-daily-jsonl, new (\d+), updated (\d+), unchanged 0, skipped 0; stopped at line (\d+): corrupt gzip data \(unexpected end of file\); the (\d+) records before it were imported\n/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(m[1], file);
  const [created, updated, line, before] = m.slice(2).map(Number);
  assert.equal(r.papers, created, 'the papers in the store are the new ones reported');
  assert.equal(before, created! + updated!);
  assert.equal(line, before! + 1);
  assert.equal(r.stderr, `${file}:line ${line}: corrupt gzip data (unexpected end of file)\n`);
});

test('a line over the limit is one problem line; the rest of the file is imported', async () => {
  const lines = readFileSync(join(fixtures, 'bad/hf-daily-mixed.jsonl'), 'utf8').split('\n');
  const file = join(tmp, 'long.jsonl');
  // The default limit is 64 MiB: the line is written, not held, so the test stays small in memory.
  const long = `{"title":"${'x'.repeat(64 * 1024 * 1024)}"}`;
  writeFileSync(file, [lines[0], long, ...lines.slice(1)].join('\n'));
  const r = await run([file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`^${file.replace(/[.]/g, '\\.')}:line 2: line is longer than 64 MiB; skipped$`, 'm'));
  assert.equal(r.papers, 5);
  assert.match(r.stdout, /new 5, updated 0, unchanged 0, skipped 5\n$/);
});
