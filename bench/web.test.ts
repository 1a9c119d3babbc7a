// The benchmark's smoke mode runs in CI so that `npm run bench:web` keeps working from a clean checkout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('bench:web --smoke measures every route against /healthz and prints the target', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/web.ts', '--smoke'], { encoding: 'utf8', timeout: 55_000 });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const rows = [...r.stdout.matchAll(/^(\/\S*)\s+(\d+|none done)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)x\s+(\d+)$/gm)];
  const routes = rows.map((m) => m[1]!.replace(/\/papers\/\S+/, '/papers/ID').replace(/\?date=\S+/, '?date=D'));
  assert.deepEqual(routes, ['/healthz', '/', '/papers/ID', '/api/daily_papers?date=D', '/api/daily_papers', '/healthz'], r.stdout);
  for (const m of rows) {
    assert.ok(Number(m[2]) > 0, `${m[1]} answered requests: ${m[0]}`);
    assert.ok(Number(m[4]) >= Number(m[3]), `${m[1]}: p99 >= p50`);
    assert.equal(m[6], '0', `${m[1]}: no failed request`);
  }
  assert.match(r.stdout, /^target: daily page \/ >= 0\.4x baseline \(\/healthz\): [\d.]+x (PASS|FAIL)$/m);
});
