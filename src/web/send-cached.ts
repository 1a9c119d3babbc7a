import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { headersFor, withHeadersBuiltIn } from './response-headers.js';
import { gzipOf } from './views/page-cache.js';
import type { RenderedPage } from './views/page-cache.js';

/**
 * Answer with a cached representation (gzipped when the client accepts it),
 * or 304 when the client already has it. The Response is built directly, its
 * security and CORS headers included, with no middleware reading it back,
 * which keeps the node adapter on its fast path.
 */
export function sendCached(c: Context, page: RenderedPage, cacheControl: string): Response {
  return withHeadersBuiltIn(respond(c, page, { ...headersFor(c.req.path), ...page.headers, 'Cache-Control': cacheControl, ETag: page.etag, Vary: 'Accept-Encoding' }));
}

function respond(c: Context, page: RenderedPage, headers: Record<string, string>): Response {
  const gzip = acceptsGzip(requestHeader(c, 'accept-encoding'));
  // Each encoding is its own representation, so it gets its own validator.
  if (gzip) headers.ETag = `${page.etag.slice(0, -1)}-gz"`;
  if (matchesEtag(requestHeader(c, 'if-none-match'), headers.ETag as string)) return new Response(null, { status: 304, headers });
  if (!gzip) return new Response(page.body, { status: 200, headers });
  headers['Content-Encoding'] = 'gzip';
  return new Response(gzipOf(page), { status: 200, headers });
}

/** A request header, read from Node's already-parsed headers when served by Node (cheaper than building a Headers object). */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export const acceptsGzip = (accept: string | undefined) => accept !== undefined && accept.includes('gzip') && !/gzip\s*;\s*q=0(\.0*)?\s*(,|$)/.test(accept);

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
