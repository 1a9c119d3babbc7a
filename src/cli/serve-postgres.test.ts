// Three `paperboy serve` processes on one PostgreSQL database, as behind one
// address: all ready, a paper written by another process is searchable
// through each within 2 s, background indexing runs in exactly one of them,
// and when that one is killed another takes it over and finishes the work.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runPaperboy, startServe, type ServeProcess } from '../../test/support/cli-process.js';
import { useTestDatabase } from '../../test/support/postgres.js';
import { waitFor } from '../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-serve-pg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const database = useTestDatabase('serve_three');
const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';
const SAMPLE_PAPERS = 84;

const HERE = /Background indexing runs in this process/;


async function count(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function searchIds(server: ServeProcess, q: string): Promise<string[]> {
  const res = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent(q)}&mode=keyword`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { paper: { id: string } }[]).map((r) => r.paper.id);
}

test('three servers on one PostgreSQL database: ready, in step within 2 s, and one indexer that survives its holder', async () => {
  const { url } = await database();
  const imported = await runPaperboy(['import', SAMPLE], { DATABASE_URL: url, PAPERBOY_DATA_DIR: join(dir, 'importer') });
  assert.equal(imported.code, 0, imported.stderr);
  // Slow vectors (2 s per batch of 32), so the indexer is still busy when its holder is killed.
  const env = (i: number) => ({
    DATABASE_URL: url,
    PAPERBOY_DATA_DIR: join(dir, `web${i}`),
    PAPERBOY_DEMO_DATA: 'off',
    PAPERBOY_EMBEDDER: 'hash-test-cpu:2000',
    PAPERBOY_INDEX_INTERVAL_S: '1',
    PAPERBOY_LEASE_TTL_S: '2',
  });
  const servers = await Promise.all([0, 1, 2].map((i) => startServe(env(i))));
  try {
    for (const s of servers) {
      const ready = await fetch(`${s.url}/readyz`);
      assert.equal(ready.status, 200, await ready.text());
      assert.match(s.output().stdout, /serving 84 papers/);
    }
    await waitFor(() => servers.filter((s) => HERE.test(s.output().stdout)).length === 1, 5_000, 'one server to hold the indexing lease');
    const holder = servers.find((s) => HERE.test(s.output().stdout))!;
    const others = servers.filter((s) => s !== holder);

    // A paper written by another process (an import) is found through every server within 2 s.
    const record = { id: '2611.99001', title: 'Quokka locomotion on granular slopes', abstract: 'We film quokkas climbing sand.', authors: 'A. Walker', categories: 'q-bio.PE', versions: [{ version: 'v1', created: 'Mon, 2 Nov 2026 10:00:00 GMT' }], update_date: '2026-11-02' };
    const file = join(dir, 'new.jsonl');
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    const write = await runPaperboy(['import', file], { DATABASE_URL: url, PAPERBOY_DATA_DIR: join(dir, 'importer') });
    assert.equal(write.code, 0, write.stderr);
    const written = Date.now();
    for (const s of servers) await waitFor(async () => (await searchIds(s, 'quokka')).includes(record.id), 2_000, `${s.url} to find the new paper`);
    const inStepMs = Date.now() - written;
    assert.ok(inStepMs < 2_000, `searchable everywhere ${inStepMs} ms after the write`);

    // The holder dies mid-work: another server takes the lease over and embeds the rest.
    await waitFor(async () => (await count(url, 'SELECT count(*) AS n FROM paper_embeddings')) > 0, 30_000, 'the first batch of vectors');
    holder.child.kill('SIGKILL');
    await holder.finished;
    const left = await count(url, 'SELECT count(*) AS n FROM paper_embeddings');
    assert.ok(left < SAMPLE_PAPERS + 1, `killed with work left (${left} of ${SAMPLE_PAPERS + 1})`);
    const killedAt = Date.now();
    await waitFor(() => others.some((s) => HERE.test(s.output().stdout)), 10_000, 'another server to take the lease over');
    assert.ok(Date.now() - killedAt < 4_000, `taken over ${Date.now() - killedAt} ms after the kill (the lease lives 2 s)`);
    assert.equal(others.filter((s) => HERE.test(s.output().stdout)).length, 1, 'by exactly one of them');
    await waitFor(async () => (await count(url, 'SELECT count(*) AS n FROM paper_embeddings')) === SAMPLE_PAPERS + 1, 60_000, 'every paper to have a vector');
    for (const s of others) assert.deepEqual(await searchIds(s, 'quokka'), [record.id]);
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
  }
});
