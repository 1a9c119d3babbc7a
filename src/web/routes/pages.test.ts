import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { buildDailyItem } from '../../../test/support/build.js';
import { loadConfig } from '../../config.js';
import type { ImportItem } from '../../model.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { createApp } from '../app.js';
import { invalidatePageCache } from './pages.js';

const config = loadConfig({ PAPERBOY_DEMO_DATA: 'off' });

/** Real Hugging Face daily entries (2024-05-27 .. 2024-06-03, a weekend gap before the last date). */
function hfItems(): ImportItem[] {
  return readLines('daily-sample.jsonl').map((r) => ({
    paper: {
      id: r.id,
      title: r.title,
      abstract: r.summary,
      authors: r.authors.map((a: { name: string }) => a.name),
      publishedAt: r.publishedAt,
      githubRepo: r.githubRepo,
      githubStars: r.githubStars,
      projectPage: r.projectPage,
    },
    daily: { date: r.archiveDate, submittedAt: r.submittedOnDailyAt },
    community: { upvotes: r.upvotes, numComments: r.numComments },
  }));
}

/** Real arXiv .abs records with old-style ids, LaTeX and several versions. */
function absItems(): ImportItem[] {
  return readLines('abs-records.jsonl').map((r) => ({
    paper: {
      id: r.id,
      version: r.versions.length,
      title: r.title,
      abstract: r.abstract,
      authors: r.authors.split(/,\s*|\s+and\s+/),
      categories: r.categories.split(' '),
      comment: r.comments,
      versions: r.versions.map((v: { version: string; created: string; size: string }) => ({
        version: Number(v.version.slice(1)),
        submittedAt: new Date(v.created).toISOString(),
        size: v.size,
      })),
    },
  }));
}

function readLines(name: string) {
  const text = readFileSync(new URL(`../../../test/fixtures/pages/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

async function freshSite(items: ImportItem[] = []) {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  if (items.length) await store.upsertItems(items);
  return { store, app: createApp({ store, config }) };
}

type Site = Awaited<ReturnType<typeof freshSite>>;

async function get(site: Site, path: string, headers: Record<string, string> = {}) {
  const res = await site.app.request(path, { headers });
  return { res, status: res.status, html: await res.text() };
}

const count = (html: string, needle: string | RegExp) => (typeof needle === 'string' ? html.split(needle).length - 1 : (html.match(needle) ?? []).length);
const hrefOf = (html: string, rel: 'prev' | 'next') => /<nav class="period-nav" aria-label="Pagination">.*?<\/nav>/s.exec(html)?.[0].match(new RegExp(`rel="${rel}" href="([^"]+)"`))?.[1] ?? null;
/** Card titles (link text) in page order. */
const cardIds = (html: string) => [...html.matchAll(/<article class="paper-card"[^>]*data-paper-id="([^"]+)"/g)].map((m) => m[1]);

describe('pages over real daily entries', () => {
  let site: Site;
  const hf = hfItems();
  const onDay = (date: string) => hf.filter((i) => i.daily?.date === date);

  before(async () => {
    site = await freshSite([...hf, ...absItems()]);
  });
  after(() => site.store.close());

  test('/ shows the latest day, most upvoted first, with landmarks, feeds and the date picker', async () => {
    const { status, html, res } = await get(site, '/');
    assert.equal(status, 200);
    assert.equal(count(html, '<h1'), 1);
    assert.match(html, /<h1>.*<time datetime="2024-06-03">Monday, June 3, 2024<\/time><\/h1>/);
    const expected = onDay('2024-06-03').sort((a, b) => (b.community?.upvotes ?? 0) - (a.community?.upvotes ?? 0));
    assert.deepEqual(cardIds(html), expected.map((i) => i.paper.id));
    for (const landmark of ['<header', '<nav aria-label="Main"', '<main', '<footer']) assert.ok(html.includes(landmark), landmark);
    assert.ok(html.includes('<link rel="alternate" type="application/rss+xml" title="Paperboy daily papers (RSS)" href="/feed.xml">'));
    for (const href of ['/feed.xml', '/feed.atom', '/api/daily_papers']) assert.ok(html.includes(`href="${href}"`), href);
    assert.match(html, /<label for="date-picker-input">Go to date<\/label>\s*<input id="date-picker-input" type="date" name="date" value="2024-06-03"/);
    assert.match(html, /<form class="date-picker" method="get" action="\/papers\/date">/);
    assert.equal(hrefOf(html, 'prev'), '/papers/date/2024-05-31', 'skips the empty weekend');
    assert.equal(hrefOf(html, 'next'), null);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const again = await get(site, '/', { 'If-None-Match': res.headers.get('etag') as string });
    assert.equal(again.status, 304);
    const gz = await site.app.request('/', { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.notEqual(gz.headers.get('etag'), res.headers.get('etag'));
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), html);
  });

  test('a card shows three authors and the count, arXiv date, upvotes, comments and a cut abstract', async () => {
    const { html } = await get(site, '/papers/date/2024-05-27');
    const convllava = hf.find((i) => i.paper.id === '2405.15738')?.paper;
    assert.ok(convllava);
    const card = /<article class="paper-card"[^>]*data-paper-id="2405.15738">.*?<\/article>/s.exec(html)?.[0] ?? '';
    assert.ok(card.includes('<h2><a href="/papers/2405.15738">ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models</a></h2>'));
    assert.ok(card.includes(`${convllava.authors.slice(0, 3).join(', ')} · <span class="nowrap">9 authors</span>`));
    assert.ok(!card.includes(convllava.authors[3] as string), 'only three names');
    assert.ok(card.includes('Published on <time datetime="2024-05-24">May 24, 2024</time>'));
    assert.ok(card.includes('<p class="votes"><b>32</b> upvotes</p>'));
    assert.ok(card.includes('3 comments'));
    const preview = /<p class="summary">(.*?)<\/p>/s.exec(card)?.[1] ?? '';
    assert.ok(preview.endsWith('…') && preview.length <= 310, preview);
    assert.ok(convllava.abstract.replace(/\s+/g, ' ').startsWith(preview.slice(0, -1)), 'cut on a word boundary of the abstract');
  });

  test('a middle day links to both neighbours and to its week and month', async () => {
    const { html } = await get(site, '/papers/date/2024-05-29');
    assert.equal(hrefOf(html, 'prev'), '/papers/date/2024-05-28');
    assert.equal(hrefOf(html, 'next'), '/papers/date/2024-05-30');
    assert.ok(html.includes('href="/papers/week/2024-W22"') && html.includes('href="/papers/month/2024-05"'));
    assert.equal(cardIds(html).length, onDay('2024-05-29').length);
  });

  test('a date with no papers is a friendly 200 page with the navigation', async () => {
    const { status, html } = await get(site, '/papers/date/2024-06-01');
    assert.equal(status, 200);
    assert.ok(html.includes('No papers on this day.'));
    assert.equal(hrefOf(html, 'prev'), '/papers/date/2024-05-31');
    assert.equal(hrefOf(html, 'next'), '/papers/date/2024-06-03');
  });

  test('sort links: newest orders by arXiv date and is marked current', async () => {
    const { html } = await get(site, '/papers/date/2024-05-28?sort=newest');
    const expected = onDay('2024-05-28').sort((a, b) => Date.parse(b.paper.publishedAt ?? '') - Date.parse(a.paper.publishedAt ?? '') || a.paper.id.localeCompare(b.paper.id));
    assert.deepEqual(cardIds(html), expected.map((i) => i.paper.id));
    assert.ok(html.includes('<a href="/papers/date/2024-05-28?sort=newest" aria-current="true">Newest</a>'));
    assert.ok(html.includes('<a href="/papers/date/2024-05-28">Most upvoted</a>'));
    assert.equal(hrefOf(html, 'prev'), '/papers/date/2024-05-27?sort=newest', 'navigation keeps the sort');
  });

  test('week and month views cover their dates and step by the calendar', async () => {
    const week = await get(site, '/papers/week/2024-W22');
    assert.equal(week.status, 200);
    const inWeek = hf.filter((i) => (i.daily?.date ?? '') <= '2024-06-02').length;
    assert.ok(week.html.includes(`1–50 of ${inWeek} papers`));
    const rest = await get(site, '/papers/week/2024-W22?p=2');
    assert.equal(cardIds(week.html).length + cardIds(rest.html).length, inWeek);
    assert.equal(hrefOf(week.html, 'prev'), null, 'no data before');
    assert.equal(hrefOf(week.html, 'next'), '/papers/week/2024-W23');
    const month = await get(site, '/papers/month/2024-06');
    assert.equal(cardIds(month.html).length, onDay('2024-06-03').length);
    assert.equal(hrefOf(month.html, 'prev'), '/papers/month/2024-05');
    assert.equal(hrefOf(month.html, 'next'), null);
  });

  test('the date picker redirects (302) and bad dates, weeks and months are 400 pages', async () => {
    const res = await site.app.request('/papers/date?date=2024-05-29');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/papers/date/2024-05-29');
    assert.equal((await site.app.request('/papers/date?date=2024-05-29&sort=newest')).headers.get('location'), '/papers/date/2024-05-29?sort=newest');
    for (const path of ['/papers/date?date=29.05.2024', '/papers/date', '/papers/date/2024-02-30', '/papers/week/2024-W60', '/papers/month/2024-13', '/?sort=hot', '/?p=0', '/?category=%3Cb%3E']) {
      const { status, html } = await get(site, path);
      assert.equal(status, 400, path);
      assert.equal(count(html, '<h1'), 1);
      assert.ok(!html.includes('<b>'), `${path}: message escaped`);
    }
    assert.match((await get(site, '/papers/date/2024-02-30')).html, /&quot;2024-02-30&quot; is not a date; write it as YYYY-MM-DD/);
  });

  test('the paper page shows everything, with arXiv links and the daily lists', async () => {
    const paper = hf.find((i) => i.paper.id === '2405.15738')?.paper;
    assert.ok(paper);
    const { status, html } = await get(site, '/papers/2405.15738');
    assert.equal(status, 200);
    assert.equal(count(html, '<h1'), 1);
    for (const author of paper.authors) assert.ok(html.includes(author), author);
    assert.ok(html.includes(paper.abstract.replace(/'/g, '&#39;')), 'the full abstract');
    assert.ok(html.includes('href="https://arxiv.org/abs/2405.15738"') && html.includes('href="https://arxiv.org/pdf/2405.15738"'));
    assert.ok(html.includes('<a href="/papers/date/2024-05-27"><time datetime="2024-05-27">May 27, 2024</time></a>'));
    assert.ok(html.includes('<span class="vote-count">32</span> upvotes') && html.includes('3 comments'));
  });

  test('old-style ids: page with KaTeX, primary category, versions; versioned ids redirect', async () => {
    const { status, html } = await get(site, '/papers/adap-org/9509003');
    assert.equal(status, 200);
    assert.ok(html.includes('href="https://arxiv.org/abs/adap-org/9509003"'));
    assert.ok(html.includes('<li class="chip chip-primary">adap-org <span class="chip-note">primary</span></li><li class="chip">nlin.AO</li>'));
    assert.ok(html.includes('class="katex"') && html.includes('<annotation encoding="application/x-tex">p_{c}(N)</annotation>'));
    assert.ok(html.includes('/static/katex/katex.min.css'), 'KaTeX stylesheet linked');
    assert.match(html, /v1<\/a> · <time datetime="1995-10-05">Oct 5, 1995<\/time> · 0kb,I/);
    assert.ok(html.includes('v3</a> · <time datetime="1995-11-20">'));
    const title = await get(site, '/papers/acc-phys/9411002');
    assert.match(title.html, /<h1 class="paper-title">Order <span class="katex">/);
    for (const [from, to] of [['/papers/2405.15738v2', '/papers/2405.15738'], ['/papers/adap-org/9509003v3', '/papers/adap-org/9509003']]) {
      const res = await site.app.request(from as string);
      assert.equal(res.status, 301);
      assert.equal(res.headers.get('location'), to);
    }
  });

  test('unknown papers are 404, malformed ids 404 with a message, never 500', async () => {
    const unknown = await get(site, '/papers/2401.99999');
    assert.equal(unknown.status, 404);
    assert.ok(unknown.html.includes('No paper with id 2401.99999') && unknown.html.includes('href="/"'));
    for (const path of ['/papers/not-an-id', '/papers/2405.15738/extra', '/papers/%E2%82%AC']) assert.equal((await get(site, path)).status, 404, path);
  });

  test('static assets: the stylesheet from memory, KaTeX from its package, with long cache headers', async () => {
    const home = (await get(site, '/')).html;
    const cssUrl = /<link rel="stylesheet" href="(\/static\/app\.css\?v=[0-9a-f]+)">/.exec(home)?.[1];
    assert.ok(cssUrl);
    const css = await site.app.request(cssUrl);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(css.headers.get('cache-control') ?? '', /immutable/);
    assert.match(await css.text(), /:focus-visible/);
    for (const path of ['/static/katex/katex.min.css', '/static/katex/fonts/KaTeX_Main-Regular.woff2']) {
      const res = await site.app.request(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000/);
      await res.arrayBuffer();
    }
    assert.equal((await site.app.request('/static/katex/../../package.json')).status, 404);
  });
});

describe('pages over built data', () => {
  test('an empty database explains how to import data', async () => {
    const site = await freshSite();
    const { status, html } = await get(site, '/');
    assert.equal(status, 200);
    assert.ok(html.includes('No papers yet') && html.includes('paperboy import'));
    await site.store.close();
  });

  test('a script in a title or abstract is shown as text on the list and the paper page', async () => {
    const evil = '<script>alert(1)</script> "Quoted" & co';
    const item = buildDailyItem('2024-05-27', { title: evil, abstract: `${evil} abstract`, githubRepo: 'javascript:alert(1)' }, 5);
    const site = await freshSite([item]);
    for (const path of ['/', `/papers/${item.paper.id}`]) {
      const { html } = await get(site, path);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &quot;Quoted&quot; &amp; co'), path);
      const ownScript = /<script src="\/static\/search\.js\?v=[0-9a-f]+" defer><\/script>/;
      assert.equal(count(html.replace(ownScript, ''), '<script'), 0, `${path}: no script element from data, only the site's own`);
      assert.ok(!html.includes('javascript:'), `${path}: no javascript: link`);
    }
    await site.store.close();
  });

  test('long lists are paginated 50 a page; a category filter narrows them', async () => {
    const items = Array.from({ length: 120 }, (_, i) =>
      buildDailyItem(`2024-05-${String(1 + (i % 28)).padStart(2, '0')}`, { categories: i % 4 === 0 ? ['cs.CV'] : ['cs.CL'] }, i),
    );
    const site = await freshSite(items);
    const first = await get(site, '/papers/month/2024-05');
    assert.equal(cardIds(first.html).length, 50);
    assert.ok(first.html.includes('1–50 of 120 papers'));
    assert.ok(first.html.includes('<nav class="result-pages" aria-label="Result pages"><span class="page-status">Page 1 of 3</span><a class="page-next" href="/papers/month/2024-05?p=2">'));
    const last = await get(site, '/papers/month/2024-05?p=3');
    assert.equal(cardIds(last.html).length, 20);
    assert.equal(cardIds(last.html).at(-1), items[0]?.paper.id, 'fewest upvotes last');
    assert.equal((await get(site, '/papers/month/2024-05?p=4')).status, 404);
    const cv = await get(site, '/papers/month/2024-05?category=cs.CV');
    assert.equal(cardIds(cv.html).length, 30);
    assert.ok(cv.html.includes('in <strong>cs.CV</strong>'));
    assert.ok(cv.html.includes('href="/papers/month/2024-04?category=cs.CV"') === false, 'no data before May');
    assert.ok(cv.html.includes('<a href="/papers/week/2024-W18?category=cs.CV">Week</a>'), 'view links keep the filter');
    await site.store.close();
  });

  test('pages are cached briefly and invalidatePageCache shows new data at once', async () => {
    const site = await freshSite([buildDailyItem('2024-05-27', { title: 'First paper' })]);
    assert.ok((await get(site, '/')).html.includes('First paper'));
    await site.store.upsertItems([buildDailyItem('2024-05-27', { title: 'Second paper' })]);
    assert.ok(!(await get(site, '/')).html.includes('Second paper'), 'served from the cache');
    invalidatePageCache(site.store);
    assert.ok((await get(site, '/')).html.includes('Second paper'));
    await site.store.close();
  });
});
