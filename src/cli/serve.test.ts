// `paperboy serve` as a real process: it keeps answering while papers are
// embedded, ends promptly on SIGTERM leaving the work resumable, and links
// feeds to the port it really listens on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { runPaperboy, startServe } from '../../test/support/cli-process.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { buildPaper } from '../../test/support/build.js';
import { sampleValue } from '../../test/support/prometheus.js';
import { COMPACTION_STATE_KEY } from './compact.js';
import { waitFor } from '../../test/support/wait-for.js';
import { embeddingsIn } from '../../test/support/embeddings-in.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';
const SAMPLE_PAPERS = 84;

/** Requests `path` every `everyMs` until `until` resolves; the slowest answer and any failure. */
async function probe(url: string, paths: string[], until: Promise<unknown>, everyMs = 100): Promise<{ count: number; slowestMs: number; failures: string[] }> {
  let done = false;
  void until.then(() => (done = true));
  let count = 0;
  let slowestMs = 0;
  const failures: string[] = [];
  while (!done) {
    for (const path of paths) {
      const t0 = performance.now();
      try {
        const res = await fetch(url + path, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`${path}: ${res.status}`);
      } catch (err) {
        failures.push(`${path}: ${(err as Error).message}`);
      }
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      count++;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return { count, slowestMs, failures };
}


// The test embedder holds its thread 1.5 s per batch of 32, as a model does:
// on the request thread, every probe during those seconds would wait for it.
const SLOW_MODEL = { PAPERBOY_EMBEDDER: 'hash-test-cpu:1500', PAPERBOY_INDEX_INTERVAL_S: '1' };

test('papers imported into a serving data dir are embedded while every request is answered', async () => {
  const dataDir = join(dir, 'busy');
  const server = await startServe({ PAPERBOY_DATA_DIR: dataDir, ...SLOW_MODEL });
  try {
    const imported = await runPaperboy(['import', SAMPLE], { PAPERBOY_DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    const embedded = waitFor(() => /Embedded \d+ papers/.test(server.output().stdout), 60_000, 'the papers to be embedded', 100);
    const seen = await probe(server.url, ['/healthz', '/', '/api/daily_papers'], embedded);
    await embedded;
    assert.equal(embeddingsIn(dataDir), SAMPLE_PAPERS);
    assert.deepEqual(seen.failures, []);
    assert.ok(seen.count >= 20, `probed throughout the embedding (${seen.count} requests)`);
    // A batch holds its thread for 1,500 ms; on the request thread the slowest probe would wait most of that.
    assert.ok(seen.slowestMs < 750, `slowest answer ${seen.slowestMs.toFixed(0)} ms while a batch took 1,500 ms`);
    // "More like this" ranks by the new vectors (by meaning); without them it would fall back to title words.
    const db = new Database(join(dataDir, 'paperboy.db'), { readonly: true });
    const { id } = db.prepare('SELECT id FROM papers ORDER BY id LIMIT 1').get() as { id: string };
    db.close();
    const like = await fetch(`${server.url}/papers/search?like=${id}`);
    assert.equal(like.status, 200);
    assert.match(await like.text(), /results? like <a [^>]*>.*<\/a>, ranked by meaning/, 'semantic search over the new vectors');
  } finally {
    const end = await server.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test('SIGTERM in the middle of embedding ends the server within 10 s; the next start finishes the work', async () => {
  const dataDir = join(dir, 'term');
  const imported = await runPaperboy(['import', SAMPLE], { PAPERBOY_DATA_DIR: dataDir });
  assert.equal(imported.code, 0, imported.stderr);
  const slower = { ...SLOW_MODEL, PAPERBOY_EMBEDDER: 'hash-test-cpu:4000' };
  const server = await startServe({ PAPERBOY_DATA_DIR: dataDir, ...slower });
  // Inside the first batch.
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = performance.now();
  const end = await server.stop(15_000);
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(end.code, 0, `clean exit: ${end.stderr}`);
  assert.ok(seconds < 10, `stopped in ${seconds.toFixed(1)} s`);
  assert.match(end.stdout, /SIGTERM: shutting down/);
  // Every line is JSON; the shutdown is logged step by step, the store closed last.
  const logged = end.stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string; elapsedMs?: number });
  const steps = logged.map((l) => l.msg).filter((m) => /shutting down|requests in flight finished|indexing stopped|^Stopped/.test(m));
  assert.equal(steps.length, 4, steps.join(' | '));
  assert.match(steps[0]!, /^SIGTERM: shutting down/);
  assert.equal(steps.at(-1), 'Stopped.');
  assert.ok(logged.every((l) => l.level !== 'error' && l.level !== 'fatal'), end.stdout);
  const before = embeddingsIn(dataDir);
  assert.ok(before < SAMPLE_PAPERS, `stopped before finishing (${before} of ${SAMPLE_PAPERS})`);

  const again = await startServe({ PAPERBOY_DATA_DIR: dataDir, ...SLOW_MODEL });
  try {
    await waitFor(() => embeddingsIn(dataDir) === SAMPLE_PAPERS, 60_000, 'the rest to be embedded', 100);
  } finally {
    await again.stop();
  }
});

test('with PORT=0 the feeds link to the port the server listens on', async () => {
  const server = await startServe({ PAPERBOY_DATA_DIR: join(dir, 'port0'), PAPERBOY_DEMO_DATA: SAMPLE, PAPERBOY_EMBEDDER: 'off' });
  try {
    const port = new URL(server.url).port;
    assert.notEqual(port, '0');
    const rss = await (await fetch(`${server.url}/feed.xml`)).text();
    assert.match(rss, new RegExp(`<link>http://127\\.0\\.0\\.1:${port}/</link>`));
    assert.doesNotMatch(rss, /127\.0\.0\.1:0\//);
  } finally {
    await server.stop();
  }
});

test('serve finishes a keyword-index compaction that an earlier process left half done, in the background', async () => {
  const dataDir = join(dir, 'compaction');
  const store = await SqliteStore.open(join(dataDir, 'paperboy.db'));
  await store.migrate();
  for (let i = 0; i < 8; i++) await store.upsertItems([{ paper: buildPaper({ title: `Segment ${i} of a fragmented index` }) }]);
  await store.setState(COMPACTION_STATE_KEY, '2026-12-01T10:00:00.000Z');
  const segments = () => (store.db.prepare('SELECT count(DISTINCT segid) AS n FROM papers_fts_idx').get() as { n: number }).n;
  assert.ok(segments() >= 4);
  await store.close();

  const server = await startServe({ PAPERBOY_DATA_DIR: dataDir, PAPERBOY_EMBEDDER: 'off' });
  try {
    await waitFor(() => /keyword index compacted: \d+ segments -> 2/.test(server.output().stdout), 30_000, 'the compaction to finish', 100);
    assert.match(server.output().stdout, /finishing a compaction that was interrupted/);
    const after = await SqliteStore.open(join(dataDir, 'paperboy.db'));
    assert.equal(await after.getState(COMPACTION_STATE_KEY), '');
    assert.equal((after.db.prepare('SELECT count(DISTINCT segid) AS n FROM papers_fts_idx').get() as { n: number }).n, 1);
    await after.close();
  } finally {
    await server.stop();
  }
});

test('a serving process reports its background embedding, counts and searches at /metrics and logs requests as JSON lines', async () => {
  const server = await startServe({
    PAPERBOY_DATA_DIR: join(dir, 'observed'),
    PAPERBOY_DEMO_DATA: SAMPLE,
    PAPERBOY_EMBEDDER: 'hash-test-cpu:5',
    PAPERBOY_INDEX_INTERVAL_S: '1',
    PAPERBOY_LOG_REQUESTS: '1',
  });
  try {
    await waitFor(() => /Embedded \d+ papers/.test(server.output().stdout), 60_000, 'the papers to be embedded', 100);
    const search = await fetch(`${server.url}/api/papers/search?q=diffusion&mode=hybrid`);
    assert.equal(search.status, 200);
    const res = await fetch(`${server.url}/metrics`, { headers: { 'X-Request-Id': 'scrape-1' } });
    assert.equal(res.headers.get('x-request-id'), 'scrape-1');
    const text = await res.text();
    assert.ok((sampleValue(text, 'paperboy_job_runs_total', { job: 'embedding', outcome: 'success' }) ?? 0) >= 1, text);
    assert.ok((sampleValue(text, 'paperboy_job_last_success_timestamp_seconds', { job: 'embedding' }) ?? 0) > Date.now() / 1000 - 120);
    assert.equal(sampleValue(text, 'paperboy_papers'), SAMPLE_PAPERS);
    assert.equal(sampleValue(text, 'paperboy_vectors'), SAMPLE_PAPERS);
    assert.equal(sampleValue(text, 'paperboy_search_duration_seconds_count', { mode: 'hybrid' }), 1);
    assert.equal(sampleValue(text, 'paperboy_http_request_duration_seconds_count', { route: '/api/papers/search', method: 'GET', status_class: '2xx' }), 1);
    assert.ok(sampleValue(text, 'process_cpu_seconds_total') !== undefined, 'process metrics');
    assert.doesNotMatch(text, /^paperboy_db_pool/m, 'SQLite has no pool to report');

    await waitFor(() => server.output().stdout.includes('"reqId":"scrape-1"'), 5_000, 'the scrape to be logged', 100);
    const lines = server.output().stdout.trim().split('\n');
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; reqId?: string; route?: string; status?: number; job?: string });
    assert.ok(logged.some((l) => l.msg === 'request' && l.reqId === 'scrape-1' && l.route === '/metrics' && l.status === 200));
    assert.ok(logged.some((l) => l.job === 'embedding' && /^Embedded \d+ papers/.test(l.msg)));
    assert.match(logged.find((l) => /is serving/.test(l.msg))?.msg ?? '', /^Paperboy is serving 84 papers at http:\/\/127\.0\.0\.1:\d+ \(public URL/);
  } finally {
    const end = await server.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test('credentials in a configured URL never reach the log', async () => {
  const server = await startServe({ PAPERBOY_DATA_DIR: join(dir, 'secret'), PAPERBOY_EMBEDDER: 'off', PAPERBOY_BASE_URL: 'https://reader:hunter2@papers.example.org' });
  const end = await server.stop();
  assert.equal(end.code, 0, `signal ${end.signal}; stdout ${end.stdout}; stderr ${end.stderr}`);
  assert.ok(!`${end.stdout}${end.stderr}`.includes('hunter2'), end.stdout);
  const config = end.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; config?: { baseUrl: string } })
    .find((l) => l.msg === 'configuration');
  assert.equal(config?.config?.baseUrl, 'https://reader:[REDACTED]@papers.example.org');
});
