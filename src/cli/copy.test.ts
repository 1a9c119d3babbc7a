// paperboy copy as the operator runs it: bad arguments, the printed report, a
// copy killed part-way (a real child process, SIGKILL) and run again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { buildFixtureInstance } from '../../test/support/copy-fixture.js';
import { runPaperboy, spawnPaperboy } from '../../test/support/cli-process.js';
import { testDatabases } from '../../test/support/postgres.js';
import { sink } from '../../test/support/sink.js';
import { runCopy } from './copy.js';

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-copy-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const newDatabase = testDatabases('copy_cli');
const sourcePath = join(tmp, 'source.db');
let paperCount = 0;

before(async () => {
  paperCount = await buildFixtureInstance(sourcePath);
});

async function run(args: string[]) {
  const out = sink();
  const err = sink();
  const code = await runCopy(args, { stdout: out.stream, stderr: err.stream, isTTY: false });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The URL of `url`'s database with a password in it, which must never be printed. */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

describe('bad arguments: one line on stderr, exit 1, no password shown', () => {
  const cases: [string, string[], RegExp][] = [
    ['nothing', [], /^paperboy copy: --from is required: sqlite:PATH or postgres:\/\/USER@HOST:PORT\/DATABASE$/],
    ['no target', ['--from', 'sqlite:x.db'], /^paperboy copy: --to is required/],
    ['a bare path', ['--from', 'x.db', '--to', 'sqlite:y.db'], /^paperboy copy: --from must be sqlite:PATH or postgres:\/\/USER@HOST:PORT\/DATABASE, got "x\.db"$/],
    ['sqlite: without a path', ['--from', 'sqlite:', '--to', 'sqlite:y.db'], /^paperboy copy: --from sqlite: needs a file path/],
    ['a URL without a database', ['--from', 'sqlite:x.db', '--to', 'postgres://me:hunter2@db.example:5432'], /^paperboy copy: --to postgres:\/\/me@db\.example:5432: the URL names no database/],
    ['a misspelt scheme', ['--from', 'sqlite:x.db', '--to', 'postgress://me:hunter2@db.example/p'], /^paperboy copy: --to must be .*, got "postgress:\/\/\*\*\*@db\.example\/p"$/],
    ['a bad batch size', ['--from', 'sqlite:x.db', '--to', 'sqlite:y.db', '--batch', '0'], /^paperboy copy: --batch must be a positive integer, got "0"$/],
    ['the same database twice', ['--from', 'sqlite:x.db', '--to', `sqlite:${join(process.cwd(), 'x.db')}`], /^paperboy copy: --from and --to name the same database$/],
    ['an unknown option', ['--from', 'sqlite:x.db', '--to', 'sqlite:y.db', 'postgres://me:hunter2@h/d'], /^paperboy copy: Unexpected argument 'postgres:\/\/\*\*\*@h\/d'/],
    ['a source file that does not exist', ['--from', `sqlite:${join(tmp, 'missing.db')}`, '--to', `sqlite:${join(tmp, 'never.db')}`], /^paperboy copy: sqlite:.*missing\.db: no such file$/],
    [
      'a server that does not answer',
      ['--from', `sqlite:${sourcePath}`, '--to', 'postgres://me:hunter2@127.0.0.1:1/paperboy'],
      /^paperboy copy: cannot open the target postgres:\/\/me@127\.0\.0\.1:1\/paperboy: .*ECONNREFUSED/,
    ],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const r = await run(args);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^[^\n]*\n$/, `one line: ${JSON.stringify(r.stderr)}`);
      assert.match(r.stderr.trimEnd(), message);
      assert.doesNotMatch(r.stderr, /hunter2/);
    });
  }
});

test('--help prints the usage', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: paperboy copy --from SOURCE --to TARGET \[--batch N\]/);
});

test('a copy killed part-way (SIGKILL) and run again ends with every table identical, nothing doubled', async () => {
  const db = await newDatabase();
  const target = withPassword(db.url, 'not-shown-pw');
  const args = ['copy', '--from', `sqlite:${sourcePath}`, '--to', target, '--batch', '10'];
  const killed = await spawnPaperboy(args, {}, (stdout, child) => {
    // The papers' first batch of 10 is committed: stop it dead.
    if (/copying papers: 10\/\d+ rows/.test(stdout)) child.kill('SIGKILL');
  });
  assert.equal(killed.signal, 'SIGKILL', `killed part-way:\n${killed.stdout}\n${killed.stderr}`);

  const store = PostgresStore.open(db.url);
  try {
    const marker = JSON.parse((await store.getState('copy:progress'))!) as { finishedAt: string | null; tables: Record<string, { rows: number; done: boolean }> };
    assert.equal(marker.finishedAt, null, 'the copy had not finished');
    const copiedBefore = await store.countPapers();
    assert.equal(copiedBefore, marker.tables.papers!.rows, 'the marker counts exactly the papers committed');

    const resumed = await runPaperboy(args, {});
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stderr, '');
    const out = resumed.stdout;
    assert.match(out, /^copying sqlite:.*source\.db to postgres:\/\/postgres@127\.0\.0\.1:5432\/paperboy_test_copy_cli_\w+\nresuming the copy this target holds\n/);
    for (const table of ['papers', 'paper_versions', 'paper_categories', 'daily_entries', 'app_state', 'paper_embeddings', 'model_files']) {
      const line = out.split('\n').find((l) => l.startsWith(`${table} `));
      const m = /^\w+ +(\d+) +(\d+) +([0-9a-f]{16}) +([0-9a-f]{16}) +ok$/.exec(line ?? '');
      assert.ok(m, `a report line for ${table}: ${line}`);
      assert.equal(m[1], m[2]);
      assert.equal(m[3], m[4]);
      assert.ok(Number(m[1]) > 0);
    }
    assert.match(out, /\nCopied and verified: every copied table has the same rows and checksum on both sides\.\n$/);
    assert.doesNotMatch(killed.stdout + killed.stderr + out + resumed.stderr, /not-shown-pw/);

    assert.equal(await store.countPapers(), paperCount);
    const changes = await store.paperChangesAfter(0, 10_000);
    assert.equal(changes.length, paperCount, 'one change-log entry per paper, none twice');
    assert.equal(new Set(changes.map((c) => c.paperId)).size, paperCount);
  } finally {
    await store.close();
  }
});

test('a source written to after its copy: running the copy again finds the difference and exits 2', async () => {
  const drifted = join(tmp, 'drifting-source.db');
  rmSync(drifted, { force: true });
  await buildFixtureInstance(drifted);
  const copied = await run(['--from', `sqlite:${drifted}`, '--to', `sqlite:${join(tmp, 'drift-target.db')}`]);
  assert.equal(copied.code, 0, copied.stderr);
  const store = await SqliteStore.open(drifted);
  await store.setState('written-after', 'the copy');
  await store.close();

  const again = await run(['--from', `sqlite:${drifted}`, '--to', `sqlite:${join(tmp, 'drift-target.db')}`]);
  assert.equal(again.code, 2);
  assert.match(again.stdout, /\napp_state +3 +2 +[0-9a-f]{16} +[0-9a-f]{16} +DIFFERENT\n/);
  assert.match(again.stdout, /\npapers +(\d+) +\1 .* ok\n/);
  assert.match(again.stdout, /^copying .*\nthis target holds a finished copy of this source: comparing them again\n/);
  assert.match(again.stdout, /The copy differs from the source in app_state: was the source written to during or after the copy\? Stop the processes writing to it and copy again into an empty database\.\n$/);
});

test('on a terminal: a progress bar per table on stderr, the report on stdout', async () => {
  const out = sink();
  const err = sink();
  Object.assign(err.stream, { isTTY: true, columns: 120 }); // what cli-progress looks at
  const code = await runCopy(['--from', `sqlite:${sourcePath}`, '--to', `sqlite:${join(tmp, 'tty-target.db')}`, '--batch', '50'], {
    stdout: out.stream,
    stderr: err.stream,
    isTTY: true,
  });
  assert.equal(code, 0, err.text());
  assert.match(err.text(), new RegExp(`papers +\\[[█░]+\\] 100% ${paperCount}/${paperCount} rows`));
  assert.match(err.text(), /paper_embeddings +\[[█░]+\] 100%/);
  assert.doesNotMatch(out.text(), /copying papers:/);
  assert.match(out.text(), /Copied and verified/);
});
