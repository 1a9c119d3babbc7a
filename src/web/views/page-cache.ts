/**
 * A short-lived cache of rendered responses (a "microcache"): the list pages,
 * paper pages, /api/daily_papers, /api/papers/{id} and the feeds. Under load
 * each is built and gzipped at most once per TTL, so the daily page costs
 * about as much as a static file.
 *
 * Bound on staleness: an entry is served for at most PAGE_TTL_MS (2 s) after
 * its build started. Code that changes what a page shows (a vote, a comment,
 * an import in this process) calls `invalidatePageCache(store)` to drop them at
 * once; other processes sharing the database do not hear of it and show the
 * change within PAGE_TTL_MS. (Clients may keep an answer longer: the API and
 * feeds say max-age=60; pages say no-cache and revalidate by ETag.)
 *
 * Only anonymous responses may be cached: the key is the URL alone, so
 * anything that depends on who asks (a signed-in user's votes, a cookie)
 * must bypass this cache.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LruMap } from '../../lru.js';

export interface RenderedPage {
  /** The page as UTF-8, encoded once rather than on every response. */
  body: Uint8Array<ArrayBuffer>;
  /** Response headers that belong to this representation (Content-Type, Link, ...). */
  headers: Record<string, string>;
  /** Strong validator of the body, quoted. */
  etag: string;
  /** The gzip encoding, made on first demand. */
  gzip?: Uint8Array<ArrayBuffer>;
}

/** The page gzipped, compressed once per cached page. */
export function gzipOf(page: RenderedPage): Uint8Array<ArrayBuffer> {
  page.gzip ??= new Uint8Array(gzipSync(page.body, { level: 6 }));
  return page.gzip;
}

interface Entry {
  expires: number;
  page: Promise<RenderedPage>;
  /** Set once built, so a hit can be answered without waiting on a promise. */
  ready?: RenderedPage;
}

export const PAGE_TTL_MS = 2000;
const MAX_PAGES = 500;

export class PageCache {
  private readonly entries = new LruMap<string, Entry>(MAX_PAGES);

  constructor(private readonly ttlMs = PAGE_TTL_MS) {}

  /** The built, unexpired page for `key`, if there is one. */
  fresh(key: string): RenderedPage | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expires > Date.now() ? hit.ready : undefined;
  }

  /** The cached page for `key`, or the one `build` makes; concurrent misses share one build. Failures are not cached. */
  get(key: string, build: () => Promise<string | BuiltBody>): Promise<RenderedPage> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.page;
    const entry: Entry = { expires: now + this.ttlMs, page: build().then(toRendered) };
    this.entries.set(key, entry);
    entry.page.then(
      (page) => (entry.ready = page),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.page;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** What a builder returns when the response needs more than an HTML body. */
export interface BuiltBody {
  body: string;
  headers: Record<string, string>;
}

const HTML_HEADERS = Object.freeze({ 'Content-Type': 'text/html; charset=UTF-8' });

function toRendered(built: string | BuiltBody): RenderedPage {
  const { body: text, headers } = typeof built === 'string' ? { body: built, headers: HTML_HEADERS } : built;
  const body = Buffer.from(text, 'utf8');
  return { body, headers, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` };
}

// One cache per store, so anything holding the store can invalidate the pages built from it.
const caches = new WeakMap<object, PageCache>();

export function pageCacheFor(store: object): PageCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new PageCache();
    caches.set(store, cache);
  }
  return cache;
}

/** Forget every cached page built from `store` (call after writing to it). */
export function invalidatePageCache(store: object): void {
  caches.get(store)?.clear();
}
