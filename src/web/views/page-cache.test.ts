import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidatePageCache, PageCache, pageCacheFor } from './page-cache.js';
import type { RenderedPage } from './page-cache.js';

const text = (page: RenderedPage) => new TextDecoder().decode(page.body);

test('a page is built once per TTL; concurrent misses share the build', async () => {
  const cache = new PageCache(60_000);
  let builds = 0;
  const build = async () => `<p>page ${++builds}</p>`;
  const [a, b] = await Promise.all([cache.get('/', build), cache.get('/', build)]);
  assert.equal(builds, 1);
  assert.equal(a, b);
  assert.equal(text(a), '<p>page 1</p>');
  assert.match(a.etag, /^"[\w-]{22}"$/);
  assert.equal(text(await cache.get('/', build)), '<p>page 1</p>');
  assert.equal(cache.fresh('/'), a, 'a built page is available synchronously');
  assert.equal(cache.fresh('/missing'), undefined);
  assert.notEqual((await cache.get('/other', build)).etag, a.etag);
});

test('expired pages are rebuilt and failures are not cached', async () => {
  const cache = new PageCache(0);
  let n = 0;
  await cache.get('/', async () => `v${++n}`);
  assert.equal(text(await cache.get('/', async () => `v${++n}`)), 'v2');
  const failing = new PageCache(60_000);
  await assert.rejects(failing.get('/', async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(text(await failing.get('/', async () => 'fine')), 'fine');
});

test('invalidatePageCache clears the cache belonging to one store', async () => {
  const storeA = {};
  const storeB = {};
  await pageCacheFor(storeA).get('/', async () => 'a1');
  await pageCacheFor(storeB).get('/', async () => 'b1');
  invalidatePageCache(storeA);
  assert.equal(text(await pageCacheFor(storeA).get('/', async () => 'a2')), 'a2');
  assert.equal(text(await pageCacheFor(storeB).get('/', async () => 'b2')), 'b1');
});
