import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MAX_BODY_BYTES } from '../../src/web/app.js';
import { buildDailyItem } from '../support/build.js';
import { launchBrowser } from './support/browser.js';
import type { E2eBrowser } from './support/browser.js';
import { watchCspViolations } from './support/csp.js';
import { LATEX_ID, LATEX_TITLE, startE2eSite } from './support/site.js';
import type { E2eSite } from './support/site.js';

/** One raw HTTP/1.1 exchange, for what fetch cannot send (TRACE) or should not wait for (a refused upload). */
function rawRequest(url: string, method: string, body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // The server may answer (413) and close before the upload ends; the answer is what counts.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

describe('security in a real browser and over a real socket', () => {
  let site: E2eSite;
  let chrome: E2eBrowser;
  let page: Page;
  let violations: string[];
  const problems: string[] = [];

  /** Open `path`, let it load everything it asks for, and check the policy came with it. */
  const open = async (path: string) => {
    const res = await page.goto(site.url + path, { waitUntil: 'networkidle' });
    assert.ok(res, `no response for ${path}`);
    assert.match((await res.allHeaders())['content-security-policy'] ?? '', /script-src 'self'/, `${path} is served with the policy`);
    return res;
  };

  /** A title with math, so search results inserted by the script carry KaTeX. */
  const mathTitle = buildDailyItem('2024-05-30', { title: 'Bounds on $\\alpha$-decay widths for policy tests', categories: ['nucl-th'] }, 1);

  before(async () => {
    site = await startE2eSite();
    await site.store.upsertItems([mathTitle]);
    chrome = await launchBrowser();
    violations = await watchCspViolations(chrome.context);
    page = await chrome.context.newPage();
    page.on('pageerror', (err) => problems.push(`script error on ${page.url()}: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400 && res.request().resourceType() !== 'document') problems.push(`${res.status()} for ${res.url()}`);
    });
  });

  after(async () => {
    await chrome?.close();
    await site?.close();
  });

  test('the policy is enforced: a script the page did not ship is blocked and reported', async () => {
    await open('/');
    const seen = violations.length;
    const ran = await page.evaluate(async () => {
      const el = document.createElement('script');
      el.textContent = 'window.__injected = 1';
      document.body.appendChild(el);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __injected?: number }).__injected;
    });
    assert.equal(ran, undefined, 'an inline script does not run');
    assert.ok(violations.length > seen, 'and the watcher hears about it');
    violations.splice(seen);
  });

  test('the home page, day, week and month lists, the 404 page and the raw feed and JSON load without violations', async () => {
    const { previous } = await site.store.adjacentDailyDates(site.latestDate);
    assert.ok(previous);
    await open('/');
    await open(`/papers/date/${previous}`);
    await open('/papers/week/2024-W22');
    await open('/papers/month/2024-05');
    assert.equal((await open('/no/such/page')).status(), 404);
    assert.equal(await page.locator('h1').innerText(), 'Not found');
    await open('/feed.xml');
    await open('/api/daily_papers');
    assert.deepEqual(violations, []);
  });

  test('a paper page with LaTeX renders KaTeX under the policy: style attributes applied, fonts loaded', async () => {
    await open(`/papers/${LATEX_ID}`);
    assert.equal(await page.locator('h1').innerText(), LATEX_TITLE);
    const math = page.locator('main .katex').first();
    await math.waitFor();
    const box = await math.boundingBox();
    assert.ok(box && box.height > 0 && box.width > 0, `KaTeX output has a size: ${JSON.stringify(box)}`);
    // A strut is an empty span sized only by its style attribute: it has height only if inline styles apply.
    const strut = await page.locator('main .katex-html :is(.katex-strut, .strut)').first().evaluate((el) => ({ inline: (el as HTMLElement).style.height, computed: getComputedStyle(el).height }));
    assert.ok(strut.inline !== '' && strut.computed !== '0px', `strut ${JSON.stringify(strut)}`);
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').map((f) => f.family);
    });
    assert.ok(fonts.length > 0, 'KaTeX fonts load from /static (font-src)');
    assert.deepEqual(violations, []);
  });

  test('search-as-you-type and the header suggestions work under the policy', async () => {
    await open('/papers/search');
    await page.locator('#search-q').pressSequentially('decay widths', { delay: 20 });
    await page.waitForURL((u) => u.searchParams.get('q') === 'decay widths');
    const hit = page.locator(`#search-results article[data-paper-id="${mathTitle.paper.id}"]`);
    await hit.waitFor();
    // The results came in through the script (innerHTML), KaTeX's style attributes with them.
    const box = await hit.locator('h2 .katex').first().boundingBox();
    assert.ok(box && box.height > 0, `KaTeX inserted by the script has a size: ${JSON.stringify(box)}`);

    await open('/');
    await page.locator('#site-search-q').pressSequentially('mass-energy', { delay: 20 });
    const option = page.locator('.search-suggestions [role="option"]').first();
    await option.waitFor();
    assert.equal(await option.innerText(), LATEX_TITLE);
    assert.deepEqual(violations, []);
  });

  test('no script errors or failed requests', () => {
    assert.deepEqual(problems, []);
  });

  test('over the socket: cached and uncached answers carry the headers; HEAD too', async () => {
    for (const path of ['/', '/', '/papers/search?q=mass', '/feed.xml', '/api/daily_papers', '/static/search.js']) {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(site.url + path, { method, headers: { 'accept-encoding': 'gzip' } });
        assert.equal(res.status, 200, `${method} ${path}`);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${method} ${path}`);
        assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, `${method} ${path}`);
        assert.equal(res.headers.get('x-frame-options'), 'DENY', `${method} ${path}`);
        await res.arrayBuffer();
      }
    }
  });

  test('over the socket: TRACE is a 405 with Allow; an upload over the limit is a 413', async () => {
    for (const path of ['/', '/static/app.css', '/api/daily_papers']) {
      const res = await rawRequest(site.url + path, 'TRACE');
      assert.equal(res.status, 405, `TRACE ${path}`);
      assert.match(String(res.headers.allow), /^GET, HEAD/);
    }
    assert.equal((await rawRequest(`${site.url}/nope`, 'TRACE')).status, 404);
    const big = await rawRequest(`${site.url}/`, 'POST', Buffer.alloc(16 * MAX_BODY_BYTES));
    assert.equal(big.status, 413);
    assert.match(big.text, /larger than the 64 KiB this server accepts/);
    // The server still answers afterwards.
    assert.equal((await fetch(`${site.url}/healthz`)).status, 200);
  });
});
