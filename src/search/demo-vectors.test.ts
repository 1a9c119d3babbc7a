import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { loadDemoVectors, packageVectors, VectorFileError } from './demo-vectors.js';
import { paperTextHash } from './index-papers.js';
import { dot } from './vector-math.js';
import { fixtureRecords, fixtureVectors, USE_LITE_ID, VECTORS_F32 } from '../../test/fixtures/semantic/kit.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-demo-vectors-'));
const DEMO_FILE = new URL('../../demo/hf-daily-papers.use-lite-512-v1.vectors.jsonl.gz', import.meta.url);
let n = 0;
const tmp = (name: string) => join(dir, `${++n}-${name}`);

async function packaged(): Promise<string> {
  const out = tmp('v.jsonl.gz');
  assert.equal(await packageVectors(VECTORS_F32.pathname, out, USE_LITE_ID, 512), 60);
  return out;
}

async function freshStore(): Promise<SqliteStore> {
  const store = await SqliteStore.open(tmp('s.db'));
  await store.migrate();
  return store;
}

test('packageVectors writes a header and one int8 line per paper, sorted, close to the float vectors', async () => {
  const out = await packaged();
  const lines = gunzipSync(readFileSync(out)).toString('utf8').trim().split('\n');
  assert.deepEqual(JSON.parse(lines[0]!), { format: 'paperboy-vectors', version: 1, embedder: USE_LITE_ID, dimensions: 512 });
  const rows = lines.slice(1).map((l) => JSON.parse(l) as { id: string; textHash: string; scale: number; q: string });
  assert.equal(rows.length, 60);
  assert.deepEqual(rows.map((r) => r.id), rows.map((r) => r.id).sort());
  const floats = fixtureVectors();
  for (const r of rows) {
    const q = new Int8Array(Buffer.from(r.q, 'base64'));
    assert.equal(q.length, 512);
    assert.ok(dot(Array.from(q, (x) => x * r.scale), floats.get(r.id)!) > 0.999, r.id);
  }
});

test('packageVectors: a later line for the same id wins; bad lines name the file and line', async () => {
  const [a, b] = readFileSync(VECTORS_F32, 'utf8').split('\n');
  const first = JSON.parse(a!) as { id: string; textHash: string };
  const input = tmp('dup.jsonl');
  writeFileSync(input, `${a}\n${b}\n${JSON.stringify({ ...JSON.parse(b!), id: first.id, textHash: 'later' })}\n`);
  const out = tmp('dup.gz');
  assert.equal(await packageVectors(input, out, USE_LITE_ID, 512), 2);
  assert.match(gunzipSync(readFileSync(out)).toString(), /"textHash":"later"/);
  const bad = tmp('bad.jsonl');
  writeFileSync(bad, `${a}\n{"id":"x","textHash":"y","v":"AAAA"}\n`);
  await assert.rejects(packageVectors(bad, tmp('x.gz'), USE_LITE_ID, 512), new VectorFileError(`${bad}:2: vector is 3 bytes, expected 2048 (512 float32 components)`));
  writeFileSync(bad, 'nope\n');
  await assert.rejects(packageVectors(bad, tmp('x.gz'), USE_LITE_ID, 512), /bad\.jsonl:1: not JSON/);
});

test('loadDemoVectors stores vectors whose paper text matches, leaves changed papers for the indexer, and runs once', async () => {
  const file = await packaged();
  const store = await freshStore();
  const records = fixtureRecords();
  const changed = records.slice(0, 2).map((p) => ({ ...p, abstract: `${p.abstract} Revised.` }));
  await store.upsertItems([...changed, ...records.slice(2, 57)].map((paper) => ({ paper })));
  const report = await loadDemoVectors(store, file, USE_LITE_ID);
  assert.deepEqual(report, { stored: 55, textChanged: 2, unknown: 3, alreadyIndexed: 0 });
  assert.deepEqual((await store.papersNeedingEmbedding(USE_LITE_ID, { limit: 10 })).map((t) => t.paperId).sort(), changed.map((p) => p.id).sort());
  const stored = (await store.getEmbedding(USE_LITE_ID, records[10]!.id))!;
  assert.equal(stored.textHash, paperTextHash(records[10]!.title, records[10]!.abstract));
  assert.ok(dot(Array.from(stored.vector, (x) => x * stored.scale), fixtureVectors().get(records[10]!.id)!) > 0.999);

  assert.deepEqual(await loadDemoVectors(store, file, USE_LITE_ID), { stored: 0, textChanged: 0, unknown: 0, alreadyIndexed: 0, skippedBecause: 'already loaded' });
  const other = await loadDemoVectors(store, file, 'st-all-MiniLM-L6-v2-mean-fp32-1234abcd');
  assert.equal(other.stored, 0);
  assert.match(other.skippedBecause ?? '', /vectors are for use-lite-512-v1/);
  assert.equal(await store.latestEmbeddingSeq(), 55);
  await store.close();
});

test('loadDemoVectors refuses a damaged file with a clear error', async () => {
  const store = await freshStore();
  await store.upsertItems(fixtureRecords().map((paper) => ({ paper })));
  const noHeader = tmp('nohead.jsonl.gz');
  writeFileSync(noHeader, gzipSync('{"id":"x"}\n'));
  await assert.rejects(loadDemoVectors(store, noHeader, USE_LITE_ID), /nohead\.jsonl\.gz:1: not a paperboy vectors file/);
  const truncated = tmp('trunc.jsonl.gz');
  const good = readFileSync(await packaged());
  writeFileSync(truncated, good.subarray(0, good.length >> 1));
  await assert.rejects(loadDemoVectors(store, truncated, USE_LITE_ID), /unexpected end of file/);
  const badLine = tmp('badline.jsonl.gz');
  writeFileSync(badLine, gzipSync(`${JSON.stringify({ format: 'paperboy-vectors', version: 1, embedder: USE_LITE_ID, dimensions: 512 })}\n{"id":"2405.13729","textHash":"a","scale":0.1,"q":"AAAA"}\n`));
  await assert.rejects(loadDemoVectors(store, badLine, USE_LITE_ID), /badline\.jsonl\.gz:2: vector has 3 components, expected 512/);
  assert.equal(await store.getState(`demo-vectors:${USE_LITE_ID}:${badLine.split('/').pop()}`), null, 'a failed load is not marked done');
  await store.close();
});

test('the committed demo vectors file covers the demo papers with their current text', { skip: !existsSync(DEMO_FILE) && 'demo vectors not packaged yet' }, () => {
  const lines = gunzipSync(readFileSync(DEMO_FILE)).toString('utf8').trim().split('\n');
  assert.equal(JSON.parse(lines[0]!).embedder, USE_LITE_ID);
  assert.equal(lines.length - 1, 9877);
  const byId = new Map(lines.slice(1).map((l) => JSON.parse(l) as { id: string; textHash: string; scale: number; q: string }).map((r) => [r.id, r]));
  const floats = fixtureVectors();
  for (const p of fixtureRecords()) {
    const r = byId.get(p.id)!;
    assert.equal(r.textHash, paperTextHash(p.title, p.abstract), p.id);
    assert.ok(dot(Array.from(new Int8Array(Buffer.from(r.q, 'base64')), (x) => x * r.scale), floats.get(p.id)!) > 0.999);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
