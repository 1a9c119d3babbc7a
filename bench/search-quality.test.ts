// The benchmark's smoke mode runs in CI so that `npm run bench:search-quality` keeps working from a clean checkout;
// and the meaning set's scoring.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { benchDatabases } from './bench-backends.js';
import { testServerUrl } from '../test/support/postgres.js';

// The benchmarks' PostgreSQL runs go to the server the tests use (CI may name another one than the local default).
process.env.PAPERBOY_BENCH_DATABASE_URL ||= testServerUrl();
import { firstOfEachGroup, formatTable, loadMeaningQueries, score, type Ranked } from './meaning-set.js';

const F = String.raw`(0\.\d{3}|1\.000)`;

describe('bench:search-quality --help', () => {
  it('prints the options and exits 0', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/search-quality.ts', '--help'], { encoding: 'utf8', timeout: 55_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: npm run bench:search-quality -- \[--sets meaning,scifact\]/);
    assert.match(r.stdout, /\[--smoke\]/);
    assert.match(r.stdout, /\[--backends sqlite\[,postgres\]\]/);
  });

  it('rejects an unknown backend', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/search-quality.ts', '--smoke', '--backends', 'sqlite,oracle'], { encoding: 'utf8', timeout: 55_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--backends: unknown "oracle" \(known: sqlite, postgres\)/);
  });
});

describe('bench:search-quality --smoke --backends sqlite,postgres', () => {
  it('runs SciFact on both backends, prints them side by side with the target, and drops its database', async () => {
    const args = ['--import', 'tsx', 'bench/search-quality.ts', '--smoke', '--sets', 'scifact', '--backends', 'sqlite,postgres'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 55_000 });
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    const out = r.stdout;
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const row = new RegExp(`^scifact +learned +${mode} +sqlite +nDCG@10=${F} Recall@100=${F} +\\| +postgres +nDCG@10=${F} Recall@100=${F}$`, 'm').exec(out);
      assert.ok(row, `a side-by-side row for ${mode}:\n${out}`);
      // The same papers, the same queries, the same ranking: the same figures on this tiny set.
      assert.deepEqual([row[3], row[4]], [row[1], row[2]], row[0]);
      assert.match(out, new RegExp(`^scifact +learned +${mode} +same top 100 on sqlite and postgres: 3 of 3 queries$`, 'm'));
    }
    for (const backend of ['sqlite', 'postgres']) assert.match(out, new RegExp(`^model learned \\(BEIR corpus .*, ${backend}\\): .*trained in`, 'm'));
    assert.match(r.stderr, /^postgres store loaded in [\d.]+ s \(6 papers, postgres:\/\/.*\); keyword ranker .*local index of PostgreSQL/m);
    assert.match(out, /^ {2}PostgreSQL SciFact nDCG@10 within 0\.01 of SQLite's: PASS \(largest difference 0\.0000; learned keyword /m);
    assert.deepEqual(await benchDatabases(r.pid), [], 'the run dropped its database');
  });
});

describe('bench:search-quality --smoke', () => {
  it('prints the meaning table for both models, SciFact per mode, the learned model costs and the targets', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/search-quality.ts', '--smoke'], { encoding: 'utf8', timeout: 55_000 });
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    const out = r.stdout;
    for (const list of ['paraphrase', 'keyword']) {
      for (const split of ['dev', 'test', 'all']) {
        for (const [model, mode] of [['-', 'keyword'], ['learned', 'semantic'], ['learned', 'hybrid'], ['learned', 'nearest'], ['use-lite', 'semantic'], ['use-lite', 'hybrid'], ['use-lite', 'nearest']]) {
          const row = new RegExp(`^meaning +${list} +${split} +${model} +${mode} +(\\d+) +${F} +${F} +${F}$`, 'm').exec(out);
          assert.ok(row, `a row for ${list} ${split} ${model} ${mode}:\n${out}`);
          assert.equal(Number(row[1]), split === 'all' ? 6 : 3);
          const [r1, r10, mrr] = [row[2], row[3], row[4]].map(Number) as [number, number, number];
          assert.ok(r1 <= mrr && mrr <= r10, `R@1 <= MRR@10 <= R@10: ${row[0]}`);
        }
      }
    }
    for (const where of ['demo corpus', 'BEIR corpus']) {
      assert.match(out, new RegExp(`^model learned \\(${where}.*trained in [\\d.]+ s on \\d+ of \\d+ papers .*embeds [\\d,]+ abstracts/s .* and [\\d,]+ queries/s`, 'm'));
      assert.match(out, new RegExp(`^model learned \\(${where}.*\\): calibrated in [\\d.]+ s: `, 'm'));
    }
    assert.match(out, /^model use-lite \(demo corpus\): \d+ shipped vectors .*; [\d,]+ queries\/s/m);
    for (const mode of ['keyword', 'semantic', 'hybrid']) assert.match(out, new RegExp(`^scifact +learned +${mode} +nDCG@10=${F} Recall@100=${F}$`, 'm'));
    assert.match(out, /^ {2}learned semantic alone, paraphrases \(6\): R@10 [\d.]+ >= 0\.6: (PASS|FAIL)$/m);
    assert.match(out, /^ {2}learned hybrid, paraphrases \(6\): R@10 [\d.]+ >= keyword [\d.]+ \+ 0\.12: (PASS|FAIL)$/m);
    assert.match(out, /^ {2}learned hybrid, keyword-style queries \(6\): .*: (PASS|FAIL)$/m);
    assert.match(out, /^ {2}SciFact train, .*: hybrid nDCG@10 [\d.]+ >= 0\.72 and >= keyword [\d.]+: (PASS|FAIL)$/m);
  });
});

describe('meaning set', () => {
  it('loads 100 paraphrase and 30 keyword queries, half of each in dev', () => {
    const all = loadMeaningQueries();
    assert.equal(all.filter((q) => q.list === 'paraphrase').length, 100);
    assert.equal(all.filter((q) => q.list === 'keyword').length, 30);
    assert.equal(all.filter((q) => q.split === 'dev').length, 65);
    const few = firstOfEachGroup(all, 2);
    assert.deepEqual(few.map((q) => `${q.list}/${q.split}`), ['paraphrase/dev', 'paraphrase/test', 'paraphrase/dev', 'paraphrase/test', 'keyword/dev', 'keyword/test', 'keyword/dev', 'keyword/test']);
  });

  it('scores ranks of the one right answer: R@1, R@10 and MRR@10', () => {
    assert.deepEqual(score([1, 2, null, 10]), { queries: 4, recall1: 0.25, recall10: 0.75, mrr10: (1 + 0.5 + 0.1) / 4 });
    assert.deepEqual(score([11]), { queries: 1, recall1: 0, recall10: 0, mrr10: 0 });
    assert.deepEqual(score([]), { queries: 0, recall1: 0, recall10: 0, mrr10: 0 });
  });

  it('tabulates keyword mode once and each model per split', () => {
    const q = (split: 'dev' | 'test', id: string) => ({ id, query: id, split, list: 'paraphrase' as const });
    const ranked: Ranked[] = [
      { query: q('dev', 'a'), model: 'learned', mode: 'keyword', rank: 1 },
      { query: q('test', 'b'), model: 'learned', mode: 'keyword', rank: null },
      { query: q('dev', 'a'), model: 'learned', mode: 'semantic', rank: 2 },
      { query: q('test', 'b'), model: 'learned', mode: 'semantic', rank: 4 },
    ];
    const lines = formatTable(ranked, ['learned']);
    assert.match(lines[0]!, /^meaning +list +split +model +mode +queries +R@1 +R@10 +MRR@10$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/ +/).slice(1).join(' ')), [
      'paraphrase dev - keyword 1 1.000 1.000 1.000',
      'paraphrase dev learned semantic 1 0.000 1.000 0.500',
      'paraphrase test - keyword 1 0.000 0.000 0.000',
      'paraphrase test learned semantic 1 0.000 1.000 0.250',
      'paraphrase all - keyword 2 0.500 0.500 0.500',
      'paraphrase all learned semantic 2 0.000 1.000 0.375',
    ]);
  });
});
