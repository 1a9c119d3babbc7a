// Every start-up failure an operator can cause ends with one line saying
// what to change, exit status 1, and no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runPaperboy } from '../../test/support/cli-process.js';
import type { Finished } from '../../test/support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dataDir = () => join(dir, `d${++n}`);

function assertOneLine(r: Finished, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit status 1 (stdout: ${r.stdout} stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^paperboy: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('a port in use', async () => {
  const blocker = createServer();
  await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const r = await runPaperboy(['serve'], { PORT: String(port), PAPERBOY_DATA_DIR: dataDir(), PAPERBOY_EMBEDDER: 'off' });
    assertOneLine(r, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use .*choose another PORT`));
  } finally {
    blocker.close();
  }
});

test('a HOST that is not an address: malformed, and well-formed but not this machine', async () => {
  const bad = await runPaperboy(['serve'], { HOST: '999.1.1.1', PAPERBOY_DATA_DIR: dataDir(), PAPERBOY_EMBEDDER: 'off' });
  assertOneLine(bad, /HOST must be an IP address of this machine .* \(got "999\.1\.1\.1"\)/);
  const foreign = await runPaperboy(['serve'], { HOST: '192.0.2.1', PORT: '0', PAPERBOY_DATA_DIR: dataDir(), PAPERBOY_EMBEDDER: 'off' });
  assertOneLine(foreign, /cannot listen on 192\.0\.2\.1:0: HOST is not an address of this machine/);
});

test('an empty PORT is a mistake, not a random port', async () => {
  const r = await runPaperboy(['serve'], { PORT: '', PAPERBOY_DATA_DIR: dataDir(), PAPERBOY_EMBEDDER: 'off' });
  assertOneLine(r, /PORT must be a port number from 0 to 65535 .*\(got ""\)/);
});

test('a bogus embedder or vector index', async () => {
  const embedder = await runPaperboy(['serve'], { PAPERBOY_EMBEDDER: 'gpt-9', PAPERBOY_DATA_DIR: dataDir() });
  assertOneLine(embedder, /PAPERBOY_EMBEDDER unknown embedder "gpt-9" \(expected learned, use-lite, off, or transformers:/);
  const index = await runPaperboy(['serve'], { PAPERBOY_VECTOR_INDEX: 'faiss', PAPERBOY_DATA_DIR: dataDir() });
  assertOneLine(index, /PAPERBOY_VECTOR_INDEX expected auto, exact or hnsw, got "faiss"/);
  const missingModel = await runPaperboy(['serve'], { PAPERBOY_EMBEDDER: `transformers:${join(dir, 'no-model')}`, PORT: '0', PAPERBOY_DATA_DIR: dataDir() });
  assertOneLine(missingModel, /model directory .*no-model does not exist/);
});

test('a data dir that cannot be created ends at once (it used to hang forever)', async () => {
  const proc = await runPaperboy(['serve'], { PAPERBOY_DATA_DIR: '/proc/x', PAPERBOY_EMBEDDER: 'off' }, 30_000);
  assertOneLine(proc, /PAPERBOY_DATA_DIR \/proc\/x: cannot create \/proc\/x/);
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const underFile = await runPaperboy(['migrate'], { PAPERBOY_DATA_DIR: join(file, 'data') });
  assertOneLine(underFile, /PAPERBOY_DATA_DIR .*a-file\/data: cannot use .*a part of the path is a file, not a directory \(ENOTDIR\)/);
});

test('a demo file in no known format stops the start instead of loading "0 papers"', async () => {
  const demo = join(dir, 'demo.txt');
  writeFileSync(demo, 'this is not a paper list\nnor is this\n');
  const r = await runPaperboy(['serve'], { PAPERBOY_DEMO_DATA: demo, PAPERBOY_DATA_DIR: dataDir(), PAPERBOY_EMBEDDER: 'off', PORT: '0' });
  assertOneLine(r, /cannot load the demo data \(PAPERBOY_DEMO_DATA\): .*demo\.txt.*set PAPERBOY_DEMO_DATA=off to start with an empty database/);
});

test('a damaged database is refused with the command that repairs it', async () => {
  const data = dataDir();
  const loaded = await runPaperboy(['import', 'test/fixtures/hf-daily/papers-sample.jsonl.gz'], { PAPERBOY_DATA_DIR: data });
  assert.equal(loaded.code, 0, loaded.stderr);
  // Overwrite pages in the middle of the file, as a failing disk would.
  const db = join(data, 'paperboy.db');
  const size = statSync(db).size;
  const fd = openSync(db, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
  closeSync(fd);
  const r = await runPaperboy(['serve'], { PAPERBOY_DATA_DIR: data, PAPERBOY_EMBEDDER: 'off', PORT: '0' });
  assertOneLine(r, /the database .*paperboy\.db is damaged \(.+\); run `paperboy repair`/);
});
