import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MAX_DOCUMENT_BYTES, openSource, SourceError } from './read-source.js';

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
  assert.equal(JSON.parse(lines[327]!.text!)._listingDate, '2025-03-18');
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
    (e: Error) => e instanceof SourceError && e.message.startsWith(`${truncated}: corrupt gzip data (`) && e.line === read + 1,
  );
  assert.ok(read > 0, 'lines before the damage are still read');
});

/** Runs `read` and returns how many characters and bytes were searched for a newline, summed over every search. */
async function newlineSearchWork(read: () => Promise<unknown>): Promise<number> {
  const stringIndexOf = String.prototype.indexOf;
  const bufferIndexOf = Buffer.prototype.indexOf;
  let work = 0;
  const count = (length: number, from: number | undefined, found: number) => (work += (found === -1 ? length : found + 1) - (from ?? 0));
  String.prototype.indexOf = function (this: string, search: string, from?: number) {
    const found = stringIndexOf.call(this, search, from);
    if (search === '\n') count(this.length, from, found);
    return found;
  };
  Buffer.prototype.indexOf = function (this: Buffer, value: string | number | Uint8Array, from?: number | BufferEncoding, encoding?: BufferEncoding) {
    const found = bufferIndexOf.call(this, value, from as number, encoding);
    if (value === 0x0a || value === '\n') count(this.length, typeof from === 'number' ? from : 0, found);
    return found;
  };
  try {
    await read();
  } finally {
    String.prototype.indexOf = stringIndexOf;
    Buffer.prototype.indexOf = bufferIndexOf;
  }
  return work;
}

test('a long line is searched once: the work grows with the file, not with the square of the line', async () => {
  // 8 MiB on one line arrives in 128 chunks; searching from the line's start each time was 64 times the file.
  const path = join(tmp, 'long-line.jsonl');
  const long = 'x'.repeat(8 * 1024 * 1024);
  writeFileSync(path, `{"a":1}\n${long}\n{"b":2}\n`);
  const texts: (string | null)[] = [];
  const work = await newlineSearchWork(async () => {
    for await (const l of (await openSource(path)).lines()) texts.push(l.text);
  });
  assert.deepEqual(texts.map((t) => t?.length), [7, long.length, 7]);
  assert.ok(texts[1] === long);
  assert.ok(work <= long.length + 32, `searched ${work} characters for newlines in a ${long.length + 17}-byte file`);
});

test('a 40 MB line reads whole', async () => {
  const long = 'x'.repeat(40 * 1000 * 1000);
  writeFileSync(join(tmp, 'forty.jsonl'), `{"a":1}\n${long}\r\nnext`);
  const lines = await allLines(join(tmp, 'forty.jsonl'));
  assert.equal(lines.length, 3);
  assert.ok(lines[1]!.text === long, 'the long line differs');
  assert.deepEqual(lines[2], { n: 3, text: 'next' });
});

test('multi-byte characters split across chunks are decoded whole, plain and gzipped', async () => {
  const long = `${'é€'.repeat(100_000)}😀`;
  writeFileSync(join(tmp, 'accents.jsonl'), `${long}\n${long}`);
  writeFileSync(join(tmp, 'accents.jsonl.gz'), gzipSync(`${long}\n${long}`));
  for (const name of ['accents.jsonl', 'accents.jsonl.gz']) {
    const lines = await allLines(join(tmp, name));
    assert.ok(lines.length === 2 && lines.every((l) => l.text === long), name);
  }
});

test('a line longer than the limit is streamed past (text null) and the following lines are read', async () => {
  const max = 100 * 1024;
  const exactly = 'e'.repeat(max);
  const content = ['one', 'x'.repeat(3 * max), 'three', exactly, `${exactly}f`, 'six', 'y'.repeat(max + 2)].join('\r\n');
  writeFileSync(join(tmp, 'too-long.jsonl'), content);
  writeFileSync(join(tmp, 'too-long.jsonl.gz'), gzipSync(content));
  for (const name of ['too-long.jsonl', 'too-long.jsonl.gz']) {
    const lines = [];
    for await (const l of (await openSource(join(tmp, name))).lines(max)) lines.push(l);
    assert.deepEqual(
      lines.map((l) => [l.n, l.text === null ? null : l.text.slice(0, 5)]),
      [
        [1, 'one'],
        [2, null],
        [3, 'three'],
        [4, 'eeeee'],
        [5, null],
        [6, 'six'],
        [7, null],
      ],
      name,
    );
  }
});

test('text() refuses a document over its limit with a SourceError naming the file', async () => {
  assert.equal(MAX_DOCUMENT_BYTES, 256 * 1024 * 1024);
  const body = `<feed>${'x'.repeat(5000)}</feed>`;
  writeFileSync(join(tmp, 'big.xml'), body);
  writeFileSync(join(tmp, 'big.xml.gz'), gzipSync(body));
  for (const name of ['big.xml', 'big.xml.gz']) {
    const source = await openSource(join(tmp, name));
    await assert.rejects(source.text(1000), (e: Error) => e instanceof SourceError && e.message === `${join(tmp, name)}: larger than 1000 bytes, the most read as one document; split it into smaller files`);
    assert.equal(await source.text(body.length), body);
  }
});
