/** RSS 2.0 and Atom 1.0 feeds of the daily list, optionally filtered by category. */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppContext } from '../context.js';
import { selectDaily } from '../daily-list.js';
import { renderDailyFeed } from '../presenters/feed.js';
import type { FeedChannel, FeedFormat } from '../presenters/feed.js';
import { feedParams, parseQuery } from '../query-params.js';
import type { FeedParams } from '../query-params.js';
import { sendCached } from '../send-cached.js';
import { pageCacheFor } from '../views/page-cache.js';

/** The feeds carry the papers of this many newest list dates, ... */
export const FEED_DAYS = 7;
/** ... but at most this many. */
export const FEED_LIMIT = 100;

const FEED_CACHE = 'public, max-age=60';
const CONTENT_TYPE: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};
const PATH: Record<FeedFormat, string> = { rss: '/feed.xml', atom: '/feed.atom' };

export function feedRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  // A feed is the same for everyone: rendered and compressed once per page-cache TTL, not per request.
  const cache = pageCacheFor(ctx.store);
  const serve = (format: FeedFormat) => (c: Context) => {
    const q = parseQuery(feedParams, c.req.url);
    const channel = channelFor(ctx.config.baseUrl, q);
    // The key is the canonical self URL, so reordered or unknown parameters share one entry.
    const key = `feed ${channel.selfUrl[format]}`;
    const hit = cache.fresh(key);
    if (hit) return sendCached(c, hit, FEED_CACHE);
    return cache
      .get(key, async () => {
        const { items } = await selectDaily(ctx.store, { kind: 'recent', days: FEED_DAYS, limit: FEED_LIMIT, categories: q.category, exclude: q.exclude });
        return { body: renderDailyFeed(items, format, channel), headers: { 'Content-Type': CONTENT_TYPE[format] } };
      })
      .then((page) => sendCached(c, page, FEED_CACHE));
  };
  app.get(PATH.rss, serve('rss'));
  app.get(PATH.atom, serve('atom'));
  return app;
}

function channelFor(baseUrl: string, q: FeedParams): FeedChannel {
  const query = new URLSearchParams();
  if (q.category.length > 0) query.set('category', q.category.join(','));
  if (q.exclude.length > 0) query.set('exclude', q.exclude.join(','));
  const search = query.size > 0 ? `?${query.toString().replace(/%2C/g, ',')}` : '';
  const filters = [q.category.length > 0 ? q.category.join(', ') : '', q.exclude.length > 0 ? `without ${q.exclude.join(', ')}` : ''].filter(Boolean);
  return {
    title: `Paperboy daily papers${filters.length > 0 ? ` (${filters.join('; ')})` : ''}`,
    description: `Papers put on the Paperboy daily list over its last ${FEED_DAYS} list dates, newest date first, then most upvoted.`,
    siteUrl: `${baseUrl}/`,
    selfUrl: { rss: `${baseUrl}${PATH.rss}${search}`, atom: `${baseUrl}${PATH.atom}${search}` },
    paperUrl: (id) => `${baseUrl}/papers/${id}`,
  };
}
