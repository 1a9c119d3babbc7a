import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HttpError } from '../errors.js';
import type { AppContext } from './context.js';
import { apiRoutes } from './routes/api.js';
import { feedRoutes } from './routes/feeds.js';
import { pageRoutes } from './routes/pages.js';
import { searchRoutes } from './routes/search.js';
import { errorPage } from './views/error-page.js';

const wantsJson = (path: string) => path.startsWith('/api/') || path === '/openapi.json';

export function createApp(ctx: AppContext): Hono {
  const app = new Hono();

  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));

  // A route that does no work: the baseline the web benchmark measures against.
  app.get('/healthz', (c) => c.text('ok'));

  app.route('/', apiRoutes(ctx));
  app.route('/', feedRoutes(ctx));
  app.route('/', searchRoutes(ctx));
  app.route('/', pageRoutes(ctx));

  app.notFound((c) => {
    if (wantsJson(c.req.path)) return c.json({ error: 'Not found' }, 404);
    return c.html(errorPage(404, 'There is no page at this address.'), 404);
  });

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      if (wantsJson(c.req.path)) return c.json({ error: err.message, id: err.id }, err.status);
      return c.html(errorPage(err.status, err.message), err.status);
    }
    console.error(`[paperboy] ${c.req.method} ${c.req.path} failed:`, err);
    if (wantsJson(c.req.path)) return c.json({ error: 'Internal server error' }, 500);
    return c.html(errorPage(500, 'Something went wrong on our side.'), 500);
  });

  return app;
}
