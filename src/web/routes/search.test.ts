import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { buildPaper } from '../../../test/support/build.js';
import { searchFixturePapers, searchFixtureItems } from '../../../test/fixtures/search-service/load.js';
import { loadConfig } from '../../config.js';
import { keywordText } from '../../search/keyword-query.js';
import { parseQuery } from '../../search/query-parser.js';
import { DEFAULT_MIN_SIMILARITY, SearchService } from '../../search/search-service.js';
import type { SemanticIndex } from '../../search/types.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { RankedIds } from '../../store/store.js';
import { createApp } from '../app.js';

const FIXTURE = searchFixturePapers();
const byId = new Map(FIXTURE.map((p) => [p.id, p]));
const GS = FIXTURE.filter((p) => /gaussian splatting/i.test(`${p.title} ${p.summary}`));

let store: SqliteStore;
let app: Hono;
before(async () => {
  store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems(searchFixtureItems());
  app = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }) });
});
after(() => store.close());

async function page(path: string) {
  const res = await app.request(path);
  return { status: res.status, html: await res.text(), res };
}
async function api(path: string) {
  const res = await app.request(path);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
  return { status: res.status, body: (await res.json()) as unknown, res };
}
const cardIds = (html: string) => [...html.matchAll(/<article class="paper-card search-hit" data-paper-id="([^"]+)"/g)].map((m) => m[1] as string);
const enc = encodeURIComponent;

describe('the search page', () => {
  test('/papers/search is the search page, not a paper id', async () => {
    const { status, html, res } = await page('/papers/search');
    assert.equal(status, 200);
    assert.match(html, /<h1>Search papers<\/h1>/);
    assert.match(html, /<form class="search-form" method="get" action="\/papers\/search" role="search"/);
    for (const id of ['search-q', 'search-mode', 'search-sort', 'search-from', 'search-to', 'search-category', 'search-exclude', 'search-code']) {
      assert.ok(html.includes(`<label for="${id}">`), `label for ${id}`);
    }
    assert.deepEqual(cardIds(html), []);
    assert.ok(!html.includes('search-warnings'), 'no hint before anything was typed');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('every page has the header search box', async () => {
    for (const path of ['/', `/papers/${FIXTURE[0]?.id}`, '/papers/search']) {
      const { html } = await page(path);
      assert.match(html, /<form class="site-search" method="get" action="\/papers\/search" role="search">/, path);
      assert.match(html, /<label for="site-search-q" class="visually-hidden">Search papers<\/label>/, path);
    }
  });

  test('results are cards with matched words marked, a count and pages of 20', async () => {
    const { status, html } = await page('/papers/search?q=reasoning&mode=keyword');
    assert.equal(status, 200);
    const ids = cardIds(html);
    assert.equal(ids.length, 20);
    const total = Number(/of (\d+) results for <q>reasoning<\/q>, ranked by keywords/.exec(html)?.[1]);
    assert.ok(total > 20);
    assert.match(html, /<mark>[Rr]easoning<\/mark>/);
    assert.ok(html.includes('<a class="page-next" rel="next" href="/papers/search?q=reasoning&amp;mode=keyword&amp;p=2">'));
    const second = cardIds((await page('/papers/search?q=reasoning&mode=keyword&p=2')).html);
    assert.equal(second.length, Math.min(20, total - 20));
    assert.equal(new Set([...ids, ...second]).size, ids.length + second.length, 'pages do not overlap');
    const beyond = await page('/papers/search?q=reasoning&mode=keyword&p=99');
    assert.equal(beyond.status, 200);
    assert.ok(beyond.html.includes('There is no page 99 of these results.'));
  });

  test('the form filters and sorts: categories, exclusions, dates, code, upvotes', async () => {
    const inGr = cardIds((await page('/papers/search?q=gaussian+splatting&category=cs.GR')).html);
    assert.deepEqual([...inGr].sort(), GS.filter((p) => p.categories.includes('cs.GR')).map((p) => p.id).sort());
    const notGr = cardIds((await page('/papers/search?q=gaussian+splatting&exclude=cs.GR&code=1&from=2026-01-01&to=2026-12-31&sort=upvotes')).html);
    const expected = GS.filter((p) => !p.categories.includes('cs.GR') && p.githubRepo && p.publishedAt.startsWith('2026')).sort((a, b) => b.upvotes - a.upvotes);
    assert.ok(expected.length >= 3);
    assert.deepEqual(notGr.map((id) => byId.get(id)?.upvotes), expected.map((p) => p.upvotes));
    const { html } = await page('/papers/search?q=gaussian+splatting&code=1&sort=newest');
    assert.match(html, /<input id="search-code" type="checkbox" name="code" value="1" checked>/);
    assert.match(html, /<option value="newest" selected>Newest<\/option>/);
  });

  test('an empty result explains itself; a blank query gives a hint; warnings are shown', async () => {
    const none = await page('/papers/search?q=zebra+quokka&category=cs.GR');
    assert.ok(none.html.includes('0 results for <q>zebra quokka</q>'));
    assert.ok(none.html.includes('No papers match <q>zebra quokka</q>.') && none.html.includes('Search without the filters'));
    const blank = await page(`/papers/search?q=${enc('  ""  ')}`);
    assert.ok(blank.html.includes('Type a few words to search for'));
    assert.deepEqual(cardIds(blank.html), []);
    const warned = await page('/papers/search?q=splatting+year:abcd');
    assert.match(warned.html, /<ul class="search-warnings"><li>year:abcd is not a year\.<\/li><li>Search by meaning is not available/);
  });

  test('odd input never fails: quotes, FTS operators, 10,000 characters, control characters', async () => {
    const odd = ['"unbalanced', 'NEAR(', 'NEAR(a b', '*', 'a*b*', '(((', 'AND OR', '^x', 'title:x', 'cat:', '\u0000\u0001\u001b[0m', '\u0085\u2028', '"', '\\', 'x'.repeat(10_000)];
    for (const q of odd) {
      for (const extra of ['', '&mode=semantic', '&sort=newest']) {
        const { status, html } = await page(`/papers/search?q=${enc(q)}${extra}`);
        assert.equal(status, 200, `${JSON.stringify(q.slice(0, 20))}${extra}`);
        assert.ok(!html.replace(/<script src="[^"]+" defer><\/script>/, '').includes('<script') && !html.includes('\u0000'), 'nothing unescaped');
      }
    }
    const long = await page(`/papers/search?q=${'x'.repeat(10_000)}`);
    assert.ok(long.html.includes('The query was cut to 1000 characters.'));
    assert.ok(long.html.includes(`value="${'x'.repeat(1000)}"`) && !long.html.includes('x'.repeat(1001)), 'the form echoes the cut query');
    const script = await page(`/papers/search?q=${enc('<script>alert(1)</script>')}`);
    assert.ok(script.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  test('bad filter values are a clear 400 page', async () => {
    for (const [qs, msg] of [
      ['mode=fuzzy', /mode must be keyword, semantic or hybrid/], ['sort=hot', /sort must be relevance, newest or upvotes/],
      ['from=2024-02-30', /from must be a calendar date/], ['category=%3Cb%3E', /category must list arXiv archives/],
      ['p=0', /p must be a whole number/], ['like=not-an-id', /id must be an arXiv id/],
    ] as const) {
      const { status, html } = await page(`/papers/search?q=x&${qs}`.replace('q=x&like', 'like'));
      assert.equal(status, 400, qs);
      assert.match(html, msg);
      assert.ok(!html.includes('<b>'));
    }
    assert.equal((await page('/papers/search?like=9999.99999')).status, 404);
  });

  test('a title with a script stays text and still gets marks; new papers show at once (no page cache)', async () => {
    const evil = buildPaper({ title: '<script>window.x=1</script> Quokka counting', abstract: 'We count quokkas <b>boldly</b>.' });
    assert.equal((await page('/papers/search?q=quokka')).html.includes(evil.id), false);
    await store.upsertItems([{ paper: evil }]);
    const { html } = await page('/papers/search?q=quokka+script');
    assert.ok(html.includes('&lt;<mark>script</mark>&gt;window.x=1&lt;/<mark>script</mark>&gt; <mark>Quokka</mark> counting'));
    assert.ok(html.includes('We count <mark>quokkas</mark> &lt;b&gt;boldly&lt;/b&gt;.'));
  });

  test('an author: search names the matched author on the card, even far down a long author list; the JSON is unchanged', async () => {
    const authors = ['Ada Onefield', 'Bo Twofield', 'Cy Threefield', 'Di Fourfield', 'Ed Fivefield', 'Flo Sixfield', 'Gus Sevenfield', 'Hal Eightfield'];
    authors.push('Yann LeCun', 'Ivy Tenfield', 'Jo Elevenfield', 'Geoffrey E. Hinton', 'Kim Thirteenfield', 'Lu Fourteenfield', 'Mo Fifteenfield');
    const long = buildPaper({ title: 'Energy-based models for a new generation of networks', authors });
    const short = buildPaper({ title: 'Capsules', authors: ['Geoffrey E. Hinton', 'Sara Sabour'] });
    await store.upsertItems([{ paper: long }, { paper: short }]);
    const card = (html: string, id: string) => new RegExp(`<article class="paper-card search-hit" data-paper-id="${id}">.*?</article>`, 's').exec(html)?.[0] ?? '';
    const head = 'Ada Onefield, Bo Twofield, Cy Threefield, …, ';
    const count = ' · <span class="nowrap">15 authors</span>';

    const lecun = card((await page(`/papers/search?q=${enc('author:"Yann LeCun"')}`)).html, long.id);
    assert.ok(lecun.includes(`${head}<mark>Yann LeCun</mark>${count}`), lecun);
    const hinton = card((await page('/papers/search?q=au:Hinton')).html, long.id);
    assert.ok(hinton.includes(`${head}Geoffrey E. <mark>Hinton</mark>${count}`), hinton);
    const both = card((await page(`/papers/search?q=${enc('au:hinton author:lecun generation')}&mode=keyword`)).html, long.id);
    assert.ok(both.includes(`${head}Yann <mark>LeCun</mark>, …, Geoffrey E. <mark>Hinton</mark>${count}`), both);
    assert.ok(both.includes('Energy-based models for a new <mark>generation</mark> of networks'), 'the title marks the query word only');
    const first = card((await page('/papers/search?q=au:Hinton')).html, short.id);
    assert.ok(first.includes('Geoffrey E. <mark>Hinton</mark>, Sara Sabour · <span class="nowrap">2 authors</span>'), first);

    const frag = card((await page('/papers/search/results?q=au:hinton+energ&mode=keyword&prefix=1')).html, long.id);
    assert.ok(frag.includes(`${head}Geoffrey E. <mark>Hinton</mark>${count}`), frag);
    assert.ok(frag.includes('<mark>Energy</mark>-based'), frag);

    const plain = card((await page('/papers/search?q=energy+based+models')).html, long.id);
    assert.ok(plain.includes(`Ada Onefield, Bo Twofield, Cy Threefield${count}`), 'without author: the card is as before');
    const json = await app.request('/api/papers/search?q=au:Hinton');
    const text = await json.text();
    assert.ok(text.includes(long.id) && text.includes('"Geoffrey E. Hinton"') && !text.includes('<mark>'));
  });

  test('the results fragment and suggestions serve search-as-you-type', async () => {
    const frag = await page('/papers/search/results?q=reinforcement+learnin&mode=keyword&prefix=1');
    assert.equal(frag.status, 200);
    assert.ok(!frag.html.includes('<html') && !frag.html.includes('<form'));
    assert.ok(cardIds(frag.html).includes('2510.09285'));
    assert.match(frag.html, /<mark>Learning<\/mark>/);
    const { status, body } = await api('/papers/search/suggest?q=gaussian+spl');
    assert.equal(status, 200);
    const items = body as { id: string; title: string; url: string }[];
    assert.ok(items.length > 0 && items.length <= 6);
    for (const s of items) assert.match(s.title, /splat/i);
    assert.equal(items[0]?.url, `/papers/${items[0]?.id}`);
    assert.deepEqual((await api(`/papers/search/suggest?q=${enc('NEAR( "')}`)).status, 200);
  });
});

describe('similar papers', () => {
  test('the paper page lists five similar papers and links to more like this', async () => {
    const { html } = await page('/papers/2507.23374');
    const section = /<section aria-labelledby="similar-heading">.*?<\/section>/s.exec(html)?.[0] ?? '';
    const links = [...section.matchAll(/<li><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]);
    assert.equal(links.length, 5);
    assert.ok(!links.includes('2507.23374'));
    assert.ok(section.includes('<a href="/papers/search?like=2507.23374">More like this</a>'));
    const more = await page('/papers/search?like=2507.23374');
    assert.equal(more.status, 200);
    assert.match(more.html, /Papers like <q>NeRF Is a Valuable Assistant for 3D Gaussian Splatting<\/q>/);
    assert.deepEqual(cardIds(more.html).slice(0, 5), links);
  });
});

describe('GET /api/papers/search', () => {
  test('answers items in the daily-list shape, with totals and the mode', async () => {
    const { status, body, res } = await api('/api/papers/search?q=gaussian+splatting&limit=3');
    assert.equal(status, 200);
    const items = body as { paper: { id: string; title: string; upvotes: number; submittedOnDailyAt?: string }; title: string; summary: string; numComments: number }[];
    assert.equal(items.length, 3);
    for (const item of items) {
      const p = byId.get(item.paper.id);
      assert.ok(p);
      assert.equal(item.title, p.title);
      assert.equal(item.summary, p.summary);
      assert.equal(item.paper.upvotes, p.upvotes);
      assert.equal(item.paper.submittedOnDailyAt, `${p.listDate}T08:00:00.000Z`);
    }
    assert.equal(Number(res.headers.get('x-total-count')), GS.length);
    assert.equal(res.headers.get('x-search-mode'), 'keyword');
  });

  test('a large answer is gzipped for clients that accept it; the same items either way', async () => {
    const path = '/api/papers/search?q=gaussian+splatting&limit=120';
    const plain = await app.request(path);
    const zipped = await app.request(path, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.equal(zipped.headers.get('vary'), 'Accept-Encoding');
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    assert.ok(plainBytes.length > 16 * 1024, `a large answer (${plainBytes.length} bytes)`);
    const unzipped = gunzipSync(Buffer.from(await zipped.arrayBuffer()));
    assert.deepEqual(unzipped, plainBytes);
    const small = await app.request('/api/papers/search?q=gaussian+splatting&limit=1', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers.get('content-encoding'), null, 'small answers go as they are');
  });

  test('filters, sort and pages', async () => {
    const all = (await api('/api/papers/search?q=gaussian+splatting&hasCode=true&sort=upvotes&limit=120')).body as { paper: { id: string; upvotes: number } }[];
    assert.deepEqual(all.map((i) => i.paper.id).sort(), GS.filter((p) => p.githubRepo).map((p) => p.id).sort());
    const votes = all.map((i) => i.paper.upvotes);
    assert.deepEqual(votes, [...votes].sort((a, b) => b - a));
    const second = (await api('/api/papers/search?q=gaussian+splatting&hasCode=true&sort=upvotes&limit=2&p=1')).body as { paper: { id: string } }[];
    assert.deepEqual(second.map((i) => i.paper.id), all.slice(2, 4).map((i) => i.paper.id));
    const cats = (await api('/api/papers/search?q=gaussian&category=cs.GR&exclude=cs.HC&from=2025-01-01&to=2025-12-31')).body as { paper: { id: string } }[];
    for (const i of cats) assert.ok(byId.get(i.paper.id)?.categories.includes('cs.GR') && !byId.get(i.paper.id)?.categories.includes('cs.HC'));
  });

  test('q is required and at most 250 characters; limit is 1 to 120', async () => {
    const tooLong = await api(`/api/papers/search?q=${'x'.repeat(251)}`);
    assert.equal(tooLong.status, 400);
    assert.equal((tooLong.body as { error: string }).error, 'q must be at most 250 characters');
    assert.equal((await api(`/api/papers/search?q=${'x'.repeat(10_000)}`)).status, 400);
    assert.equal((await api(`/api/papers/search?q=${'x'.repeat(250)}`)).status, 200);
    assert.equal((await api(`/api/papers/search?q=${'é'.repeat(250)}`)).status, 200, 'characters, not bytes');
    for (const qs of ['', 'q=', 'q=%20%20', 'limit=5']) assert.equal((await api(`/api/papers/search?${qs}`)).status, 400, qs);
    for (const limit of ['0', '121', '-1', '1.5', 'ten']) {
      const r = await api(`/api/papers/search?q=gaussian&limit=${limit}`);
      assert.equal(r.status, 400, limit);
      assert.match((r.body as { error: string }).error, /limit must be a whole number from 1 to 120/);
    }
    assert.equal(((await api('/api/papers/search?q=the&limit=120&mode=keyword')).body as unknown[]).length, 94);
    for (const qs of ['mode=x', 'sort=hot', 'hasCode=maybe', 'from=yesterday', 'category=%3Cscript%3E', 'p=-1']) {
      assert.equal((await api(`/api/papers/search?q=a&${qs}`)).status, 400, qs);
    }
  });

  test('odd queries give results or an empty list, never a 500', async () => {
    for (const q of ['"unbalanced', 'NEAR(', 'NEAR(a, 2)', '*', '**', ')(', 'a OR b', '\u0000\u0007', '-', '"', 'cat:', 'year:1..2', '🦙']) {
      const { status, body } = await api(`/api/papers/search?q=${enc(q)}`);
      assert.equal(status, 200, JSON.stringify(q));
      assert.ok(Array.isArray(body));
    }
  });
});

/** A SemanticIndex test double: every query finds these papers at these cosine similarities. */
class ScoredIndex implements SemanticIndex {
  readonly embedderId = 'scored-test-double';
  readonly calibration = null;
  constructor(private readonly scored: [string, number][]) {}
  size(): number {
    return this.scored.length;
  }
  async searchText(_text: string, k: number): Promise<RankedIds> {
    const top = [...this.scored].sort((a, b) => b[1] - a[1]).slice(0, k);
    return { ids: top.map(([id]) => id), scores: top.map(([, v]) => v) };
  }
  async similarTo(): Promise<RankedIds> {
    return { ids: [], scores: [] };
  }
}

describe('honest result lists', () => {
  const words = (p: { title: string; summary: string; authors: string[] }) => `${p.title} ${p.summary} ${p.authors.join(' ')}`;
  const others = FIXTURE.filter((p) => !/gaussian|splatting|mamba/i.test(words(p))).map((p) => p.id);
  const [JOINS, BELOW] = [others.slice(0, 2), others.slice(2, 6)];
  // Every query finds two unrelated papers just above the threshold and four just below it.
  const index = new ScoredIndex([...JOINS.map((id): [string, number] => [id, DEFAULT_MIN_SIMILARITY + 0.05]), ...BELOW.map((id): [string, number] => [id, DEFAULT_MIN_SIMILARITY - 0.05])]);
  let hybrid: Hono;
  before(() => {
    hybrid = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }), search: new SearchService(store, { semantic: index }) });
  });
  const get = (path: string) => hybrid.request(path);
  const matching = async (q: string, anyTerm = false) => (await store.searchKeyword({ text: keywordText(parseQuery(q), { anyTerm }), limit: 10_000 })).ids;

  test('page and API, every sort: only keyword matches and neighbours at or above the threshold; the count is theirs', async () => {
    // A description no paper holds every word of (none says underwater, coral or reefs) takes neighbours by relevance;
    // sorted, it lists the papers holding the most of its words (here "gaussian splatting"). Two words that papers say take only those papers.
    const description = 'gaussian splatting of underwater coral reefs';
    const gaussianSplatting = [...(await matching('gaussian splatting'))].sort();
    const cases = [
      { q: description, sorts: ['relevance'], expected: [...(await matching(description, true)), ...JOINS].sort(), held: null },
      { q: description, sorts: ['newest', 'upvotes'], expected: gaussianSplatting, held: [2, 5] },
      { q: 'gaussian splatting', sorts: ['relevance', 'newest', 'upvotes'], expected: gaussianSplatting, held: null },
    ];
    const SORTED = { newest: 'newest first', upvotes: 'most upvoted first' } as Record<string, string>;
    for (const { q, sorts, expected, held } of cases) {
      const param = encodeURIComponent(q);
      for (const sort of sorts) {
        const order = sort === 'relevance' ? 'ranked by keywords and meaning' : `${held ? `holding ${held[0]} of its ${held[1]} words` : 'matched by keywords and meaning'}, ${SORTED[sort]}`;
        const shown: string[] = [];
        for (let p = 1; p <= Math.ceil(expected.length / 20); p++) {
          const html = await (await get(`/papers/search?q=${param}&sort=${sort}&p=${p}`)).text();
          assert.match(html, new RegExp(`role="status">${expected.length} results for <q>${q}</q>, ${order}</p>`), `${q}, ${sort}`);
          shown.push(...cardIds(html));
        }
        assert.deepEqual([...shown].sort(), expected, `page, ${q}, ${sort}`);
        const res = await get(`/api/papers/search?q=${param}&sort=${sort}&limit=120`);
        assert.equal(res.headers.get('x-total-count'), String(expected.length), `API, ${q}, ${sort}`);
        assert.equal(res.headers.get('x-search-words-held'), held ? `${held[0]}/${held[1]}` : null, `API, ${q}, ${sort}`);
        const items = (await res.json()) as { paper: { id: string } }[];
        assert.deepEqual(items.map((i) => i.paper.id).sort(), expected, `API, ${q}, ${sort}`);
        const pages: string[] = [];
        for (let p = 0; p * 7 < expected.length; p++) {
          pages.push(...((await (await get(`/api/papers/search?q=${param}&sort=${sort}&limit=7&p=${p}`)).json()) as { paper: { id: string } }[]).map((i) => i.paper.id));
        }
        assert.deepEqual(pages, items.map((i) => i.paper.id), `API pages of 7, ${q}, ${sort}`);
      }
    }
    const semantic = await get('/api/papers/search?q=gaussian+splatting&mode=semantic');
    assert.equal(semantic.headers.get('x-total-count'), '2');
    assert.deepEqual(((await semantic.json()) as { paper: { id: string } }[]).map((i) => i.paper.id).sort(), [...JOINS].sort());
  });

  test('a query about something no paper mentions lists no padding, sorted or not', async () => {
    for (const sort of ['relevance', 'newest', 'upvotes']) {
      const html = await (await get(`/papers/search?q=mamba&sort=${sort}`)).text();
      assert.deepEqual(cardIds(html).sort(), [...JOINS].sort(), `only the neighbours above the threshold, ${sort}`);
      const res = await get(`/api/papers/search?q=mamba&mode=keyword&sort=${sort}`);
      assert.equal(res.headers.get('x-total-count'), '0');
      assert.deepEqual(await res.json(), []);
    }
  });

  test('meaning only, nothing close enough: the page offers keywords and meaning', async () => {
    const html = await (await get('/papers/search?q=gaussian+splatting&mode=semantic&sort=newest')).text();
    assert.deepEqual(cardIds(html).sort(), [...JOINS].sort(), 'the two neighbours above the threshold');
    const far = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }), search: new SearchService(store, { semantic: new ScoredIndex(BELOW.map((id) => [id, 0.3])) }) });
    const none = await (await far.request('/papers/search?q=gaussian+splatting&mode=semantic&sort=newest')).text();
    assert.deepEqual(cardIds(none), []);
    const n = (await matching('gaussian splatting')).length;
    assert.ok(none.includes(`<li>No paper is close enough in meaning, but ${n} papers hold these words: <a href="/papers/search?q=gaussian+splatting&amp;mode=hybrid&amp;sort=newest">search by keywords and meaning</a>.</li>`), none);
  });

  test('gibberish: no results, and the page says so', async () => {
    const far = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }), search: new SearchService(store, { semantic: new ScoredIndex(BELOW.map((id) => [id, 0.28])) }) });
    for (const sort of ['relevance', 'newest', 'upvotes']) {
      const html = await (await far.request(`/papers/search?q=asdkjhqwezzz&sort=${sort}`)).text();
      assert.deepEqual(cardIds(html), [], sort);
      assert.ok(html.includes('0 results for <q>asdkjhqwezzz</q>'), sort);
      assert.ok(html.includes('No papers match <q>asdkjhqwezzz</q>.'), sort);
      assert.ok(!html.includes('class="result-pages"'), 'no pages');
      const res = await far.request(`/api/papers/search?q=asdkjhqwezzz&sort=${sort}`);
      assert.equal(res.headers.get('x-total-count'), '0');
      assert.deepEqual(await res.json(), []);
    }
  });

  test('X-Total-Count is every match, natural language included (past the candidate depth: search-service.test.ts)', async () => {
    const sentence = 'what do large language models learn about reasoning';
    const any = (await store.searchKeyword({ text: keywordText(parseQuery(sentence), { anyTerm: true }), limit: 10_000 })).ids;
    const res = await app.request(`/api/papers/search?q=${enc(sentence)}&mode=keyword&limit=5`);
    assert.equal(res.headers.get('x-total-count'), String(any.length));
    const the = await app.request('/api/papers/search?q=the&mode=keyword&limit=1');
    assert.equal(the.headers.get('x-total-count'), String((await matching('the')).length));
  });
});

describe('typo tolerance', () => {
  test('a misspelled query shows the corrected results, "Showing results for" and a link to the words as typed', async () => {
    const { html } = await page('/papers/search?q=difusion+models&mode=keyword');
    const expected = (await store.searchKeyword({ text: keywordText(parseQuery('diffusion models')), limit: 10_000 })).ids;
    assert.ok(expected.length > 0);
    assert.deepEqual(cardIds(html).sort(), [...expected].sort());
    assert.ok(
      html.includes(
        '<p class="search-correction">Showing results for <a href="/papers/search?q=diffusion+models&amp;mode=keyword"><em>diffusion</em> models</a>. ' +
          '<span class="nowrap">Search instead for <a href="/papers/search?q=difusion+models&amp;mode=keyword&amp;literal=difusion+models" rel="nofollow">difusion models</a>.</span></p>',
      ),
      html,
    );
    assert.match(html, /<mark>[Dd]iffusion<\/mark>/);
    assert.match(html, /<h1><span class="kicker">Search<\/span> <q>difusion models<\/q><\/h1>/, 'the heading and the box keep what was typed');
    assert.match(html, /<input id="search-q" type="search" name="q" value="difusion models"/);

    const literal = await page('/papers/search?q=difusion+models&mode=keyword&literal=difusion+models');
    assert.ok(!literal.html.includes('Showing results for'), 'the literal link is not corrected again');
    assert.deepEqual(cardIds(literal.html), []);
    assert.ok(literal.html.includes('No papers match <q>difusion models</q>.'));
    assert.ok(literal.html.includes('<li>Did you mean <a href="/papers/search?q=diffusion+models&amp;mode=keyword">diffusion models</a>?</li>'), literal.html);
    assert.ok(literal.html.includes('<input type="hidden" name="literal" value="difusion models">'), 'the form keeps it for its filters');
    assert.ok((await page('/papers/search?q=difusion+models&literal=1')).html.includes('No papers match'), 'literal=1 works too');
    const retyped = await page('/papers/search?q=difusion+transformer&literal=difusion+models');
    assert.ok(retyped.html.includes('Showing results for'), 'another query typed into that form is corrected');

    const fragment = await page('/papers/search/results?q=difusion+models&mode=keyword');
    assert.ok(fragment.html.includes('Showing results for'), 'search-as-you-type shows it too');
  });

  test('the API searches the corrected query and says so in a header; literal=true searches the words as typed', async () => {
    const res = await app.request('/api/papers/search?q=difusion+models&mode=keyword');
    assert.equal(res.headers.get('x-search-corrected-query'), 'diffusion%20models');
    assert.ok(((await res.json()) as unknown[]).length > 0);
    assert.ok(Number(res.headers.get('x-total-count')) > 0);
    const literal = await app.request('/api/papers/search?q=difusion+models&mode=keyword&literal=true');
    assert.equal(literal.headers.get('x-search-corrected-query'), null);
    assert.equal(literal.headers.get('x-total-count'), '0');
    const known = await app.request('/api/papers/search?q=diffusion+models&mode=keyword');
    assert.equal(known.headers.get('x-search-corrected-query'), null);
    assert.equal((await app.request('/api/papers/search?q=x&literal=maybe')).status, 400);
  });

  test('a query that matches nothing offers the query with one part left out, as links', async () => {
    const { html } = await page('/papers/search?q=splatting+asdkjhqwezzz&mode=keyword');
    assert.ok(html.includes('No papers match <q>splatting asdkjhqwezzz</q>.'));
    assert.ok(html.includes('<li>Without <q>asdkjhqwezzz</q>: <a href="/papers/search?q=splatting&amp;mode=keyword">splatting</a></li>'), html);
  });
});
