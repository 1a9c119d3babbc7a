import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { loadConfig } from '../../config.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { createApp } from '../app.js';
import { HF_LATEST_FILE, hfItems, hfResponse, listingItems, listingRecords, oldStyleItems } from '../../../test/fixtures/api/load.js';

const BASE = 'https://papers.example.org';
let store: SqliteStore;
let app: Hono;

before(async () => {
  store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems([...hfItems(HF_LATEST_FILE), ...hfItems('daily_papers-2025-09-15.json'), ...listingItems(), ...oldStyleItems()]);
  app = createApp({ store, config: loadConfig({ PAPERBOY_BASE_URL: BASE, PAPERBOY_DEMO_DATA: 'off' }) });
});
after(() => store.close());

type Json = Record<string, unknown>;
async function getJson(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await app.request(path, init);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
  return { status: res.status, headers: res.headers, body: await res.json() };
}
const ok = async (path: string) => {
  const r = await getJson(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r;
};
const paperIds = (body: unknown) => (body as { paper: { id: string } }[]).map((i) => i.paper.id);

/** Every key path with its JSON type; array elements are merged under `[]`. */
function shapeOf(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (path) out.set(path, type);
  if (Array.isArray(value)) for (const v of value) shapeOf(v, `${path}[]`, out);
  else if (type === 'object') for (const [k, v] of Object.entries(value as Json)) shapeOf(v, path ? `${path}.${k}` : k, out);
  return out;
}

// Keys of the real response Paperboy has no data for (HF accounts, media, model names).
const UNFILLABLE = [
  'mediaUrls', 'paper.mediaUrls', 'paper.githubRepoAddedBy', 'paper.ai_summary_model',
  'paper.authors[].user', 'paper.authors[].status', 'paper.authors[].statusLastChangedAt',
  'paper.submittedOnDailyBy.avatarUrl', 'paper.submittedOnDailyBy.isPro',
  'submittedBy.avatarUrl', 'submittedBy.isPro', 'submittedBy.isHf', 'submittedBy.isHfAdmin', 'submittedBy.isMod',
  'submittedBy.followerCount', 'submittedBy.isUserFollowing', 'organization.avatar', 'paper.organization.avatar',
];
const isUnfillable = (path: string) => UNFILLABLE.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[]`));

describe('GET /api/daily_papers', () => {
  test('an item has the keys and JSON types of a real Hugging Face item', async () => {
    const real = hfResponse(HF_LATEST_FILE);
    const richest = [...real].sort((a, b) => shapeOf(b).size - shapeOf(a).size)[0];
    assert.ok(richest);
    const { body } = await ok('/api/daily_papers?date=2026-08-21&limit=100');
    const ours = (body as Json[]).find((i) => (i.paper as Json).id === richest.paper.id);
    assert.ok(ours);
    const expected = new Map([...shapeOf(richest)].filter(([path]) => !isUnfillable(path)));
    expected.set('thumbnail', 'null'); // documented: Paperboy renders no thumbnails
    assert.deepEqual([...shapeOf(ours)].sort(), [...expected].sort());
  });

  test('a date answers that list with the real values', async () => {
    const real = hfResponse(HF_LATEST_FILE);
    const { body, headers } = await ok('/api/daily_papers?date=2026-08-21&limit=100');
    const items = body as Json[];
    assert.equal(items.length, real.length);
    assert.equal(headers.get('x-total-count'), String(real.length));
    for (const r of real) {
      const ours = items.find((i) => (i.paper as Json).id === r.paper.id) as { paper: Json } & Json;
      assert.ok(ours, r.paper.id);
      assert.equal(ours.title, r.title);
      assert.equal(ours.summary, r.summary);
      assert.equal(ours.numComments, r.numComments);
      assert.equal(ours.paper.upvotes, r.paper.upvotes);
      assert.equal(ours.paper.publishedAt, r.paper.publishedAt);
      assert.equal(ours.paper.submittedOnDailyAt, r.paper.submittedOnDailyAt);
      assert.deepEqual((ours.paper.authors as Json[]).map((a) => a.name), r.paper.authors.map((a) => a.name));
      assert.equal(ours.paper.githubRepo, r.paper.githubRepo);
      assert.deepEqual(ours.paper.ai_keywords, r.paper.ai_keywords);
      assert.equal((ours.paper.organization as Json).fullname, r.paper.organization?.fullname);
      assert.equal((ours.paper.submittedOnDailyBy as Json).name, r.paper.submittedOnDailyBy?.user);
    }
  });

  test('synthetic ids are stable and distinct', async () => {
    const a = (await ok('/api/daily_papers?date=2026-08-21')).body as { paper: { discussionId: string; authors: { _id: string }[] } }[];
    const b = (await ok('/api/daily_papers?date=2026-08-21')).body as typeof a;
    assert.deepEqual(a, b);
    const authorIds = a.flatMap((i) => i.paper.authors.map((x) => x._id));
    assert.equal(new Set(authorIds).size, authorIds.length);
    assert.equal(new Set(a.map((i) => i.paper.discussionId)).size, a.length);
    for (const id of authorIds) assert.match(id, /^[0-9a-f]{24}$/);
  });

  test('no date: every list date, most recently listed first; week and month select their dates', async () => {
    const all = (await ok('/api/daily_papers?limit=100')).body as { paper: { submittedOnDailyAt: string } }[];
    const times = all.map((i) => i.paper.submittedOnDailyAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(times[0], '2026-08-21T00:00:00.000Z');
    const sept = hfResponse('daily_papers-2025-09-15.json').map((i) => i.paper.id).sort();
    assert.deepEqual(paperIds((await ok('/api/daily_papers?week=2025-W38')).body).sort(), sept);
    assert.deepEqual(paperIds((await ok('/api/daily_papers?month=2025-09')).body).sort(), sept);
    assert.deepEqual((await ok('/api/daily_papers?date=2025-09-14')).body, []);
  });

  test('sort=trending follows the stored trending score', async () => {
    const { body } = await ok('/api/daily_papers?month=2025-04&sort=trending&limit=100');
    const expected = await store.listDaily({ from: '2025-04-01', to: '2025-04-30', sort: 'trending', limit: 100 });
    assert.deepEqual(paperIds(body), expected.items.map((i) => i.paper.id));
  });

  test('submitter, category and exclude filter', async () => {
    const bySubmitter = (await ok('/api/daily_papers?submitter=user3&limit=100')).body as { submittedBy: { name: string } }[];
    const realCount = [HF_LATEST_FILE, 'daily_papers-2025-09-15.json'].flatMap(hfResponse).filter((i) => i.paper.submittedOnDailyBy?.user === 'user3').length;
    assert.ok(realCount > 0);
    assert.equal(bySubmitter.length, realCount);
    for (const i of bySubmitter) assert.equal(i.submittedBy.name, 'user3');

    const records = listingRecords();
    const want = (keep: (cats: string[]) => boolean) => records.filter((r) => keep(r.categories)).map((r) => r.id).sort();
    const has = (cats: string[], c: string) => cats.some((x) => x === c || x.startsWith(`${c}.`));
    const got = async (q: string) => paperIds((await ok(`/api/daily_papers?limit=100&${q}`)).body).sort();
    assert.deepEqual(await got('category=cs.CV'), want((c) => has(c, 'cs.CV')));
    assert.deepEqual(await got('category=eess'), want((c) => has(c, 'eess')));
    const q = '/api/daily_papers?limit=100&category=cs.CL,eess&exclude=cs.AI';
    const ids = paperIds((await ok(q)).body).sort();
    assert.deepEqual(ids, want((c) => (has(c, 'cs.CL') || has(c, 'eess')) && !has(c, 'cs.AI')));
    assert.deepEqual(paperIds((await ok('/api/daily_papers?limit=100&category=cs.CL&category=eess&exclude=cs.AI')).body).sort(), ids);
  });

  test('pages with p and limit, announcing the next page', async () => {
    const all = paperIds((await ok('/api/daily_papers?limit=100')).body);
    const seen: string[] = [];
    let path: string | null = '/api/daily_papers?limit=7';
    while (path) {
      const r = await ok(path);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=60');
      assert.equal(r.headers.get('x-total-count'), String(all.length));
      seen.push(...paperIds(r.body));
      const link = r.headers.get('link');
      path = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? '').replace(BASE, '') : null;
    }
    assert.deepEqual(seen, all);
    assert.deepEqual((await ok('/api/daily_papers?p=1000')).body, []);
  });

  test('bad parameters answer 400 naming the parameter; unknown ones are ignored', async () => {
    const cases: [string, RegExp][] = [
      ['limit=0', /limit/], ['limit=abc', /limit/], ['limit=101', /limit/], ['limit=1.5', /limit/], ['limit=-3', /limit/],
      ['p=-1', /\bp\b/], ['p=x', /\bp\b/], ['date=2024-13-01', /date/], ['date=2024-02-30', /date/], ['date=yesterday', /date/],
      ['week=2024-W54', /week/], ['month=2024-13', /month/], ['date=2024-05-27&week=2024-W22', /date, week and month/],
      ['week=2024-W22&month=2024-05', /at most one/], ['sort=hot', /sort/], ['category=cs.CV,not%20a%20category', /category/],
      ['exclude=%3Cscript%3E', /exclude/], [`submitter=${'x'.repeat(101)}`, /submitter/],
    ];
    for (const [q, name] of cases) {
      const r = await getJson(`/api/daily_papers?${q}`);
      assert.equal(r.status, 400, q);
      assert.match((r.body as Json).error as string, name, q);
    }
    const r = await ok('/api/daily_papers?date=2026-08-21&foo=bar&limit=');
    assert.equal((r.body as unknown[]).length, 17);
  });

  test('odd input never causes a 500', async () => {
    for (const q of ['limit=1e2', 'p=99999999999999999999', 'date=%FF', 'category=,,,', 'sort=', 'month=0000-00', 'week=2020-W53', 'submitter=%00', 'limit=100&limit=abc']) {
      const res = await app.request(`/api/daily_papers?${q}`);
      assert.ok(res.status === 200 || res.status === 400, `${q} -> ${res.status}`);
    }
  });

  test('CORS allows any origin', async () => {
    const res = await app.request('/api/daily_papers?limit=1', { headers: { Origin: 'https://elsewhere.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const bad = await app.request('/api/daily_papers?limit=0', { headers: { Origin: 'https://elsewhere.example' } });
    assert.equal(bad.headers.get('access-control-allow-origin'), '*');
  });
});

describe('GET /api/papers/{id}', () => {
  test('a new-style id answers the flat paper with Paperboy extras', async () => {
    const { body } = await ok('/api/papers/2608.19880');
    const p = body as Json;
    assert.equal(p.id, '2608.19880');
    assert.equal(p.title, 'EnvHarness: Awakening Static Worlds for Agent Learning');
    assert.equal(p.submittedOnDailyAt, '2026-08-21T00:00:00.000Z');
    for (const k of ['categories', 'comment', 'journalRef', 'doi', 'versions']) assert.ok(k in p, k);
    const fromList = ((await ok('/api/daily_papers?date=2026-08-21&limit=100')).body as { paper: Json }[]).find((i) => i.paper.id === p.id);
    assert.deepEqual(Object.fromEntries(Object.entries(p).filter(([k]) => k in (fromList?.paper ?? {}))), fromList?.paper);
  });

  test('an old-style id keeps its slash; a version suffix is ignored', async () => {
    const p = (await ok('/api/papers/hep-th/9901001')).body as Json;
    assert.equal(p.id, 'hep-th/9901001');
    assert.equal(p.doi, '10.1143/PTP.101.1155');
    assert.equal(p.journalRef, 'Prog.Theor.Phys.101:1155-1164,1999');
    assert.deepEqual(p.categories, ['hep-th']);
    assert.deepEqual((p.versions as Json[]).map((v) => v.version), [1, 2, 3]);
    assert.equal(p.submittedOnDailyAt, undefined, 'never on a daily list');
    assert.deepEqual((await ok('/api/papers/hep-th/9901001v2')).body, p);
  });

  test('unknown ids are 404, malformed ids 400, both as JSON errors', async () => {
    const missing = await getJson('/api/papers/2608.99999');
    assert.equal(missing.status, 404);
    assert.match((missing.body as Json).error as string, /2608\.99999/);
    for (const bad of ['foo', '2608.1', 'hep-th/99', '..%2F..%2Fetc', '2608.19880/extra']) {
      const r = await getJson(`/api/papers/${bad}`);
      assert.equal(r.status, 400, bad);
      assert.match((r.body as Json).error as string, /arXiv id/);
    }
  });
});

describe('GET /api/papers', () => {
  test('pages through every paper by cursor, with a Link to the next page', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/papers?limit=30';
    while (path) {
      const r = await ok(path);
      const body = r.body as { papers: Json[]; nextCursor: string | null };
      assert.equal(r.headers.get('cache-control'), 'public, max-age=60');
      seen.push(...body.papers.map((p) => p.id as string));
      const link = r.headers.get('link');
      assert.equal(link !== null, body.nextCursor !== null);
      path = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? '').replace(BASE, '') : null;
    }
    assert.equal(seen.length, await store.countPapers());
    assert.equal(new Set(seen).size, seen.length);
    const old = ((await ok('/api/papers?cursor=hep-th/&limit=2')).body as { papers: Json[] }).papers;
    assert.deepEqual(old.map((p) => p.id), ['hep-th/9709111', 'hep-th/9901001']);
    assert.deepEqual(old[1], (await ok('/api/papers/hep-th/9901001')).body);
  });

  test('bad limit or cursor is a 400', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=ten', `cursor=${'x'.repeat(201)}`]) {
      assert.equal((await getJson(`/api/papers?${q}`)).status, 400, q);
    }
  });
});
