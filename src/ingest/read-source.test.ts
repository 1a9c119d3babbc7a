import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openSource, SourceError } from './read-source.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'paperboy-read-source-'));

async function allLines(path: string) {
  const out = [];
  for await (const l of (await openSource(path)).lines()) out.push(l);
  return out;
}

test('gzip is recognised by its magic bytes, whatever the name, and streams the same lines', async () => {
  const text = '{"a":1}\r\n\n{"b":"é"}\n{"c":3}';
  writeFileSync(join(tmp, 'plain.jsonl'), `\ufeff${text}`);
  writeFileSync(join(tmp, 'packed.data'), gzipSync(text));
  const plain = await openSource(join(tmp, 'plain.jsonl'));
  const packed = await openSource(join(tmp, 'packed.data'));
  assert.deepEqual([plain.gzipped, packed.gzipped], [false, true]);
  const expected = [
    { n: 1, text: '{"a":1}' },
    { n: 2, text: '' },
    { n: 3, text: '{"b":"é"}' },
    { n: 4, text: '{"c":3}' },
  ];
  assert.deepEqual(await allLines(join(tmp, 'plain.jsonl')), expected);
  assert.deepEqual(await allLines(join(tmp, 'packed.data')), expected);
  assert.equal(await packed.text(), text);
  assert.equal(await packed.head(5), '{"a":');
  assert.equal(await plain.head(3), '{"a');
});

test('a real gzipped fixture streams line by line', async () => {
  const lines = await allLines(join(fixtures, 'listings/listings-2025-03-18.jsonl.gz'));
  assert.equal(lines.length, 328);
  assert.equal(JSON.parse(lines[327]!.text)._listingDate, '2025-03-18');
});

test('missing files, directories and corrupt gzip are SourceErrors naming the file', async () => {
  await assert.rejects(openSource(join(tmp, 'nope.jsonl')), (e: Error) => e instanceof SourceError && e.message === `${join(tmp, 'nope.jsonl')}: no such file`);
  await assert.rejects(openSource(tmp), (e: Error) => e instanceof SourceError && e.message.endsWith('is a directory'));
  const truncated = join(fixtures, 'bad/truncated.jsonl.gz');
  let read = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of (await openSource(truncated)).lines()) read++;
    })(),
    (e: Error) => e instanceof SourceError && e.message.startsWith(`${truncated}: corrupt gzip data`),
  );
  assert.ok(read > 0, 'lines before the damage are still read');
});
