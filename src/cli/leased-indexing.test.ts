// Two `paperboy serve` processes on one data dir: background indexing runs in
// one of them only, and when that one is killed the other takes it over and
// finishes the work.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaperboy, startServe } from '../../test/support/cli-process.js';
import { waitFor } from '../../test/support/wait-for.js';
import { embeddingsIn } from '../../test/support/embeddings-in.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-lease-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';
const SAMPLE_PAPERS = 84;


const HERE = /Background indexing runs in this process/;
const ELSEWHERE = /Background indexing runs in another process/;

test('two servers on one database: one indexes; killed, the other takes over and finishes', async () => {
  const dataDir = join(dir, 'two');
  const imported = await runPaperboy(['import', SAMPLE], { PAPERBOY_DATA_DIR: dataDir });
  assert.equal(imported.code, 0, imported.stderr);
  // 2 s per batch of 32: three batches, so the first holder is killed with work left.
  const env = { PAPERBOY_DATA_DIR: dataDir, PAPERBOY_EMBEDDER: 'hash-test-cpu:2000', PAPERBOY_INDEX_INTERVAL_S: '1', PAPERBOY_LEASE_TTL_S: '2' };
  const first = await startServe(env);
  const second = await startServe(env);
  try {
    assert.match(first.output().stdout, HERE);
    assert.match(second.output().stdout, ELSEWHERE);
    assert.doesNotMatch(second.output().stdout, HERE);
    await waitFor(() => embeddingsIn(dataDir) > 0, 30_000, 'the first batch');
    first.child.kill('SIGKILL');
    await first.finished;
    const left = embeddingsIn(dataDir);
    assert.ok(left < SAMPLE_PAPERS, `killed with work left (${left} of ${SAMPLE_PAPERS} embedded)`);
    const killedAt = Date.now();
    await waitFor(() => HERE.test(second.output().stdout), 10_000, 'the second server to take the lease over');
    const tookOverMs = Date.now() - killedAt;
    assert.ok(tookOverMs < 4_000, `took over ${tookOverMs} ms after the kill (lease lives 2 s)`);
    await waitFor(() => embeddingsIn(dataDir) === SAMPLE_PAPERS, 60_000, 'every paper to be embedded');
    const res = await fetch(`${second.url}/healthz`);
    assert.equal(res.status, 200);
  } finally {
    first.child.kill('SIGKILL');
    const end = await second.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});
