import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HttpError, httpErrorFor, notFound } from '../errors.js';
import { createLogger } from '../ops/logger.js';
import { Metrics, storeCounts } from '../ops/metrics.js';
import { allowedMethods, methodNotAllowed } from './allowed-methods.js';
import type { AppContext } from './context.js';
import { requestTelemetry } from './request-telemetry.js';
import { RequestTurns } from './request-turns.js';
import type { RequestTelemetry } from './request-telemetry.js';
import { isApiPath, withResponseHeaders } from './response-headers.js';
import { apiRoutes } from './routes/api.js';
import { feedRoutes } from './routes/feeds.js';
import { opsRoutes } from './routes/ops.js';
import { pageRoutes } from './routes/pages.js';
import { searchRoutes, searchServiceOf } from './routes/search.js';
import { errorPage } from './views/error-page.js';

/** The largest request body any route accepts (forms, comments, votes), in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

const payloadTooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than the ${MAX_BODY_BYTES / 1024} KiB this server accepts.`);

const wantsJson = (path: string) => isApiPath(path) || path === '/openapi.json';

function errorResponse(c: Context, err: HttpError): Response {
  if (wantsJson(c.req.path)) return c.json({ error: err.message, id: err.id }, err.status);
  return c.html(errorPage(err.status, err.message), err.status);
}

/**
 * What the node adapter calls. Every answer leaves with the security headers.
 * GET and HEAD go straight to the routes; every other method passes the body
 * limit first, so an oversized body is refused (413) before any route reads it.
 * Both are done here rather than by middleware because anything Hono matches
 * on every path slows the cached pages, measured as server CPU a request on
 * `/` (8 interleaved runs): a middleware +25% (45 -> 57 µs, Hono's compose
 * chain), the body limit registered for the other methods on '*' +6% (the
 * router visits it on every request).
 */
function edge(app: Hono, telemetry: RequestTelemetry): Hono {
  const routes = app.fetch;
  const limited = new Hono();
  limited.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c, payloadTooLarge()) }));
  limited.all('*', (c) => routes(c.req.raw, c.env));
  // One queue for every request, so a busy server keeps accepting connections (request-turns.ts).
  const turns = new RequestTurns();
  app.fetch = (request, env, executionCtx) => {
    const finish = telemetry.start(request, env);
    const get = request.method === 'GET' || request.method === 'HEAD';
    const answer = () => (get ? routes(request, env, executionCtx) : limited.fetch(request, env, executionCtx));
    return finish(withResponseHeaders(request, turns.wait().then(answer)));
  };
  return app;
}

/**
 * The app for `ctx`. Without a logger in the context, errors are logged as
 * JSON to standard error; without metrics, the app keeps its own (served at
 * /metrics, without process metrics).
 */
export function createApp(appContext: AppContext): Hono {
  const app = new Hono();
  const log = appContext.log ?? createLogger({ level: appContext.config.logLevel, destination: process.stderr });
  const metrics = appContext.metrics ?? new Metrics({ counts: storeCounts(appContext.store, () => searchServiceOf(ctx).embedderId) });
  const ctx: AppContext = { ...appContext, log, metrics };
  searchServiceOf(ctx).onSearched((mode, seconds) => metrics.observeSearch(mode, seconds));
  const telemetry = requestTelemetry(app, { metrics, requestLog: ctx.config.logRequests ? log : null });

  // Preflight only: other answers get their CORS header with the security headers (withResponseHeaders).
  app.options('/api/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));

  app.route('/', opsRoutes(ctx.store, metrics));
  app.route('/', apiRoutes(ctx));
  app.route('/', feedRoutes(ctx));
  app.route('/', searchRoutes(ctx));
  app.route('/', pageRoutes(ctx));

  app.notFound((c) => {
    // A known address asked with a method it does not answer is a 405 naming the ones it does.
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      const res = errorResponse(c, methodNotAllowed(c.req.method, allowed));
      res.headers.set('Allow', allowed.join(', '));
      return res;
    }
    if (wantsJson(c.req.path)) return c.json({ error: 'Not found' }, 404);
    return errorResponse(c, notFound('There is no page at this address.'));
  });

  app.onError((err, c) => {
    const known = httpErrorFor(err);
    if (known !== null && known.status < 500) return errorResponse(c, known);
    log.error({ err, reqId: telemetry.idOf(c.req.raw), method: c.req.method, path: c.req.path }, 'request failed');
    if (known !== null) return errorResponse(c, known);
    if (wantsJson(c.req.path)) return c.json({ error: 'Internal server error' }, 500);
    return c.html(errorPage(500, 'Something went wrong on our side.'), 500);
  });

  return edge(app, telemetry);
}
