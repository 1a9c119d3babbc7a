/** App-wide HTTP behaviour: security headers, 405 with Allow, the request body limit. */
import assert from 'node:assert/strict';
import { createLogger, type Logger } from '../ops/logger.js';
import { after, before, describe, test } from 'node:test';
import type { Hono } from 'hono';
import { buildDailyItem } from '../../test/support/build.js';
import { loadConfig } from '../config.js';
import { DatabaseBusyError, QuerySyntaxError } from '../errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { createApp, MAX_BODY_BYTES } from './app.js';
import { searchJsUrl } from './views/search-script.js';

const DATE = '2024-05-27';
const latex = buildDailyItem(DATE, { title: 'Mass and energy', abstract: 'We restate $E = mc^2$ and $\\int_0^1 x\\,dx$.' }, 3);
const plain = buildDailyItem(DATE, { title: 'Gaussian splatting for maps' }, 1);

let store: SqliteStore;
let app: Hono;
before(async () => {
  store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems([latex, plain]);
  app = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }) });
});
after(() => store.close());

const GZIP = { 'accept-encoding': 'gzip' };
/** HTML pages of every kind: cached lists and paper pages, the uncached search page, error pages. */
const HTML_PAGES = ['/', `/papers/date/${DATE}`, '/papers/week/2024-W22', '/papers/month/2024-05', `/papers/${latex.paper.id}`, '/papers/search?q=splatting', '/nope', '/papers/date/not-a-date'];
/** One address of every route, for the method checks. */
const ROUTES = [
  '/',
  `/papers/date/${DATE}`,
  '/papers/week/2024-W22',
  '/papers/month/2024-05',
  `/papers/${latex.paper.id}`,
  '/papers/search?q=splatting',
  '/papers/search/results?q=splatting',
  '/papers/search/suggest?q=spl',
  '/feed.xml',
  '/feed.atom',
  '/static/search.js',
  '/static/favicon.svg',
  '/static/katex/katex.min.css',
  '/healthz',
  '/openapi.json',
  '/api/daily_papers',
  `/api/papers/${latex.paper.id}`,
  '/api/papers',
  '/api/papers/search?q=splatting',
];

/** The policy as directive -> sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy header');
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name as string, sources]));
}

describe('security headers', () => {
  test('HTML pages carry a strict Content-Security-Policy and the framing, sniffing and referrer protections', async () => {
    for (const path of HTML_PAGES) {
      // Twice: the first answer is built, the second comes from the page cache.
      for (const headers of [{}, GZIP]) {
        const res = await app.request(path, { headers });
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/, path);
        const csp = parseCsp(res.headers.get('content-security-policy'));
        assert.deepEqual(csp.get('default-src'), ["'none'"], path);
        assert.deepEqual(csp.get('script-src'), ["'self'"], `${path}: scripts from this origin only, no inline, no eval`);
        assert.deepEqual(csp.get('style-src'), ["'self'"], `${path}: no inline <style>`);
        assert.deepEqual(csp.get('style-src-attr'), ["'unsafe-inline'"], `${path}: KaTeX's style attributes`);
        for (const [directive, sources] of [['object-src', "'none'"], ['base-uri', "'none'"], ['form-action', "'self'"], ['frame-ancestors', "'none'"], ['img-src', "'self'"], ['font-src', "'self'"], ['connect-src', "'self'"]]) {
          assert.deepEqual(csp.get(directive as string), [sources], `${path}: ${directive}`);
        }
        assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
        assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
        await res.arrayBuffer();
      }
    }
  });

  test('the pages need nothing the policy forbids: no inline script, handler or <style>; scripts only from /static', async () => {
    for (const path of HTML_PAGES) {
      const html = await (await app.request(path)).text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      assert.deepEqual(scripts, [`<script src="${searchJsUrl}" defer>`], path);
      assert.doesNotMatch(html, /<style\b|\son[a-z]+=|javascript:/i, path);
      // Style attributes come from KaTeX only.
      const styled = [...html.matchAll(/<(\w+)[^>]*\sstyle="/g)].length;
      const inKatex = html.split('class="katex"').slice(1).join('').match(/\sstyle="/g)?.length ?? 0;
      assert.ok(styled <= inKatex, `${path}: ${styled} style attributes, ${inKatex} inside KaTeX output`);
    }
    assert.match(await (await app.request(`/papers/${latex.paper.id}`)).text(), /class="katex"[^]*style="height:/, 'the paper page has KaTeX output with style attributes');
  });

  test('every response says nosniff: JSON, feeds, scripts, styles, fonts, redirects, 304s, HEAD', async () => {
    const requests: [string, RequestInit?][] = [...ROUTES.map((p): [string] => [p]), ['/static/katex/fonts/KaTeX_Main-Regular.woff2'], [`/papers/date?date=${DATE}`], ['/api/nope']];
    const cached = await app.request('/', { headers: GZIP });
    requests.push(['/', { headers: { ...GZIP, 'if-none-match': cached.headers.get('etag') as string } }]);
    for (const path of ROUTES) requests.push([path, { method: 'HEAD' }]);
    for (const [path, init] of requests) {
      const res = await app.request(path, init);
      assert.ok(res.status < 500, `${init?.method ?? 'GET'} ${path}: ${res.status}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${init?.method ?? 'GET'} ${path} (${res.status})`);
      await res.arrayBuffer();
    }
  });

  test('the JSON API allows any origin on every answer; OPTIONS is still a CORS preflight', async () => {
    for (const [path, init] of [['/api/daily_papers'], ['/api/daily_papers', { headers: GZIP }], ['/api/papers'], ['/api/papers/2401.99999'], ['/api/daily_papers?limit=0'], ['/api/daily_papers', { method: 'POST' }]] as [string, RequestInit?][]) {
      const res = await app.request(path, init);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', `${init?.method ?? 'GET'} ${path} (${res.status})`);
      await res.arrayBuffer();
    }
    const preflight = await app.request('/api/daily_papers', { method: 'OPTIONS', headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,HEAD,OPTIONS');
    assert.equal((await app.request('/')).headers.get('access-control-allow-origin'), null, 'pages are not CORS-readable');
  });
});

describe('methods', () => {
  test('GET and HEAD answer every route', async () => {
    for (const path of ROUTES) {
      for (const method of ['GET', 'HEAD']) {
        const res = await app.request(path, { method });
        assert.equal(res.status, 200, `${method} ${path}`);
        await res.arrayBuffer();
      }
    }
  });

  test('other methods are 405 with Allow, as JSON under /api/ and as a page elsewhere', async () => {
    for (const path of ROUTES) {
      const api = path.startsWith('/api/');
      // TRACE cannot be sent through fetch; test/e2e/security.test.ts sends it over a socket.
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', ...(api ? [] : ['OPTIONS'])]) {
        const res = await app.request(path, { method });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.get('allow'), api ? 'GET, HEAD, OPTIONS' : 'GET, HEAD', `${method} ${path}`);
        if (api || path === '/openapi.json') {
          assert.deepEqual(await res.json(), { error: `${method} is not allowed here; this address answers ${res.headers.get('allow')}.`, id: 'method_not_allowed' });
        } else {
          const html = await res.text();
          assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
          assert.ok(html.includes('<h1>Method not allowed</h1>') && html.includes(`${method} is not allowed here`), `${method} ${path}`);
        }
      }
    }
  });

  test('unknown addresses stay 404 for every method (but a CORS preflight under /api/)', async () => {
    for (const path of ['/nope', '/api/nope', '/statics/app.css', '/feed.json', '/papers']) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', ...(path.startsWith('/api/') ? [] : ['OPTIONS'])]) {
        const res = await app.request(path, { method });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.headers.get('allow'), null);
        await res.arrayBuffer();
      }
    }
  });
});

describe('request bodies', () => {
  /** The app with a route that reads its body, as the coming login, comment and vote routes will. */
  let bodyApp: Hono;
  let reads = 0;
  before(() => {
    bodyApp = createApp({ store, config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }) });
    bodyApp.post('/test-body', async (c) => {
      reads += 1;
      return c.text(String((await c.req.arrayBuffer()).byteLength));
    });
  });

  /** A request body streamed in chunks, so the server cannot know its size in advance. */
  const streamed = (bytes: number, chunk = 8192) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent < bytes; sent += chunk) controller.enqueue(new Uint8Array(Math.min(chunk, bytes - sent)));
        controller.close();
      },
    });
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    bodyApp.request(path, { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

  test('a body up to the limit reaches the route', async () => {
    const before = reads;
    const res = await post('/test-body', new Uint8Array(MAX_BODY_BYTES), { 'content-length': String(MAX_BODY_BYTES) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), String(MAX_BODY_BYTES));
    assert.equal(await (await post('/test-body', streamed(MAX_BODY_BYTES))).text(), String(MAX_BODY_BYTES));
    assert.equal(reads, before + 2);
  });

  test('a larger body is refused with 413 before any route reads it, declared or streamed', async () => {
    const before = reads;
    const tooLarge = MAX_BODY_BYTES + 1;
    for (const res of [await post('/test-body', new Uint8Array(tooLarge), { 'content-length': String(tooLarge) }), await post('/test-body', streamed(tooLarge))]) {
      assert.equal(res.status, 413);
      const html = await res.text();
      assert.ok(html.includes('The request body is larger than the 64 KiB this server accepts.'), html.slice(0, 200));
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
    const api = await post('/api/daily_papers', streamed(10 * MAX_BODY_BYTES));
    assert.equal(api.status, 413);
    assert.deepEqual(await api.json(), { error: 'The request body is larger than the 64 KiB this server accepts.', id: 'payload_too_large' });
    assert.equal(reads, before, 'the route never ran');
  });

  test('a small body to a route that takes none is still a 405, not a 413', async () => {
    assert.equal((await post('/', 'q=1', { 'content-type': 'application/x-www-form-urlencoded' })).status, 405);
  });
});

describe('errors the store raises', () => {
  /** The app over the test store, whose keyword search fails with `err`. */
  const failingWith = (err: Error, log?: Logger) =>
    createApp({ store: Object.assign(Object.create(store) as SqliteStore, { searchKeyword: () => Promise.reject(err) }), config: loadConfig({ PAPERBOY_DEMO_DATA: 'off' }), log });

  test('a query the store cannot run is a 400 naming the problem, in JSON and on pages', async () => {
    const failing = failingWith(new QuerySyntaxError('The search expression is not valid: too deep'));
    const api = await failing.request('/api/papers/search?q=splatting');
    assert.equal(api.status, 400);
    assert.deepEqual(await api.json(), { error: 'The search expression is not valid: too deep', id: 'bad_query' });
    const page = await failing.request('/papers/search?q=splatting');
    assert.equal(page.status, 400);
    assert.match(await page.text(), /The search expression is not valid: too deep/);
  });

  test('a database busy beyond the wait is a 503 that says to try again, and is logged', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
    const api = await failingWith(new DatabaseBusyError('the write lock was held for 600 s'), log).request('/api/papers/search?q=splatting');
    assert.equal(api.status, 503);
    assert.deepEqual(await api.json(), { error: 'The database is busy; try again in a moment.', id: 'database_busy' });
    assert.equal(lines.length, 1, lines.join(''));
    const entry = JSON.parse(lines[0]!) as { level: string; msg: string; err: { type: string; message: string } };
    assert.equal(entry.level, 'error');
    assert.equal(entry.err.type, 'DatabaseBusyError');
    assert.match(entry.err.message, /held for 600 s/);
  });
});
