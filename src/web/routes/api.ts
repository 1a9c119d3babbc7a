/**
 * The JSON API, following Hugging Face's papers API (routes, parameters and
 * field names) so existing clients work against Paperboy.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { paperNotFound } from '../../errors.js';
import type { PaperDetail } from '../../model.js';
import type { AppContext } from '../context.js';
import { selectDaily } from '../daily-list.js';
import { openApiDocument } from '../openapi.js';
import { presentDailyItem } from '../presenters/daily-item.js';
import { presentPaperDetail } from '../presenters/paper.js';
import { dailyPapersParams, paperListParams, parsePaperId, parseQuery } from '../query-params.js';
import { sendCached } from '../send-cached.js';
import { pageCacheFor } from '../views/page-cache.js';

const LIST_CACHE = 'public, max-age=60';
const JSON_TYPE = 'application/json; charset=UTF-8';

/** HF's search route shares the /api/papers/ prefix; its module answers it. */
const NOT_PAPER_IDS = new Set(['search']);

export function apiRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const { store, config } = ctx;
  // The same short-lived cache as the pages (and invalidated with them): under
  // load a list is queried and serialised once per TTL, not once per request.
  const cache = pageCacheFor(store);
  const cachedJson = (c: Context, build: () => Promise<{ json: unknown; headers?: Record<string, string> }>) => {
    const url = new URL(c.req.url);
    const key = `api ${url.pathname}${url.search}`;
    const hit = cache.fresh(key);
    if (hit) return sendCached(c, hit, LIST_CACHE);
    const page = cache.get(key, async () => {
      const { json, headers } = await build();
      return { body: JSON.stringify(json), headers: { 'Content-Type': JSON_TYPE, ...headers } };
    });
    return page.then((p) => sendCached(c, p, LIST_CACHE));
  };

  app.get('/openapi.json', (c) => c.json(openApiDocument(config.baseUrl)));

  app.get('/api/daily_papers', (c) => {
    const q = parseQuery(dailyPapersParams, c.req.url);
    return cachedJson(c, () => dailyPapers(c, q));
  });

  const dailyPapers = async (c: Context, q: ReturnType<typeof dailyPapersParams.parse>) => {
    const offset = q.p * q.limit;
    const result = await selectDaily(store, {
      kind: 'range',
      date: q.date,
      week: q.week,
      month: q.month,
      sort: q.sort === 'trending' ? 'trending' : 'listed',
      limit: q.limit,
      offset,
      submitter: q.submitter,
      categories: q.category,
      exclude: q.exclude,
    });
    const headers: Record<string, string> = { 'X-Total-Count': String(result.total) };
    if (offset + result.items.length < result.total) headers.Link = `<${pageUrl(c, config.baseUrl, { p: String(q.p + 1) })}>; rel="next"`;
    return { json: result.items.map(presentDailyItem), headers };
  };

  app.get('/api/papers', async (c) => {
    const q = parseQuery(paperListParams, c.req.url);
    const page = await store.listPapers({ cursor: q.cursor ?? null, limit: q.limit });
    // The flat objects need versions and daily entries.
    const found = new Map((await store.getPaperDetails(page.items.map((p) => p.id))).map((d) => [d.id, d]));
    const details = page.items.map((p) => found.get(p.id) ?? asDetail(p));
    c.header('Cache-Control', LIST_CACHE);
    if (page.nextCursor) c.header('Link', `<${pageUrl(c, config.baseUrl, { cursor: page.nextCursor })}>; rel="next"`);
    return c.json({ papers: details.map(presentPaperDetail), nextCursor: page.nextCursor });
  });

  // `{.+}` lets old-style ids keep their slash: /api/papers/hep-th/9901001.
  app.get('/api/papers/:id{.+}', async (c, next) => {
    const raw = c.req.param('id');
    if (NOT_PAPER_IDS.has(raw)) return next();
    const id = parsePaperId(raw);
    return cachedJson(c, async () => {
      const paper = await store.getPaper(id);
      if (!paper) throw paperNotFound(id);
      return { json: presentPaperDetail(paper) };
    });
  });

  return app;
}

/** This request's public address with some query parameters replaced. */
function pageUrl(c: Context, baseUrl: string, replace: Record<string, string>): string {
  const url = new URL(c.req.url);
  for (const [k, v] of Object.entries(replace)) url.searchParams.set(k, v);
  return `${baseUrl}${url.pathname}${url.search}`;
}

function asDetail(paper: Omit<PaperDetail, 'versions' | 'dailyEntries'>): PaperDetail {
  return { ...paper, versions: [], dailyEntries: [] };
}
