import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { loadConfig } from '../config.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { createApp } from './app.js';
import type { AppContext } from './context.js';
import { openApiDocument } from './openapi.js';
import { dailyPapersParams, feedParams, paperListParams } from './query-params.js';
import { apiRoutes } from './routes/api.js';
import { feedRoutes } from './routes/feeds.js';
import { searchApiParams, searchRoutes } from './routes/search.js';
import { HF_LATEST_FILE, hfItems, oldStyleItems } from '../../test/fixtures/api/load.js';

const BASE = 'https://papers.example.org';
let ctx: AppContext;
let app: Hono;
before(async () => {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems([...hfItems(HF_LATEST_FILE), ...oldStyleItems()]);
  ctx = { store, config: loadConfig({ PAPERBOY_BASE_URL: BASE, PAPERBOY_DEMO_DATA: 'off' }) };
  app = createApp(ctx);
});
after(() => ctx.store.close());

type Doc = ReturnType<typeof openApiDocument>;
type Operation = { parameters?: { name: string; in: string; required?: boolean; example?: string }[]; responses: Record<string, unknown> };
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })));

/** Hono's `/api/papers/:id{.+}` as OpenAPI's `/api/papers/{id}`. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

test('/openapi.json serves an OpenAPI 3.1 document naming this server', async () => {
  const res = await app.request('/openapi.json');
  assert.equal(res.status, 200);
  const doc = (await res.json()) as Doc;
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(doc.servers, [{ url: BASE }]);
  assert.deepEqual(doc, JSON.parse(JSON.stringify(openApiDocument(BASE))));
});

test('every route of the API and feed modules is documented', () => {
  const documented = new Set(operations(openApiDocument(BASE)).map((o) => `${o.method.toUpperCase()} ${o.path}`));
  const api = searchRoutes(ctx).routes.filter((r) => r.path.startsWith('/api/'));
  const routes = [...apiRoutes(ctx).routes, ...feedRoutes(ctx).routes, ...api].map((r) => `${r.method} ${openApiPath(r.path)}`);
  assert.ok(routes.includes('GET /api/papers/search'));
  assert.ok(routes.length >= 6);
  for (const r of routes) assert.ok(documented.has(r), `${r} is not in openapi.ts`);
});

test('every documented path answers 2xx on a filled store', async () => {
  const ids = { id: '2608.19880' };
  for (const { path, method, op } of operations(openApiDocument(BASE))) {
    // Required query parameters take their documented example.
    const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
    const qs = required.map((p) => `${p.name}=${encodeURIComponent(p.example ?? '')}`).join('&');
    const url = path.replace(/\{(\w+)\}/g, (_, name: keyof typeof ids) => ids[name]) + (qs ? `?${qs}` : '');
    const res = await app.request(url, { method: method.toUpperCase() });
    assert.ok(res.status >= 200 && res.status < 300, `${method} ${url} -> ${res.status}`);
  }
  assert.equal((await app.request('/api/papers/hep-th/9901001')).status, 200, 'old-style ids documented for {id}');
});

test('documented query parameters are exactly the ones the schemas accept', () => {
  const doc = openApiDocument(BASE);
  const queryNames = (path: string) =>
    operations(doc).find((o) => o.path === path)?.op.parameters?.filter((p) => p.in === 'query').map((p) => p.name).sort();
  assert.deepEqual(queryNames('/api/daily_papers'), Object.keys(dailyPapersParams.shape).sort());
  assert.deepEqual(queryNames('/api/papers'), Object.keys(paperListParams.shape).sort());
  assert.deepEqual(queryNames('/feed.xml'), Object.keys(feedParams.shape).sort());
  assert.deepEqual(queryNames('/feed.atom'), Object.keys(feedParams.shape).sort());
  assert.deepEqual(queryNames('/api/papers/search'), Object.keys(searchApiParams.shape).sort());
});

test('every $ref points at a defined schema', () => {
  const doc = openApiDocument(BASE);
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  assert.ok(refs.length > 10);
  for (const ref of refs) {
    const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
    assert.ok(name && name in doc.components.schemas, ref);
  }
});

test('documented response schemas list exactly the keys the API sends', async () => {
  const { schemas } = openApiDocument(BASE).components;
  type ObjectSchema = { required: string[]; properties: Record<string, unknown> };
  const check = (name: string, value: Record<string, unknown>, schema: ObjectSchema) => {
    for (const k of schema.required) assert.ok(k in value, `${name} lacks required ${k}`);
    for (const k of Object.keys(value)) assert.ok(k in schema.properties, `${name}.${k} is not documented`);
  };
  const items = (await (await app.request('/api/daily_papers?date=2026-08-21')).json()) as Record<string, unknown>[];
  for (const item of items) {
    check('DailyPaper', item, schemas.DailyPaper);
    check('Paper', item.paper as Record<string, unknown>, schemas.Paper);
  }
  const found = (await (await app.request('/api/papers/search?q=the&mode=keyword&limit=120')).json()) as Record<string, unknown>[];
  assert.ok(found.length > 0);
  for (const item of found) {
    check('search DailyPaper', item, schemas.DailyPaper);
    check('search Paper', item.paper as Record<string, unknown>, schemas.Paper);
  }
  const flat = (await (await app.request('/api/papers/2608.19880')).json()) as Record<string, unknown>;
  const extras = schemas.PaperDetail.allOf[1] as ObjectSchema;
  const paperKeys = Object.fromEntries(Object.entries(flat).filter(([k]) => !(k in extras.properties)));
  check('PaperDetail', paperKeys, schemas.Paper);
  check('PaperDetail extras', Object.fromEntries(Object.entries(flat).filter(([k]) => k in extras.properties)), extras);
});
