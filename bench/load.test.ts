import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

const ROUTES = ['/healthz', '/', '/papers/ID', '/api/daily_papers', '/feed.xml', '/papers/search?q=', '/api/papers/search?q='];

/** The table rows of a phase, by route (labels lose their "(N queries)" suffix), cells split on the column gaps. */
function tableRows(out: string, phase: 'alone' | 'mix'): Map<string, string[][]> {
  const rows = new Map<string, string[][]>();
  for (const line of out.split('\n')) {
    if (!line.startsWith(`${phase} `)) continue;
    const cells = line.split(/\s{2,}/);
    const route = (cells[1] ?? '').replace(/ \(.*\)$/, '');
    rows.set(route, [...(rows.get(route) ?? []), cells]);
  }
  return rows;
}

describe('bench:load --smoke', () => {
  test('prints a line of figures per route, alone and in the mix, and the targets', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/load.ts', '--smoke'], { encoding: 'utf8', timeout: 50_000 });
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    const out = run.stdout;
    for (const phase of ['alone', 'mix'] as const) {
      const rows = tableRows(out, phase);
      assert.deepEqual([...rows.keys()].sort(), [...ROUTES].sort(), `${phase} rows:\n${out}`);
      for (const [route, lines] of rows) {
        for (const cells of lines) {
          // phase, route, conns, req/s, p50, p99, errors, timeouts, non-2xx, KB/req, cpu ms/req, main ms/req, gen cores, ratio
          assert.equal(cells.length, 14, `${phase} ${route}: ${cells.join(' | ')}`);
          const [, , conns, rps, p50, p99, errors, timeouts, non2xx, kb] = cells.map(Number);
          assert.ok(conns! >= 1 && rps! > 0 && p99! >= p50! && kb! > 0, `${phase} ${route}: ${cells.join(' | ')}`);
          assert.deepEqual([errors, timeouts, non2xx], [0, 0, 0], `${phase} ${route} failed requests: ${cells.join(' | ')}`);
          assert.match(cells[13] ?? '', /^\d+\.\d+x$/);
        }
      }
    }
    assert.equal(tableRows(out, 'alone').get('/healthz')?.length, 2, 'the baseline is measured first and last');
    assert.match(out, /^target: mix: 0 errors and 0 time-outs: .* (PASS|FAIL)$/m);
    assert.match(out, /^target: \/feed\.xml >= 1000 req\/s .* (PASS|FAIL)$/m);
    assert.match(out, /^target: hybrid search \/api\/papers\/search.* (PASS|FAIL)$/m);
  });

  test('--processes 2: serve runs two serving processes, and the CPU figures count both', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/load.ts', '--smoke', '--only', 'search', '--skip-mix', '--processes', '2'], { encoding: 'utf8', timeout: 50_000 });
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /PAPERBOY_WEB_PROCESSES=2/);
    const serving = new Set([...run.stdout.matchAll(/server: (\{.*"msg":"Paperboy is serving.*)$/gm)].map((m) => (JSON.parse(m[1]!) as { pid: number }).pid));
    assert.equal(serving.size, 2, run.stdout);
    const rows = tableRows(run.stdout, 'alone');
    assert.deepEqual([...rows.keys()].sort(), ['/healthz', '/papers/search?q='].sort());
    const [search] = rows.get('/papers/search?q=')!;
    const [cpu, main] = [Number(search![10]), Number(search![11])];
    assert.ok(cpu > 0 && main > 0 && main <= cpu, search!.join(' | '));
  });
});
