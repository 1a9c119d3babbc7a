/**
 * For operators and their tools: /healthz (the process answers; touches
 * nothing), /readyz (the database answers and is migrated: send traffic
 * here) and /metrics (Prometheus text format).
 */
import { Hono } from 'hono';
import type { Metrics } from '../../ops/metrics.js';
import type { Store, StoreReadiness } from '../../store/store.js';
import { SECURITY_HEADERS, withHeadersBuiltIn } from '../response-headers.js';

/** A readiness check that has not answered by then counts as a database that does not answer. */
export const READINESS_TIMEOUT_MS = 2_000;

const NO_STORE = { 'Cache-Control': 'no-store' };

function readinessWithin(store: Store, ms: number): Promise<StoreReadiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<StoreReadiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${ms / 1000} s` }), ms);
  });
  return Promise.race([store.readiness(), late]).finally(() => clearTimeout(timer));
}

export function opsRoutes(store: Store, metrics: Metrics): Hono {
  const app = new Hono();

  // A route that does no work: the baseline the web benchmark measures against (so, with its headers built in like a cached page's).
  app.get('/healthz', () => withHeadersBuiltIn(new Response('ok', { headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=UTF-8' } })));

  app.get('/readyz', async (c) => {
    const r = await readinessWithin(store, READINESS_TIMEOUT_MS);
    return r.ready ? c.json({ status: 'ready' }, 200, NO_STORE) : c.json({ status: 'not ready', reason: r.reason }, 503, NO_STORE);
  });

  app.get('/metrics', async (c) => c.body(await metrics.scrape(), 200, { ...NO_STORE, 'Content-Type': metrics.contentType }));

  return app;
}
