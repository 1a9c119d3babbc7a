import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { importFiles } from './import-files.js';
import type { ImportProgress } from './import-files.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const fx = (p: string) => join(fixtures, p);
const dir = mkdtempSync(join(tmpdir(), 'paperboy-import-'));
let n = 0;
async function freshStore(): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `import-${++n}.db`));
  await store.migrate();
  return store;
}
after(() => rmSync(dir, { recursive: true, force: true }));

test('importing the same files twice: the second run changes nothing', async () => {
  const store = await freshStore();
  const files = [fx('hf-daily/papers-sample.jsonl.gz'), fx('hf-daily/daily_papers-2024-12-11.json'), fx('kaggle/abs-records-sample.jsonl'), fx('arxiv/api-atom/arxiv-api-atom-all-science-2019-08-10.xml'), fx('arxiv/oai-pmh/hepcrawl-arxiv-physics-hep-ex.xml')];
  const first = await importFiles(store, files, { batchSize: 50 });
  assert.deepEqual(first.problems, []);
  assert.deepEqual(first.files.map((f) => f.format), ['hf-daily-jsonl', 'hf-daily-json', 'kaggle-jsonl', 'arxiv-atom', 'oai-pmh']);
  // 88 archive lines hold 84 papers (4 are on two days); the API response re-lists 26 of them with their submitters.
  assert.deepEqual(first.files[0], { file: files[0], format: 'hf-daily-jsonl', error: null, stopped: null, new: 84, updated: 4, unchanged: 0, skipped: 0 });
  assert.deepEqual(first.files[1], { file: files[1], format: 'hf-daily-json', error: null, stopped: null, new: 0, updated: 26, unchanged: 0, skipped: 0 });
  // arXiv's own test data has one id twice (cs/0006008).
  assert.deepEqual([first.files[2]!.new, first.files[2]!.unchanged], [153, 1]);
  assert.equal(await store.countPapers(), 84 + 153 + 10 + 3);

  const second = await importFiles(store, files);
  assert.deepEqual(second.total, { new: 0, updated: 0, unchanged: 88 + 26 + 154 + 10 + 3, skipped: 0 });

  const paper = await store.getPaper('2412.07730');
  assert.equal(paper?.title, 'STIV: Scalable Text and Image Conditioned Video Generation');
  assert.deepEqual(paper?.dailyEntries.map((e) => [e.date, e.submitter]), [['2024-12-11', 'user500']]);
  assert.equal(paper?.upvotes, 54);
  const old = await store.getPaper('acc-phys/9411001');
  assert.deepEqual(old?.authors, ['Salman Habib', 'Robert D. Ryne']);
  await store.close();
});

test('bad records are skipped with file and line; the good ones are imported', async () => {
  const store = await freshStore();
  const file = fx('bad/hf-daily-mixed.jsonl');
  const report = await importFiles(store, [file]);
  assert.deepEqual(report.total, { new: 5, updated: 0, unchanged: 0, skipped: 4 });
  assert.deepEqual(
    report.problems.map((p) => [p.file, p.where, p.message.replace(/: .*/, '')]),
    [
      [file, 'line 3', 'invalid JSON'],
      [file, 'line 5', 'missing id'],
      [file, 'line 6', 'invalid arXiv id "2406.123"'],
      [file, 'line 9', 'expected a JSON object'],
    ],
  );
  assert.equal(await store.countPapers(), 5);
  assert.equal((await store.getPaper('2405.15319'))?.title, 'Stacking Your Transformers: A Closer Look at Model Growth for Efficient LLM Pre-Training');
  await store.close();
});

test('a missing, unknown or broken file is a problem for that file only', async () => {
  const store = await freshStore();
  const files = [fx('bad/nope.jsonl'), fx('bad/unknown-format.txt'), fx('bad/truncated.jsonl.gz'), fx('bad/broken-atom.xml'), fx('arxiv/api-atom/id_abc_s0_m100_b79c8dcf6bc3.atom.xml'), fx('kaggle/abs-records-sample.jsonl')];
  const report = await importFiles(store, files);
  const [missing, unknown, truncated, broken, apiError, good] = report.files;
  assert.equal(missing!.error, `${files[0]}: no such file`);
  assert.match(unknown!.error ?? '', /cannot tell the format; pass --format with one of hf-daily-json, /);
  assert.equal(truncated!.error, null);
  assert.match(truncated!.stopped?.reason ?? '', /^corrupt gzip data \(/);
  assert.ok(truncated!.new > 0, 'lines before the damage are kept');
  assert.match(broken!.error ?? '', /not well-formed XML/);
  assert.match(apiError!.error ?? '', /arXiv API error: incorrect id format for abc/);
  assert.deepEqual([good!.error, good!.new], [null, 153]);
  assert.deepEqual(report.problems.map((p) => p.where), ['file', 'file', truncated!.stopped?.where, 'document', 'document']);
  assert.equal(report.total.skipped, 0);
  await store.close();
});

test('--format forces a format; progress is reported per batch with a total', async () => {
  const store = await freshStore();
  const seen: ImportProgress[] = [];
  const file = fx('listings/listings-2025-03-18.jsonl.gz');
  const report = await importFiles(store, [file], { format: 'arxiv-listing-jsonl', batchSize: 100, onProgress: (p) => seen.push(p) });
  assert.equal(report.total.new, 328);
  assert.deepEqual(seen.map((p) => p.done), [100, 200, 300, 328]);
  assert.ok(seen.every((p) => p.total === 328 && p.file === file));
  const page = await store.listDaily({ from: '2000-01-01', to: '2100-01-01' });
  assert.equal(page.total, 0, 'listings make no daily entries');

  const forced = await importFiles(store, [fx('kaggle/abs-records-sample.jsonl')], { format: 'arxiv-listing-jsonl' });
  assert.equal(forced.total.new, 153, 'kaggle records read as listings still have id and title');
  await store.close();
});

const sampleLines = () => gunzipSync(readFileSync(fx('hf-daily/papers-sample.jsonl.gz'))).toString('utf8').trimEnd().split('\n');

test('a gzip file cut short: the records before the damage are stored and counted, and the report says where it stopped', async () => {
  const store = await freshStore();
  const whole = readFileSync(fx('hf-daily/papers-sample.jsonl.gz'));
  const file = join(dir, 'cut.jsonl.gz');
  writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const report = await importFiles(store, [file], { batchSize: 10 });
  const r = report.files[0]!;
  assert.equal(r.error, null);
  assert.equal(r.stopped?.reason, 'corrupt gzip data (unexpected end of file)');
  const stoppedAt = Number(/^line (\d+)$/.exec(r.stopped?.where ?? '')?.[1]);
  assert.ok(stoppedAt > 10 && stoppedAt < sampleLines().length, `stopped at ${r.stopped?.where}`);
  assert.equal(r.new + r.updated + r.unchanged + r.skipped, stoppedAt - 1, 'every line before the damage is counted');
  assert.equal(await store.countPapers(), r.new);
  assert.deepEqual(report.problems, [{ file, where: `line ${stoppedAt}`, message: 'corrupt gzip data (unexpected end of file)' }]);
  assert.equal(report.total.skipped, 0);
  await store.close();
});

test('a line over the limit is reported with its number and skipped; the lines after it are imported', async () => {
  const store = await freshStore();
  const lines = sampleLines().slice(0, 6);
  const file = join(dir, 'long-line.jsonl');
  writeFileSync(file, [...lines.slice(0, 2), `{"title":"${'x'.repeat(5000)}"}`, ...lines.slice(2)].join('\n'));
  const report = await importFiles(store, [file], { maxLineBytes: 4000 });
  assert.deepEqual(report.problems, [{ file, where: 'line 3', message: 'line is longer than 4000 bytes; skipped' }]);
  assert.deepEqual(report.total, { new: 6, updated: 0, unchanged: 0, skipped: 1 });
  assert.equal(await store.countPapers(), 6);
  await store.close();
});

test('a document over the limit is not imported, with a clear file error', async () => {
  const store = await freshStore();
  const file = fx('arxiv/oai-pmh/hepcrawl-arxiv-physics-hep-ex.xml');
  const report = await importFiles(store, [file], { maxDocumentBytes: 1000 });
  assert.equal(report.files[0]!.error, `${file}: larger than 1000 bytes, the most read as one document; split it into smaller files`);
  assert.deepEqual(report.problems.map((p) => p.where), ['file']);
  assert.equal(await store.countPapers(), 0);
  await store.close();
});
