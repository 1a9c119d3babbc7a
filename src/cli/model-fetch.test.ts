import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, PAPERBOY_BIN } from '../../test/support/cli-process.js';
import { startFakeHub } from '../../test/support/fake-hub.js';
import type { FakeHub } from '../../test/support/fake-hub.js';
import { sink } from '../../test/support/sink.js';
import { tinyModelFiles } from '../../test/support/tiny-onnx-model.js';
import { runModelFetch } from './model-fetch.js';
import type { ModelFetchContext } from './model-fetch.js';

const MODEL = 'paperboy-tests/tiny-st';
const FP32_ONLY = 'paperboy-tests/fp32-only';
const WEIGHTS = 'onnx/model_quantized.onnx';
const files = { [MODEL]: tinyModelFiles({ quantized: true, pooling: 'cls' }), [FP32_ONLY]: tinyModelFiles({}) };
const root = mkdtempSync(join(tmpdir(), 'paperboy-model-fetch-'));
let hub: FakeHub;
let dirs = 0;

before(async () => {
  hub = await startFakeHub(files);
});
after(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

const newDataDir = () => join(root, `data-${++dirs}`);
const modelDir = (dataDir: string, model = MODEL) => join(dataDir, 'models', 'onnx', model.replace('/', '__'));

async function fetchModel(dataDir: string, args: string[] = [MODEL], opts: Partial<ModelFetchContext> = {}) {
  const out = sink();
  const err = sink();
  const code = await runModelFetch([...args, '--hub-url', hub.url], { dataDir, stdout: out.stream, stderr: err.stream, isTTY: false, retryDelayMs: 10, ...opts });
  return { code, out: out.text(), err: err.text() };
}

function assertSameFiles(dir: string, expected: Map<string, Uint8Array>, paths: string[]) {
  for (const p of paths) assert.deepEqual(new Uint8Array(readFileSync(join(dir, p))), expected.get(p), p);
}

const parts = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.part'));

test('fetch downloads the files a sentence-transformer needs, a line per file, checked, and loads them; a second run downloads nothing', async () => {
  const dataDir = newDataDir();
  const before = hub.requests.length;
  const first = await fetchModel(dataDir);
  assert.equal(first.code, 0, first.err);
  const dir = modelDir(dataDir);
  const lines = first.out.trim().split('\n');
  assert.deepEqual(lines.slice(0, 6).map((l) => l.replace(/downloaded [\d.]+ KiB in [\d.]+ s/, 'downloaded N')), [
    'config.json: downloaded N, git sha1 ok',
    'tokenizer.json: downloaded N, git sha1 ok',
    'tokenizer_config.json: downloaded N, git sha1 ok',
    'special_tokens_map.json: downloaded N, git sha1 ok',
    '1_Pooling/config.json: downloaded N, git sha1 ok',
    'onnx/model_quantized.onnx: downloaded N, sha256 ok',
  ]);
  assert.equal(lines[6], `${MODEL} at ${hub.commit.slice(0, 10)} (${WEIGHTS}) is in ${dir}: 6 files downloaded, 0 already here`);
  assert.equal(lines[7], `loaded through @huggingface/transformers: 32 dimensions, cls pooling; use it with PAPERBOY_EMBEDDER=onnx:${MODEL}`);
  assert.equal(first.err, '');
  const wanted = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', '1_Pooling/config.json', WEIGHTS];
  assertSameFiles(dir, files[MODEL], wanted);
  assert.ok(!existsSync(join(dir, 'onnx', 'model.onnx')) && !existsSync(join(dir, 'modules.json')), 'only what is needed');
  assert.deepEqual(parts(dir), []);
  const manifest = JSON.parse(readFileSync(join(dir, 'paperboy-fetch.json'), 'utf8'));
  assert.deepEqual([manifest.model, manifest.commit, manifest.dtype, manifest.weights], [MODEL, hub.commit, 'q8', WEIGHTS]);
  assert.match(manifest.files[WEIGHTS].sha256, /^[0-9a-f]{64}$/);
  // Every file was read at the commit the revision pointed to.
  const resolves = hub.requests.slice(before).filter((r) => r.path.includes('/resolve/'));
  assert.equal(resolves.length, 6);
  assert.ok(resolves.every((r) => r.path.startsWith(`/${MODEL}/resolve/${hub.commit}/`)));

  const mark = hub.requests.length;
  const second = await fetchModel(dataDir);
  assert.equal(second.code, 0, second.err);
  assert.deepEqual(hub.requests.slice(mark).map((r) => r.path), [`/api/models/${MODEL}/revision/main`], 'only the file list is asked for');
  assert.equal(second.out.match(/: already here, (git sha1|sha256) ok$/gm)?.length, 6);
  assert.match(second.out, /0 files downloaded, 6 already here/);
});

test('--fp32 fetches onnx/model.onnx; without a quantized export fp32 is the default, and --quantized says what there is', async () => {
  const dataDir = newDataDir();
  const fp32 = await fetchModel(dataDir, [MODEL, '--fp32']);
  assert.equal(fp32.code, 0, fp32.err);
  assertSameFiles(modelDir(dataDir), files[MODEL], ['onnx/model.onnx']);
  assert.ok(!existsSync(join(modelDir(dataDir), WEIGHTS)));

  const only = await fetchModel(dataDir, [FP32_ONLY]);
  assert.equal(only.code, 0, only.err);
  assert.ok(only.out.includes('(onnx/model.onnx) is in ') && only.out.includes('32 dimensions, mean pooling'), only.out);
  const q = await fetchModel(dataDir, [FP32_ONLY, '--quantized']);
  assert.equal(q.code, 1);
  assert.equal(q.err, `paperboy model fetch: ${FP32_ONLY} has no onnx/model_quantized.onnx at main (its ONNX files: onnx/model.onnx); try --fp32\n`);
});

test('a connection dropped mid-file is resumed in the same run with a Range request', async () => {
  const dataDir = newDataDir();
  hub.dropOnce(WEIGHTS, 4000);
  const mark = hub.requests.length;
  const r = await fetchModel(dataDir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /^onnx\/model_quantized\.onnx: the connection dropped at 3\.9 KiB \(connection closed \(UND_ERR_SOCKET\)\); resuming in 0\.01 s$/m);
  const ranged = hub.requests.slice(mark).filter((q) => q.range !== null);
  assert.deepEqual(ranged.map((q) => [q.path.split('/')[1], q.range]), [
    ['paperboy-tests', 'bytes=4000-'],
    ['cdn', 'bytes=4000-'],
  ]);
  assert.match(r.out, /onnx\/model_quantized\.onnx: downloaded [\d.]+ KiB in [\d.]+ s, sha256 ok/);
  assertSameFiles(modelDir(dataDir), files[MODEL], [WEIGHTS]);
});

test('a failed run keeps FILE.part and the next run continues it with a Range request', async () => {
  const dataDir = newDataDir();
  hub.dropOnce(WEIGHTS, 5000);
  const failed = await fetchModel(dataDir, [MODEL], { retries: 0 });
  assert.equal(failed.code, 1);
  assert.match(failed.err, /^paperboy model fetch: the connection dropped while downloading onnx\/model_quantized\.onnx \(connection closed \(UND_ERR_SOCKET\)\) at 4\.9 KiB of [\d.]+ KiB; run the same command again to resume\n$/);
  const part = join(modelDir(dataDir), `${WEIGHTS}.part`);
  assert.equal(statSync(part).size, 5000);
  assert.ok(!existsSync(join(modelDir(dataDir), WEIGHTS)));

  const mark = hub.requests.length;
  const again = await fetchModel(dataDir);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(hub.requests.slice(mark).filter((q) => q.range !== null).map((q) => q.range), ['bytes=5000-', 'bytes=5000-']);
  assert.match(again.out, /onnx\/model_quantized\.onnx: resumed at 4\.9 KiB, downloaded [\d.]+ KiB in [\d.]+ s, sha256 ok/);
  assert.match(again.out, /1 files downloaded, 5 already here/);
  assertSameFiles(modelDir(dataDir), files[MODEL], [WEIGHTS]);
  assert.ok(!existsSync(part));
});

test('a fetch killed mid-file (SIGKILL) is continued by the next run', async () => {
  const dataDir = newDataDir();
  // tokenizer.json comes before the weights, so the child is killed before it loads the ONNX library (3 s under tsx).
  hub.stallOnce('tokenizer.json', 1000);
  const child = spawn(process.execPath, [PAPERBOY_BIN, 'model', 'fetch', MODEL, '--hub-url', hub.url], {
    env: childEnv({ PAPERBOY_DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((done) => child.on('close', done));
  const part = join(modelDir(dataDir), 'tokenizer.json.part');
  const deadline = Date.now() + 30_000;
  while (!(existsSync(part) && statSync(part).size === 1000)) {
    assert.ok(Date.now() < deadline, 'the child never wrote 1000 bytes');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(join(modelDir(dataDir), '.fetch.lock')), 'a killed fetch leaves its lock behind');

  const mark = hub.requests.length;
  const again = await fetchModel(dataDir);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(hub.requests.slice(mark).filter((q) => q.range !== null).map((q) => q.range), ['bytes=1000-']);
  assertSameFiles(modelDir(dataDir), files[MODEL], ['tokenizer.json', WEIGHTS]);
  assert.match(again.out, /^tokenizer\.json: resumed at 1\.0 KiB, downloaded [\d.]+ KiB in [\d.]+ s, git sha1 ok$/m);
});

test('a file that does not match its published checksum is deleted and the run fails saying so', async () => {
  const dataDir = newDataDir();
  hub.corrupt(WEIGHTS);
  try {
    const r = await fetchModel(dataDir);
    assert.equal(r.code, 1);
    const sha = /expected sha256 ([0-9a-f]{64}), got ([0-9a-f]{64}) \((\d+) bytes\)/.exec(r.err);
    assert.ok(sha, r.err);
    assert.notEqual(sha[1], sha[2]);
    assert.equal(Number(sha[3]), files[MODEL].get(WEIGHTS)!.byteLength);
    assert.match(r.err, /^paperboy model fetch: checksum mismatch for onnx\/model_quantized\.onnx: .*; the download was deleted\n$/);
    assert.ok(!existsSync(join(modelDir(dataDir), WEIGHTS)) && parts(modelDir(dataDir)).length === 0);
  } finally {
    hub.corrupt(WEIGHTS, false);
  }
  hub.corrupt('tokenizer.json');
  try {
    const r = await fetchModel(newDataDir());
    assert.match(r.err, /^paperboy model fetch: checksum mismatch for tokenizer\.json: expected git sha1 [0-9a-f]{40}, got [0-9a-f]{40} \(\d+ bytes\); the download was deleted\n$/);
  } finally {
    hub.corrupt('tokenizer.json', false);
  }
});

test('a part left from another version of the file fails its checksum and is downloaded again from the start', async () => {
  const dataDir = newDataDir();
  mkdirSync(join(modelDir(dataDir), 'onnx'), { recursive: true });
  writeFileSync(join(modelDir(dataDir), `${WEIGHTS}.part`), Buffer.alloc(3000, 7));
  const r = await fetchModel(dataDir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /^checksum mismatch for onnx\/model_quantized\.onnx: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64} \(\d+ bytes\); the resumed download was deleted, downloading it again from the start$/m);
  assertSameFiles(modelDir(dataDir), files[MODEL], [WEIGHTS]);
});

test('errors are one line: unknown model or revision, unreachable hub, full disk, a fetch already running, bad arguments', async () => {
  const dataDir = newDataDir();
  const unknown = await fetchModel(dataDir, ['nobody/nothing']);
  assert.deepEqual([unknown.code, unknown.err], [1, `paperboy model fetch: model nobody/nothing not found on ${hub.url} (check the name; private models cannot be fetched)\n`]);
  const revision = await fetchModel(dataDir, [MODEL, '--revision', 'v9']);
  assert.deepEqual([revision.code, revision.err], [1, `paperboy model fetch: ${MODEL} has no revision "v9" on ${hub.url}\n`]);

  const closed = createServer();
  await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
  const { port } = closed.address() as AddressInfo;
  await new Promise((ok) => closed.close(ok));
  const err = sink();
  const code = await runModelFetch([MODEL, '--hub-url', `http://127.0.0.1:${port}`], { dataDir, stdout: sink().stream, stderr: err.stream, isTTY: false });
  assert.deepEqual([code, err.text()], [1, `paperboy model fetch: cannot reach http://127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`]);

  // /dev/full answers every write with ENOSPC.
  const full = newDataDir();
  mkdirSync(join(modelDir(full), 'onnx'), { recursive: true });
  symlinkSync('/dev/full', join(modelDir(full), 'config.json.part'));
  const disk = await fetchModel(full);
  assert.equal(disk.code, 1);
  assert.match(disk.err, /^paperboy model fetch: the disk is full: config\.json stopped at 0\.0 KiB in .*config\.json\.part; free some space and run the same command again to resume\n$/);

  const busy = newDataDir();
  mkdirSync(modelDir(busy), { recursive: true });
  writeFileSync(join(modelDir(busy), '.fetch.lock'), String(process.pid));
  const locked = await fetchModel(busy);
  assert.deepEqual([locked.code, locked.err], [1, `paperboy model fetch: another paperboy model fetch (pid ${process.pid}) is downloading into ${modelDir(busy)}\n`]);

  for (const [args, message] of [
    [[], 'name the model to fetch'],
    [[MODEL, '--quantized', '--fp32'], '--quantized and --fp32 exclude each other'],
    [['../etc'], '"../etc" is not a model name such as BAAI/bge-small-en-v1.5'],
  ] as const) {
    const r = await fetchModel(dataDir, [...args]);
    assert.equal(r.code, 1);
    assert.ok(r.err.startsWith(`paperboy model fetch: ${message}\n`), r.err);
  }
  const badUrl = sink();
  assert.equal(await runModelFetch([MODEL, '--hub-url', 'ftp://x'], { dataDir, stdout: sink().stream, stderr: badUrl.stream, isTTY: false }), 1);
  assert.match(badUrl.text(), /^paperboy model fetch: --hub-url must be an http\(s\) URL, got "ftp:\/\/x"/);
});

test('on a terminal the same lines are printed', async () => {
  const r = await fetchModel(newDataDir(), [MODEL], { isTTY: true });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.match(/: downloaded .* ok$/gm)?.length, 6);
});
