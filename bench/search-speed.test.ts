// The benchmark's smoke mode runs in CI so that `npm run bench:search` keeps working from a clean checkout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { benchDatabases } from './bench-backends.js';
import { testServerUrl } from '../test/support/postgres.js';

// The benchmarks' PostgreSQL runs go to the server the tests use (CI may name another one than the local default).
process.env.PAPERBOY_BENCH_DATABASE_URL ||= testServerUrl();

const NUMBER = String.raw`\d+(?:\.\d+)?`;

// With PostgreSQL too (CI runs a server): the same corpus loaded there, its local index built, keyword search timed beside SQLite's.
test('bench:search --smoke --backends sqlite,postgres trains the learned model, times every engine on both backends and prints the targets', { timeout: 180_000 }, async () => {
  const args = ['--import', 'tsx', 'bench/search-speed.ts', '--smoke', '--backends', 'sqlite,postgres'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 150_000 });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const out = r.stdout;
  for (const engine of ['store-kw20', 'keyword', 'semantic', 'hybrid', 'query-embed', 'fts5', 'orama', 'minisearch', 'pg-store-kw20', 'pg-keyword', 'pg-keyword-uncompacted']) {
    const row = new RegExp(`^1000\\t${engine}\\s*\\tbuild_s \\S+\\trss_mb -?\\d+\\tpeak_mb \\d+\\tp50_ms (${NUMBER})\\tp99_ms (${NUMBER})\\tcold_p50 ${NUMBER}\\tcold_p99 ${NUMBER}\\thits (${NUMBER})$`, 'm').exec(out);
    assert.ok(row, `a row for ${engine}:\n${out}`);
    assert.ok(Number(row[2]) >= Number(row[1]), `${engine}: p99 >= p50`);
    // Semantic search lists only papers over the model's join threshold, which a tiny corpus may not reach.
    if (engine !== 'semantic') assert.ok(Number(row[3]) > 0, `${engine} found something`);
  }
  assert.match(out, new RegExp(`^1000\\tbuild: upsertItems ${NUMBER} s .*train ${NUMBER} s, calibrate ${NUMBER} s, embed \\+ store vectors ${NUMBER} s \\(embedding alone ${NUMBER} s, \\d+ papers/s\\)`, 'm'));
  assert.match(out, new RegExp(`^1000\\tlearned query embedding .*: p50 ${NUMBER} ms, p99 ${NUMBER} ms$`, 'm'));
  assert.match(out, /^ {2}keyword p99 [\d.]+ ms < 20 ms: (PASS|FAIL)$/m);
  assert.match(out, /^ {2}hybrid p99 [\d.]+ ms < 60 ms \(end to end, query embedded by the learned model\): (PASS|FAIL)$/m);
  assert.match(out, /^ {2}product peak RSS \d+ MB < 4096 MB: (PASS|FAIL)$/m);
  assert.match(out, new RegExp(`^1000\\tpostgres build: load \\(upsertItems: papers, authors, change log\\) ${NUMBER} s, local keyword index from the change log ${NUMBER} s \\(\\d+ segments\\), compacted as serve does after a large catch-up ${NUMBER} s$`, 'm'));
  assert.match(out, new RegExp(`^1000\\tpostgres/sqlite: keyword p50 ${NUMBER}x, p99 ${NUMBER}x, cold p99 ${NUMBER}x; uncompacted p99 ${NUMBER}x; store ranker alone p99 ${NUMBER}x$`, 'm'));
  assert.match(out, /^ {2}keyword p99 on PostgreSQL within 1\.5x of SQLite's \([\d.]+ ms vs [\d.]+ ms = [\d.]+x\): (PASS|FAIL)$/m);
  // Same corpus, same queries: the same number of hits on both backends.
  const hits = (engine: string) => new RegExp(`^1000\\t${engine}\\s*\\t.*\\thits (${NUMBER})$`, 'm').exec(out)![1];
  assert.equal(hits('pg-keyword'), hits('keyword'));
  assert.deepEqual(await benchDatabases(r.pid), [], 'the run dropped its database');
});

test('bench:search --smoke --vector-index hnsw prints the graph\'s recall against an exact scan', { timeout: 180_000 }, () => {
  const args = ['--import', 'tsx', 'bench/search-speed.ts', '--smoke', '--engines', 'product', '--vector-index', 'hnsw'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 150_000 });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  for (const k of [10, 200]) {
    const recall = new RegExp(`hnsw vector index: recall@${k} (${NUMBER}) against an exact scan \\(\\d+ queries\\)`).exec(r.stderr);
    assert.ok(recall, `a recall@${k} line:\n${r.stderr}`);
    assert.ok(Number(recall[1]) > 0 && Number(recall[1]) <= 1, `recall@${k} ${recall[1]}`);
  }
  assert.match(r.stdout, /^1000\thybrid\s*\tbuild_s /m);
});
