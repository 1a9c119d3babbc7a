// The benchmark's smoke mode runs in CI so that `npm run bench:serving-import` keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('bench:serving-import --smoke probes the idle, importing and embedding server and prints a verdict', () => {
  const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-serving-import-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/serving-import.ts', '--smoke', '--papers', '600', '--work-dir', work], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /import: 600 papers in [\d.]+ s \(\d+\/s\) while serving/);
    for (const phase of ['idle', 'import', 'after']) {
      for (const route of ['/healthz', '/']) {
        const row = new RegExp(`^${phase}\\s+${route.replace('/', '\\/')}\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+[\\d.]+x\\s+(\\d+)$`, 'm').exec(r.stdout);
        assert.ok(row, `a row for ${phase} ${route}:\n${r.stdout}`);
        assert.ok(Number(row[1]) > 0, `${phase} ${route} was probed`);
        assert.equal(row[5], '0', `no failed probe in ${phase} ${route}`);
      }
    }
    assert.match(r.stdout, /^target: p99 < 100 ms .*: worst p99 [\d.]+ ms, 0 failed (PASS|FAIL)$/m);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
