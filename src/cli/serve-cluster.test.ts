// `paperboy serve` with PAPERBOY_WEB_PROCESSES=2 as a real process tree: two
// serving processes on one port and one SQLite file, both answering; one that
// dies is replaced; SIGTERM stops them all cleanly; PostgreSQL is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaperboy, startServe } from '../../test/support/cli-process.js';
import { waitFor } from '../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-serve-cluster-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';

interface LogLine {
  pid: number;
  msg: string;
  path?: string;
}
const lines = (stdout: string): LogLine[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
const servingPids = (stdout: string) => lines(stdout).filter((l) => /^Paperboy is serving/.test(l.msg)).map((l) => l.pid);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `count` requests at once, each on its own connection; the statuses. */
async function burst(url: string, path: string, count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await fetch(url + path, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

test('two serving processes share the port and the database; a dead one is replaced; SIGTERM stops all', async () => {
  const server = await startServe({ PAPERBOY_DATA_DIR: join(dir, 'two'), PAPERBOY_DEMO_DATA: SAMPLE, PAPERBOY_WEB_PROCESSES: '2', PAPERBOY_LOG_REQUESTS: '1' });
  try {
    await waitFor(() => servingPids(server.output().stdout).length === 2, 30_000, 'both serving processes', 50);
    const out = () => server.output().stdout;
    const [first, second] = servingPids(out()) as [number, number];
    assert.notEqual(first, second);
    const primary = server.child.pid as number;
    assert.ok(![first, second].includes(primary), 'the primary serves nothing itself');
    const loads = lines(out()).filter((l) => /^Loaded \d+ papers/.test(l.msg));
    assert.deepEqual(
      loads.map((l) => l.pid),
      [primary],
      'the demo data is loaded once, by the primary',
    );

    assert.deepEqual(new Set(await burst(server.url, '/api/daily_papers', 40)), new Set([200]));
    const answeredBy = new Set(lines(out()).filter((l) => l.msg === 'request' && l.path === '/api/daily_papers').map((l) => l.pid));
    assert.deepEqual(answeredBy, new Set([first, second]), 'connections are handed to both processes');

    process.kill(first, 'SIGKILL');
    await waitFor(() => servingPids(out()).length === 3, 30_000, 'a replacement serving process', 50);
    assert.match(out(), /a serving process ended; starting another/);
    const replacement = servingPids(out())[2] as number;
    assert.deepEqual(new Set(await burst(server.url, '/healthz', 20)), new Set([200]));

    const finished = await server.stop();
    assert.equal(finished.code, 0, finished.stderr);
    const stopped = lines(finished.stdout).filter((l) => l.msg === 'Stopped.').map((l) => l.pid);
    assert.deepEqual(new Set(stopped), new Set([second, replacement, primary]), 'each serving process shut down cleanly, then the primary');
    assert.ok(!alive(second) && !alive(replacement), 'no serving process outlives the primary');
  } finally {
    await server.stop();
  }
});

test('several serving processes run on SQLite only: on PostgreSQL, serve says what to do instead', async () => {
  const res = await runPaperboy(['serve'], { PAPERBOY_DATA_DIR: join(dir, 'pg'), DATABASE_URL: 'postgres://paperboy@127.0.0.1:1/none', PAPERBOY_WEB_PROCESSES: '2' });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /PAPERBOY_WEB_PROCESSES runs several processes on one SQLite data dir; on PostgreSQL start several `paperboy serve` processes/);
});
