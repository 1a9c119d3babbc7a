import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Hono } from 'hono';
import Parser from 'rss-parser';
import { loadConfig } from '../../config.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { createApp } from '../app.js';
import { invalidatePageCache } from './pages.js';
import { buildDailyItem } from '../../../test/support/build.js';
import { listingRecords, listingItems } from '../../../test/fixtures/api/load.js';

const BASE = 'https://papers.example.org';
const records = listingRecords();
const dates = [...new Set(records.map((r) => r._listingDate))].sort().reverse();
const recentDates = new Set(dates.slice(0, 7));
const upvotesOf = new Map(listingItems().map((i) => [i.paper.id, i.community?.upvotes ?? 0]));

let store: SqliteStore;
let app: Hono;
before(async () => {
  store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems(listingItems());
  app = createApp({ store, config: loadConfig({ PAPERBOY_BASE_URL: BASE, PAPERBOY_DEMO_DATA: 'off' }) });
});
after(() => store.close());

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'author', 'category', 'link'].includes(name) });
const decodeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const has = (cats: string[], c: string) => cats.some((x) => x === c || x.startsWith(`${c}.`));

async function fetchFeed(path: string, contentType: RegExp) {
  const res = await app.request(path);
  assert.equal(res.status, 200, path);
  assert.match(res.headers.get('content-type') ?? '', contentType);
  const text = await res.text();
  assert.equal(XMLValidator.validate(text), true, `${path} is well-formed XML`);
  return { text, parsed: await new Parser().parseString(text), tree: xml.parse(text) as Record<string, Record<string, unknown>> };
}
const rss = (q = '') => fetchFeed(`/feed.xml${q}`, /^application\/rss\+xml; charset=utf-8$/);
const atom = (q = '') => fetchFeed(`/feed.atom${q}`, /^application\/atom\+xml; charset=utf-8$/);

describe('RSS 2.0 /feed.xml', () => {
  test('carries the last 7 list dates, newest date first, then most upvoted', async () => {
    const { parsed, tree } = await rss();
    const expected = records.filter((r) => recentDates.has(r._listingDate));
    assert.equal(parsed.items.length, expected.length);
    assert.deepEqual(parsed.items.map((i) => i.link).sort(), expected.map((r) => `${BASE}/papers/${r.id}`).sort());
    const keys = parsed.items.map((i) => {
      const id = (i.link ?? '').replace(`${BASE}/papers/`, '');
      return [records.find((r) => r.id === id)?._listingDate ?? '', upvotesOf.get(id) ?? 0] as const;
    });
    for (let k = 1; k < keys.length; k++) {
      const [d0, u0] = keys[k - 1] as readonly [string, number];
      const [d1, u1] = keys[k] as readonly [string, number];
      assert.ok(d0 > d1 || (d0 === d1 && u0 >= u1), `item ${k} out of order`);
    }
    const channel = (tree.rss as Record<string, Record<string, unknown>>).channel as Record<string, unknown>;
    for (const el of ['title', 'link', 'description']) assert.ok(channel[el], `channel ${el}`);
    for (const item of channel.item as Record<string, unknown>[]) assert.ok(item.title || item.description);
  });

  test('an item has title, link, stable guid, list-time pubDate, abstract, authors and categories', async () => {
    const first = await rss();
    const second = await rss();
    assert.deepEqual(first.parsed.items.map((i) => i.guid), second.parsed.items.map((i) => i.guid));
    for (const item of first.parsed.items) {
      const id = (item.link ?? '').replace(`${BASE}/papers/`, '');
      const r = records.find((x) => x.id === id);
      assert.ok(r, item.link);
      const pos = records.indexOf(r);
      assert.equal(decodeHtml(item.title ?? ''), r.title);
      assert.equal(item.guid, `${BASE}/papers/${id}#daily-${r._listingDate}`);
      assert.equal(item.isoDate, `${r._listingDate}T08:${String(pos % 60).padStart(2, '0')}:00.000Z`);
      assert.equal(decodeHtml(item.content ?? ''), r.summary);
      assert.equal(item.creator, r.authors.join(', '));
      assert.deepEqual(item.categories, r.categories);
    }
  });

  test('a real title with <think> and & is HTML-escaped text that decodes to the original', async () => {
    const { parsed } = await rss();
    const titleOf = (id: string) => parsed.items.find((i) => i.link === `${BASE}/papers/${id}`)?.title ?? '';
    const think = records.find((r) => r.title.includes('<think>'));
    assert.ok(think && recentDates.has(think._listingDate));
    assert.doesNotMatch(titleOf(think.id), /<think>/);
    assert.equal(decodeHtml(titleOf(think.id)), think.title);
    const amp = records.filter((r) => r.title.includes('&') && recentDates.has(r._listingDate));
    assert.ok(amp.length > 0);
    for (const r of amp) assert.equal(decodeHtml(titleOf(r.id)), r.title);
  });

  test('category includes, exclude excludes, archives match their categories; the self link keeps the query', async () => {
    const recent = records.filter((r) => recentDates.has(r._listingDate));
    const cv = await rss('?category=cs.CV');
    assert.equal(cv.parsed.items.length, recent.filter((r) => has(r.categories, 'cs.CV')).length);
    for (const i of cv.parsed.items) assert.ok(i.categories?.includes('cs.CV'));
    assert.equal(cv.parsed.feedUrl, `${BASE}/feed.xml?category=cs.CV`);

    const q = '?category=cs.CL,eess&exclude=cs.AI';
    const mixed = await rss(q);
    const want = recent.filter((r) => (has(r.categories, 'cs.CL') || has(r.categories, 'eess')) && !has(r.categories, 'cs.AI'));
    assert.ok(want.length > 0);
    assert.deepEqual(mixed.parsed.items.map((i) => i.link).sort(), want.map((r) => `${BASE}/papers/${r.id}`).sort());
    assert.equal(mixed.parsed.feedUrl, `${BASE}/feed.xml${q}`);
    const repeated = await rss('?category=cs.CL&category=eess&exclude=cs.AI');
    assert.deepEqual(repeated.parsed.items.map((i) => i.link), mixed.parsed.items.map((i) => i.link));

    const none = await rss('?exclude=cs');
    assert.equal(none.parsed.items.length, recent.filter((r) => !has(r.categories, 'cs')).length);
  });

  test('bad filter values are 400', async () => {
    for (const q of ['category=not%20valid', 'exclude=%3Cscript%3E', `category=${Array(21).fill('cs').join(',')}`]) {
      assert.equal((await app.request(`/feed.xml?${q}`)).status, 400, q);
      assert.equal((await app.request(`/feed.atom?${q}`)).status, 400, q);
    }
  });
});

describe('Atom 1.0 /feed.atom', () => {
  test('has the required feed and entry elements and the same items as RSS', async () => {
    const { parsed, tree } = await atom();
    const feed = tree.feed as Record<string, unknown>;
    for (const el of ['id', 'title', 'updated']) assert.ok(feed[el], `feed ${el}`);
    const entries = feed.entry as Record<string, unknown>[];
    for (const e of entries) for (const el of ['id', 'title', 'updated']) assert.ok(e[el], `entry ${el}`);
    const fromRss = (await rss()).parsed.items;
    assert.deepEqual(parsed.items.map((i) => i.link), fromRss.map((i) => i.link));
    assert.deepEqual(parsed.items.map((i) => i.id), fromRss.map((i) => i.guid));
    assert.equal(parsed.feedUrl, `${BASE}/feed.atom`);
    const first = entries[0] as { author: { name: string }[]; category: { '@term': string }[]; link: { '@href': string }[] };
    const r = records.find((x) => `${BASE}/papers/${x.id}` === first.link[0]?.['@href']);
    assert.ok(r);
    assert.deepEqual(first.author.map((a) => a.name), r.authors);
    assert.deepEqual(first.category.map((c) => c['@term']), r.categories);
  });

  test('titles and summaries are HTML-escaped text (type="html") and decode to the original', async () => {
    const { parsed } = await atom('?category=cs.CL');
    const think = records.find((r) => r.title.includes('<think>'));
    const entry = parsed.items.find((i) => i.link === `${BASE}/papers/${think?.id}`);
    assert.ok(think && entry);
    assert.equal(decodeHtml(entry.title ?? ''), think.title);
    assert.equal(decodeHtml(entry.summary ?? ''), think.summary);
  });
});

describe('feeds on a small store', () => {
  test('<script> and & in a title round-trip as text; an empty store gives a valid empty feed', async () => {
    const small = await SqliteStore.open(':memory:');
    await small.migrate();
    const smallApp = createApp({ store: small, config: loadConfig({ PAPERBOY_BASE_URL: BASE, PAPERBOY_DEMO_DATA: 'off' }) });
    try {
      for (const path of ['/feed.xml', '/feed.atom']) {
        const text = await (await smallApp.request(path)).text();
        assert.equal(XMLValidator.validate(text), true);
        assert.equal((await new Parser().parseString(text)).items.length, 0);
      }
      const title = 'Fish & <script>alert("chips")</script> ]]> done';
      const abstract = 'We show x < y && y > z.\u0001';
      await small.upsertItems([buildDailyItem('2025-01-10', { title, abstract, categories: ['cs.CR'] }, 3)]);
      invalidatePageCache(small);
      const rssText = await (await smallApp.request('/feed.xml')).text();
      const atomText = await (await smallApp.request('/feed.atom')).text();
      assert.equal(XMLValidator.validate(rssText), true);
      assert.equal(XMLValidator.validate(atomText), true);
      assert.doesNotMatch(atomText, /<script>/, 'Atom type="html" text is escaped');
      assert.doesNotMatch(rssText, /<script>/, 'RSS titles are escaped the same way');
      const r = (await new Parser().parseString(rssText)).items[0];
      const a = (await new Parser().parseString(atomText)).items[0];
      assert.equal(r?.title, a?.title, 'RSS and Atom carry the same title text');
      assert.equal(decodeHtml(r?.title ?? ''), title);
      assert.equal(decodeHtml(r?.content ?? ''), 'We show x < y && y > z.');
      assert.equal(decodeHtml(a?.title ?? ''), title);
      assert.equal(decodeHtml(a?.summary ?? ''), 'We show x < y && y > z.');
    } finally {
      await small.close();
    }
  });
});

describe('feed caching', () => {
  test('a feed is compressed once and revalidated by its ETag (304)', async () => {
    for (const path of ['/feed.xml', '/feed.atom']) {
      const plain = await app.request(path);
      const gz = await app.request(path, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers.get('content-encoding'), 'gzip', path);
      assert.equal(gz.headers.get('vary'), 'Accept-Encoding');
      assert.equal(gz.headers.get('cache-control'), 'public, max-age=60');
      assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), await plain.text(), `${path}: same feed either way`);
      const etag = gz.headers.get('etag');
      assert.match(etag ?? '', /^"[\w-]+-gz"$/);
      const again = await app.request(path, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag as string } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
    }
  });

  test('filters are cached by their meaning; new data shows after invalidatePageCache', async () => {
    const small = await SqliteStore.open(':memory:');
    await small.migrate();
    const smallApp = createApp({ store: small, config: loadConfig({ PAPERBOY_BASE_URL: BASE, PAPERBOY_DEMO_DATA: 'off' }) });
    const titles = async (path: string) => (await new Parser().parseString(await (await smallApp.request(path)).text())).items.map((i) => i.title);
    try {
      await small.upsertItems([buildDailyItem('2025-01-10', { title: 'First', categories: ['cs.CV'] }, 1)]);
      assert.deepEqual(await titles('/feed.xml?category=cs&exclude=cs.AI'), ['First']);
      await small.upsertItems([buildDailyItem('2025-01-10', { title: 'Second', categories: ['cs.CV'] }, 2)]);
      assert.deepEqual(await titles('/feed.xml?exclude=cs.AI&category=cs&utm_source=x'), ['First'], 'the same filter, served from the cache');
      invalidatePageCache(small);
      assert.deepEqual((await titles('/feed.xml?category=cs&exclude=cs.AI')).sort(), ['First', 'Second']);
    } finally {
      await small.close();
    }
  });
});
