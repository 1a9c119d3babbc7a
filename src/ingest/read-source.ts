/**
 * Open an input file for the importers: gzip is undone transparently (by the
 * magic bytes, not the name), lines stream one at a time.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** The file cannot be read at all; the message names it. */
export class SourceError extends Error {}

export interface SourceLine {
  /** 1-based */
  n: number;
  text: string;
}

export interface Source {
  path: string;
  gzipped: boolean;
  /** Size on disk, in bytes. */
  size: number;
  /** Up to `maxChars` characters from the start of the (decompressed) text. */
  head(maxChars?: number): Promise<string>;
  /** Every line, without its line ending, streamed. */
  lines(): AsyncIterable<SourceLine>;
  /** The whole (decompressed) text. */
  text(): Promise<string>;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}

async function* chunks(stream: Readable, path: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) yield decoder.write(chunk as Buffer);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const gz = e.code?.startsWith('Z_') ? 'corrupt gzip data: ' : '';
    throw new SourceError(`${path}: ${gz}${describe(err)}`);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function stripBom(s: string, lineNumber: number): string {
  return lineNumber === 1 && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export async function openSource(path: string): Promise<Source> {
  let size: number;
  let gzipped: boolean;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = info.size;
    const handle = await open(path, 'r');
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new SourceError(`${path}: ${describe(err)}`);
  }

  const stream = (): Readable => {
    const file = createReadStream(path);
    if (!gzipped) return file;
    // pipeline() destroys the gunzip stream with the error of either side, so readers see it.
    return pipeline(file, createGunzip(), () => {});
  };

  return {
    path,
    gzipped,
    size,
    async head(maxChars = 64 * 1024) {
      const s = stream();
      let out = '';
      try {
        for await (const c of chunks(s, path)) {
          out += c;
          if (out.length >= maxChars) break;
        }
      } catch (err) {
        // Damage further on is for the full read to report; the start is enough to detect the format.
        if (out === '') throw err;
      } finally {
        s.destroy();
      }
      return stripBom(out, 1).slice(0, maxChars);
    },
    async *lines() {
      let n = 0;
      let pending = '';
      for await (const c of chunks(stream(), path)) {
        pending += c;
        let start = 0;
        let nl: number;
        while ((nl = pending.indexOf('\n', start)) !== -1) {
          yield { n: ++n, text: stripBom(pending.slice(start, nl).replace(/\r$/, ''), n) };
          start = nl + 1;
        }
        pending = pending.slice(start);
      }
      if (pending.length > 0) yield { n: ++n, text: stripBom(pending.replace(/\r$/, ''), n) };
    },
    async text() {
      let out = '';
      for await (const c of chunks(stream(), path)) out += c;
      return stripBom(out, 1);
    },
  };
}
