/**
 * Server-rendered pages: the daily / weekly / monthly lists, the date picker,
 * one paper, and the static assets they use. Complete without JavaScript.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';
import { addMonths, addWeeks, monthRange, parseDate, weekRange } from '../../calendar.js';
import type { DateRange } from '../../calendar.js';
import { badRequest, HttpError, notFound, paperNotFound } from '../../errors.js';
import type { Store } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { parsePaperId } from '../query-params.js';
import { IMMUTABLE, KATEX_DIST_DIR, PUBLIC_DIR, siteCss } from '../views/assets.js';
import { emptySitePage, listPage } from '../views/list-page.js';
import type { ListView } from '../views/list-page.js';
import { listQuery, listUrl } from '../views/list-urls.js';
import type { ListKind, PageSort } from '../views/list-urls.js';
import { pageCacheFor } from '../views/page-cache.js';
import { sendCached } from '../send-cached.js';
import { paperPage } from '../views/paper-page.js';
import { searchServiceOf } from './search.js';

export { invalidatePageCache } from '../views/page-cache.js';

export const PAGE_SIZE = 50;
const MAX_PAGE = 10_000;
/** Browsers revalidate every time; the ETag turns that into a cheap 304. */
const HTML_CACHE = 'no-cache';
const CATEGORY_RE = /^[a-z]+(-[a-z]+)*(\.[A-Za-z]+(-[a-z]+)*)?$/;

interface ListOptions {
  sort: PageSort;
  category: string | null;
  page: number;
}

const DEFAULT_OPTIONS: ListOptions = Object.freeze({ sort: 'upvotes', category: null, page: 1 });

/** Validate ?sort, ?category and ?p; bad values are a 400 naming the parameter. */
function listOptions(c: Context): ListOptions {
  if (!c.req.url.includes('?')) return DEFAULT_OPTIONS;
  const sort = c.req.query('sort') || 'upvotes';
  if (sort !== 'upvotes' && sort !== 'newest') throw badRequest(`sort must be upvotes or newest (got ${JSON.stringify(sort.slice(0, 40))})`);
  const category = c.req.query('category') || null;
  if (category !== null && (category.length > 40 || !CATEGORY_RE.test(category))) {
    throw badRequest(`category must be an arXiv archive or category such as cs or cs.CV (got ${JSON.stringify(category.slice(0, 40))})`);
  }
  const p = c.req.query('p') || '1';
  if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > MAX_PAGE) throw badRequest(`p must be a page number from 1 to ${MAX_PAGE} (got ${JSON.stringify(p.slice(0, 40))})`);
  return { sort, category, page: Number(p) };
}

function checkedDate(date: string): string {
  if (parseDate(date) === null) throw badRequest(`"${date.slice(0, 40)}" is not a date; write it as YYYY-MM-DD, e.g. 2024-05-29.`);
  return date;
}

/** Everything a list page shows, read from the store. */
async function buildList(store: Store, kind: ListKind, period: string, opts: ListOptions, home = false): Promise<string> {
  const range = rangeFor(kind, period);
  const [list, before, after] = await Promise.all([
    store.listDaily({
      ...range,
      sort: opts.sort,
      limit: PAGE_SIZE,
      offset: (opts.page - 1) * PAGE_SIZE,
      categories: opts.category ? [opts.category] : undefined,
    }),
    store.adjacentDailyDates(range.from),
    kind === 'day' ? null : store.adjacentDailyDates(range.to),
  ]);
  if (opts.page > 1 && list.items.length === 0) {
    throw notFound(`There is no page ${opts.page} of this list; it has ${Math.max(1, Math.ceil(list.total / PAGE_SIZE))}.`);
  }
  const view: ListView = {
    kind,
    period,
    anchorDate: range.from,
    home,
    items: list.items,
    total: list.total,
    page: opts.page,
    pageSize: PAGE_SIZE,
    sort: opts.sort,
    category: opts.category,
    ...neighbours(kind, period, before, after ?? before),
  };
  return listPage(view);
}

/** Previous / next period: days skip empty days; weeks and months step by the calendar while data lies that way. */
function neighbours(kind: ListKind, period: string, before: { previous: string | null }, after: { next: string | null }) {
  if (kind === 'day') return { previous: before.previous, next: after.next };
  const add = kind === 'week' ? addWeeks : addMonths;
  return { previous: before.previous ? add(period, -1) : null, next: after.next ? add(period, 1) : null };
}

function rangeFor(kind: ListKind, period: string): DateRange {
  const range = kind === 'day' ? { from: period, to: period } : kind === 'week' ? weekRange(period) : monthRange(period);
  if (!range) throw badRequest(`not a ${kind}: ${period}`);
  return range;
}

/** Set Cache-Control on successful responses from the handlers after it. */
const cacheFor =
  (value: string): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', value);
  };

export function pageRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const { store } = ctx;
  const cache = pageCacheFor(store);
  // A fresh cached page is answered synchronously: no store call, no promise.
  const respond = (c: Context, key: string, build: () => Promise<string>): Response | Promise<Response> => {
    const hit = cache.fresh(key);
    return hit ? sendCached(c, hit, HTML_CACHE) : cache.get(key, build).then((page) => sendCached(c, page, HTML_CACHE));
  };

  app.get('/static/app.css', etag(), (c) => {
    c.header('ETag', siteCss.etag);
    c.header('Cache-Control', IMMUTABLE);
    return c.body(siteCss.body, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  // GET (and so HEAD) only: other methods are a 405 from the app's not-found handler.
  app.get('/static/katex/*', cacheFor(IMMUTABLE), serveStatic({ root: KATEX_DIST_DIR, rewriteRequestPath: (p) => p.slice('/static/katex'.length) }));
  app.get('/static/*', cacheFor('public, max-age=86400'), serveStatic({ root: PUBLIC_DIR, rewriteRequestPath: (p) => p.slice('/static'.length) }));

  app.get('/', (c) => {
    const opts = listOptions(c);
    return respond(c, `/${listQuery(opts)}`, async () => {
      const latest = await store.latestDailyDate();
      return latest ? buildList(store, 'day', latest, opts, true) : emptySitePage();
    });
  });

  // The date picker's GET form lands here; works without JavaScript.
  app.get('/papers/date', (c) => {
    const date = c.req.query('date');
    if (!date) throw badRequest('Choose a date to go to, written YYYY-MM-DD.');
    const opts = listOptions(c);
    return c.redirect(listUrl('day', checkedDate(date), { sort: opts.sort, category: opts.category }), 302);
  });

  const listRoute = (kind: ListKind, check: (period: string) => string) => (c: Context) => {
    const period = check(c.req.param('period') as string);
    const opts = listOptions(c);
    return respond(c, listUrl(kind, period, opts), () => buildList(store, kind, period, opts));
  };
  app.get('/papers/date/:period', listRoute('day', checkedDate));
  app.get('/papers/week/:period', listRoute('week', (w) => {
    if (!weekRange(w)) throw badRequest(`"${w.slice(0, 40)}" is not an ISO week; write it as YYYY-Www, e.g. 2024-W22.`);
    return w;
  }));
  app.get('/papers/month/:period', listRoute('month', (m) => {
    if (!monthRange(m)) throw badRequest(`"${m.slice(0, 40)}" is not a month; write it as YYYY-MM, e.g. 2024-05.`);
    return m;
  }));

  // `{.+}` keeps the slash of old-style ids: /papers/hep-th/9901001.
  app.get('/papers/:id{.+}', (c, next) => {
    const raw = c.req.param('id');
    let id: string;
    try {
      id = parsePaperId(raw);
    } catch (err) {
      // Not a paper id: let a later route (or the 404 page) answer.
      if (err instanceof HttpError) return next();
      throw err;
    }
    if (id !== raw) return c.redirect(`/papers/${id}`, 301);
    return respond(c, `/papers/${id}`, async () => {
      const paper = await store.getPaper(id);
      if (!paper) throw paperNotFound(id);
      // Similar papers are a nicety: the paper page shows without them if they fail.
      const similar = await searchServiceOf(ctx).similar(id).catch((err: unknown) => {
        ctx.log?.error({ err, paperId: id }, 'similar papers failed');
        return [];
      });
      return paperPage(paper, similar);
    });
  });

  return app;
}
