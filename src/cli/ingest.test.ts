import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import type { ArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { EXIT_NOTHING_NEW, runIngest } from './ingest.js';

let server: ArxivFixtureServer;
let store: SqliteStore;

async function run(args: string[], env: NodeJS.ProcessEnv = { PAPERBOY_ARXIV_DELAY_MS: '0' }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runIngest(args, { store, stdout, stderr, isTTY: false, env });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const api = () => ['arxiv', '--category', 'cs.CV', '--category', 'cs.LG', '--base-url', server.url, '--page-size', '10'];

before(async () => {
  server = await startArxivFixtureServer();
});
after(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  store = await SqliteStore.open(':memory:');
  await store.migrate();
});

describe('paperboy ingest arxiv', () => {
  it('exits 0 with a summary when papers were stored, then 3 when nothing new arrived', async () => {
    const first = await run([...api(), '--since', '2013-01-01']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'arXiv API cs.CV, cs.LG: 1 page, 8 new, 0 updated, 0 unchanged (reached papers older than 2013-01-01; next run continues from 2025-03-07)\n');
    assert.equal(await store.countPapers(), 8);

    const second = await run(api());
    assert.equal(second.code, EXIT_NOTHING_NEW, second.stderr);
    assert.match(second.stdout, /1 page, 0 new, 0 updated, 1 unchanged/);
  });

  it('harvests OAI-PMH with --oai', async () => {
    server.oaiPages = ['hepcrawl-arxiv-physics-hep-ex.xml'];
    const res = await run(['arxiv', '--oai', '--category', 'hep-ex', '--since', '2017-12-01', '--base-url', server.url]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'arXiv OAI-PMH hep-ex: 1 page, 3 new, 0 updated, 0 unchanged (end of list; next run continues from 2017-12-14)\n');
    assert.equal(server.requests[0]?.url.searchParams.get('set'), 'physics:hep-ex');
  });

  it('takes the delay from PAPERBOY_ARXIV_DELAY_MS, and --delay-ms over it', async () => {
    const delayMs = 60;
    await run([...api(), '--since', '2000-01-01', '--max-pages', '3'], { PAPERBOY_ARXIV_DELAY_MS: String(delayMs) });
    await run([...api(), '--since', '2000-01-01', '--max-pages', '2', '--delay-ms', '0'], { PAPERBOY_ARXIV_DELAY_MS: '5000' });
    const gaps = server.requests.slice(1, 3).map((r, i) => r.at - server.requests[i]!.answeredAt!);
    assert.equal(server.requests.length, 5);
    for (const gap of gaps) assert.ok(gap >= delayMs, `gap ${gap} ms < ${delayMs} ms`);
  });

  it('exits 1 with a clear message and no stack trace when arXiv keeps failing', async () => {
    server.handler = () => ({ status: 503, body: 'down' });
    const res = await run([...api(), '--since', '2020-01-01', '--max-attempts', '2']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^retrying in 1[0-5] ms after attempt 1: HTTP 503 Service Unavailable\n/);
    assert.match(res.stderr, /^paperboy ingest: GET http:\/\/127\.0\.0\.1:\d+\/api\/query\?search_query=cat:cs\.CV\+OR\+cat:cs\.LG.* failed after 2 attempts: HTTP 503 Service Unavailable$/m);
    assert.match(res.stderr, /run the same command again to resume/);
    assert.doesNotMatch(res.stderr, /^\s+at /m);
  });

  for (const [args, message] of [
    [['arxiv', '--category', 'cs.CV', '--since', '2024-02-30'], /--since must be a date written YYYY-MM-DD, got "2024-02-30"/],
    [['arxiv', '--category', 'cs.CV', '--since', '2999-01-01'], /--since 2999-01-01 is in the future/],
    [['arxiv', '--since', '2024-01-01'], /at least one --category is required/],
    [['arxiv', '--category', 'cs.CV,computer vision'], /"computer vision" is not an arXiv category/],
    [['arxiv', '--category', 'cs.CV', '--delay-ms', 'fast'], /--delay-ms must be a whole number/],
    [['arxiv', '--category', 'cs.CV', '--page-size', '5000'], /--page-size must be a whole number from 1 to 2000/],
    [['arxiv', '--category', 'cs.CV', '--base-url', 'export.arxiv.org'], /--base-url must be an http\(s\) URL/],
    [['arxiv', '--category', 'cs.CV', '--sinse', '2024-01-01'], /Unknown option '--sinse'/],
    [['pubmed', '--category', 'cs.CV'], /unknown source "pubmed"/],
    [['arxiv', '--category', 'cs.CV'], /no --since date given and no earlier harvest of cs.CV/],
  ] as const) {
    it(`exits 1 for ingest ${args.join(' ')}`, async () => {
      const res = await run([...args]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, message);
      assert.doesNotMatch(res.stderr, /^\s+at /m);
      assert.equal(server.requests.length, 0);
    });
  }

  it('stops at a response over PAPERBOY_ARXIV_MAX_RESPONSE_MB: one request, one line, nothing stored', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const env = { PAPERBOY_ARXIV_DELAY_MS: '0', PAPERBOY_ARXIV_MAX_RESPONSE_MB: '1' };
    server.handler = () => ({ body: big, headers: { 'content-length': String(big.length) } });
    const api1 = await run([...api(), '--since', '2020-01-01'], env);
    assert.equal(api1.code, 1);
    assert.match(
      api1.stderr,
      /^paperboy ingest: GET http:\/\/127\.0\.0\.1:\d+\/api\/query\?\S+: the response is larger than the 1 MiB limit \(PAPERBOY_ARXIV_MAX_RESPONSE_MB\); its Content-Length is 5 MiB, so it was not downloaded; ask for fewer papers per request \(--page-size\) or raise the limit\n$/,
    );
    assert.equal(server.requests.length, 1);

    server.requests.length = 0;
    server.handler = () => ({ body: big });
    const oai = await run(['arxiv', '--oai', '--category', 'hep-ex', '--since', '2017-12-01', '--base-url', server.url], env);
    assert.equal(oai.code, 1);
    assert.match(oai.stderr, /^paperboy ingest: GET \S+\/oai2\?\S+: the response is larger than the 1 MiB limit \(PAPERBOY_ARXIV_MAX_RESPONSE_MB\); the download was stopped at the limit; raise the limit to read it\n$/);
    assert.equal(server.requests.length, 1);
    assert.equal(await store.countPapers(), 0);
  });

  it('rejects a bad PAPERBOY_ARXIV_MAX_RESPONSE_MB before sending anything', async () => {
    const res = await run([...api(), '--since', '2024-01-01'], { PAPERBOY_ARXIV_MAX_RESPONSE_MB: 'lots' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^paperboy ingest: .*PAPERBOY_ARXIV_MAX_RESPONSE_MB.*"lots"/);
    assert.equal(server.requests.length, 0);
  });

  it('rejects a bad PAPERBOY_ARXIV_DELAY_MS', async () => {
    const res = await run([...api(), '--since', '2024-01-01'], { PAPERBOY_ARXIV_DELAY_MS: '-5' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /PAPERBOY_ARXIV_DELAY_MS must be a whole number/);
  });

  it('resumes after the process was killed mid-harvest, storing nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-ingest-'));
    const dbPath = join(dir, 'paperboy.db');
    const args = [...api(), '--since', '2000-01-01'];
    const script = `
      import { SqliteStore } from ${JSON.stringify(fileURLToPath(new URL('../store/sqlite/sqlite-store.ts', import.meta.url)))};
      import { runIngest } from ${JSON.stringify(fileURLToPath(new URL('./ingest.ts', import.meta.url)))};
      const store = await SqliteStore.open(${JSON.stringify(dbPath)});
      await store.migrate();
      process.exitCode = await runIngest(${JSON.stringify(args)}, { store, stdout: process.stdout, stderr: process.stderr, isTTY: false, env: { PAPERBOY_ARXIV_DELAY_MS: '0' } });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    try {
      // The page at offset 30 never answers: the harvester is killed while waiting for it.
      const killed = new Promise<void>((resolve) => {
        server.handler = (url) => {
          if (url.searchParams.get('start') !== '30') return null;
          child.kill('SIGKILL');
          resolve();
          return { hang: true };
        };
      });
      await Promise.race([
        killed,
        exited.then(() => assert.fail('the harvester exited before it could be killed')),
      ]);
      await exited;
      server.handler = null;
      server.requests.length = 0;

      store = await SqliteStore.open(dbPath);
      assert.equal(await store.countPapers(), 30);
      const res = await run(args);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(server.requests[0]?.url.searchParams.get('start'), '30');
      assert.match(res.stdout, /, 30 new, 0 updated, 0 unchanged/);
      assert.equal(await store.countPapers(), 60);
    } finally {
      child.kill('SIGKILL');
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints usage for --help', async () => {
    const res = await run(['--help']);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /^Usage: paperboy ingest arxiv --category C/);
  });
});
