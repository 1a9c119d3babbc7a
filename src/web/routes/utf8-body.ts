/**
 * Search answers sent as UTF-8 bytes rather than as strings. Node writes a
 * large string that holds any character beyond ASCII (an abstract's "é", the
 * pages' "·" and "…") far more slowly than the same bytes: a plain Node server
 * spent 2.2 ms of its event loop writing a 216 KB /api/papers/search answer
 * as a string, 0.14 ms as bytes, and encoding it costs 0.3-0.8 ms. In the
 * server, keyword-only /api/papers/search went from 10.3-11.6 to 9.7-9.9 ms
 * of main-thread CPU per request (bench:load, Node 20).
 */
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { acceptsGzip, requestHeader } from '../send-cached.js';

/** Smaller answers are sent as they are: compressing them saves less than it costs. */
const COMPRESS_FROM_BYTES = 16 * 1024;

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

/** What `c.json(value)` answers, as bytes. */
export function sendJson(c: Context, value: unknown): Response {
  c.header('Content-Type', 'application/json');
  return c.body(utf8(JSON.stringify(value)));
}

/** What `c.html(text)` answers, as bytes. */
export function sendHtml(c: Context, text: string): Response {
  c.header('Content-Type', 'text/html; charset=UTF-8');
  return c.body(utf8(text));
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * `JSON.stringify(items)` as UTF-8, one item at a time. Node 20 spent ~1.5 ms
 * turning the string JSON.stringify makes of a 200 KB array into bytes (it is
 * built of many small pieces, joined on the way out); fifty 4 KB strings
 * encoded one by one and concatenated take 0.8-1.0 ms in all, against
 * 2.0-2.5 ms for the whole (50 search items, demo data).
 */
export function jsonArrayBytes(items: readonly unknown[]): Buffer {
  const parts: Buffer[] = [OPEN];
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    // As JSON.stringify writes an array: undefined, functions and symbols become null.
    parts.push(Buffer.from(JSON.stringify(item) ?? 'null', 'utf8'));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/**
 * What `c.json(items)` answers, as bytes, gzipped for clients that accept it
 * when it is large: a 216 KB /api/papers/search answer becomes a 50 KB write.
 * Compressed on this thread (~2.5 ms at level 1), not on libuv's thread pool:
 * under load every trip back through a busy event loop waited behind a whole
 * turn of other requests. With the pool (one trip, 64 KB+ output buffer) the
 * bench:load mix gave this route p50 1,081 ms and p99 6,333 ms against 340 ms
 * and 518 ms for the search page; with zlib's 16 KB default chunks (a trip
 * per chunk) p50 was 1.5 s.
 */
export async function sendJsonCompressed(c: Context, items: readonly unknown[]): Promise<Response> {
  const body = jsonArrayBytes(items);
  c.header('Content-Type', 'application/json');
  c.header('Vary', 'Accept-Encoding');
  if (body.byteLength < COMPRESS_FROM_BYTES || !acceptsGzip(requestHeader(c, 'accept-encoding'))) return c.body(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength));
  c.header('Content-Encoding', 'gzip');
  return c.body(new Uint8Array(gzipSync(body, { level: 1, chunkSize: Math.max(64 * 1024, body.byteLength) })));
}
