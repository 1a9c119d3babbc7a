import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { DailyListItem } from '../../src/model.js';
import { launchBrowser } from './support/browser.js';
import type { E2eBrowser } from './support/browser.js';
import { assertAccessibleBasics, assertIncludesAll, mainText, squash } from './support/page-checks.js';
import { LATEX_ID, XSS_ID, XSS_TITLE, startE2eSite } from './support/site.js';
import type { E2eSite } from './support/site.js';

// Screenshots outlive the run (the site's temp dir does not) so a person can look at them.
const SHOT_DIR = join(tmpdir(), 'paperboy-e2e-screenshots');

describe('daily papers in a real browser', () => {
  let site: E2eSite;
  let chrome: E2eBrowser;
  let page: Page;
  /** Script errors and failed subresources (CSS, fonts, icons) seen by the main page. */
  const problems: string[] = [];

  const dayItems = async (date: string): Promise<DailyListItem[]> =>
    (await site.store.listDaily({ from: date, to: date, limit: 100 })).items;

  const open = async (path: string, p: Page = page) => {
    const res = await p.goto(site.url + path);
    assert.ok(res, `no response for ${path}`);
    return res;
  };

  before(async () => {
    site = await startE2eSite();
    chrome = await launchBrowser();
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

  test('the front page shows the latest day and its cards', async () => {
    const res = await open('/');
    assert.equal(res.status(), 200);
    const items = await dayItems(site.latestDate);
    assert.ok(items.length >= 8, 'fixture day plus the two injected papers');
    assert.equal(await page.locator(`h1 time[datetime="${site.latestDate}"]`).count(), 1, 'the heading names the latest day');
    for (const { paper } of items) assert.equal(await page.locator(`main a[href="/papers/${paper.id}"]`).count() > 0, true, `card link for ${paper.id}`);
    assertIncludesAll(await mainText(page), items.map((i) => i.paper.title), 'titles on /');
    await assertAccessibleBasics(page);
  });

  test('the previous-day link leads to that day with its date and cards', async () => {
    await open('/');
    const { previous } = await site.store.adjacentDailyDates(site.latestDate);
    assert.ok(previous);
    await page.locator('main nav a[rel~="prev"]').first().click();
    await page.waitForURL(`${site.url}/papers/date/${previous}`);
    assert.equal(await page.locator(`h1 time[datetime="${previous}"]`).count(), 1, `the heading names ${previous}`);
    const text = await mainText(page);
    assertIncludesAll(text, (await dayItems(previous)).map((i) => i.paper.title), `titles on ${previous}`);
  });

  test('a card opens the paper page with abstract, authors and arXiv links', async () => {
    await open('/');
    const items = await dayItems(site.latestDate);
    const item = items.find((i) => i.paper.id !== XSS_ID && i.paper.id !== LATEX_ID);
    assert.ok(item);
    const { paper } = item;
    await page.locator(`main a[href="/papers/${paper.id}"]`).first().click();
    await page.waitForURL(`${site.url}/papers/${paper.id}`);
    const detail = await site.store.getPaper(paper.id);
    assert.ok(detail);
    const text = await mainText(page);
    assert.ok(text.includes(squash(detail.title)), 'title');
    assert.ok(text.includes(squash(detail.abstract)), 'the full abstract, not a snippet');
    assertIncludesAll(text, detail.authors, 'authors');
    assert.ok(await page.locator(`a[href^="https://arxiv.org/abs/${paper.id}"]`).count(), 'arXiv abstract link');
    assert.ok(await page.locator(`a[href^="https://arxiv.org/pdf/${paper.id}"]`).count(), 'arXiv PDF link');
    await assertAccessibleBasics(page);
  });

  test('LaTeX in an abstract is rendered with KaTeX', async () => {
    await open(`/papers/${LATEX_ID}`);
    const math = page.locator('main .katex').first();
    assert.ok(await math.isVisible(), '.katex element visible');
    assert.ok(!(await mainText(page)).includes('$E = mc^2$'), 'no raw TeX left in the text');
    assert.ok(await page.locator('main .katex-mathml annotation').filter({ hasText: 'E = mc^2' }).count(), 'TeX kept as annotation');
  });

  test('a script tag in a title is shown as text and never runs', async () => {
    await open('/');
    assert.ok((await mainText(page)).includes(XSS_TITLE), 'literal title on the list');
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    await open(`/papers/${XSS_ID}`);
    assert.equal(squash(await page.locator('h1').innerText()), XSS_TITLE);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await page.locator('main script').count(), 0, 'no script element made from data');
  });

  test('the date picker works without JavaScript', async () => {
    const noJs = await chrome.browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await open('/', p);
      const target = '2024-05-29';
      const form = p.locator('main form').filter({ has: p.getByLabel(/date/i) });
      await form.getByLabel(/date/i).fill(target);
      await Promise.all([p.waitForURL(`${site.url}/papers/date/${target}`), form.locator('button[type="submit"], input[type="submit"]').click()]);
      assert.equal(await p.locator(`h1 time[datetime="${target}"]`).count(), 1, `the heading names ${target}`);
      assertIncludesAll(await mainText(p), (await dayItems(target)).map((i) => i.paper.title), `titles on ${target}`);
    } finally {
      await noJs.close();
    }
  });

  test('an unknown paper gets a 404 page', async () => {
    const res = await open('/papers/2401.99999');
    assert.equal(res.status(), 404);
    assert.match(await mainText(page), /404|not found/i);
    assert.ok(await page.locator('a[href="/"]').count(), 'a way back home');
    await assertAccessibleBasics(page);
  });

  test('screenshots of / at desktop and mobile widths', async () => {
    mkdirSync(SHOT_DIR, { recursive: true });
    const shots = [
      { name: 'daily-desktop.png', viewport: { width: 1280, height: 900 } },
      { name: 'daily-mobile-390.png', viewport: { width: 390, height: 844 } },
    ];
    for (const shot of shots) {
      const p = await chrome.context.newPage();
      await p.setViewportSize(shot.viewport);
      await open('/', p);
      const path = join(SHOT_DIR, shot.name);
      await p.screenshot({ path, fullPage: true });
      if (shot.viewport.width === 390) {
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no horizontal scrolling at 390px (overflow ${overflow}px)`);
      }
      await p.close();
      assert.ok(statSync(path).size > 1000, `${path} is not empty`);
      console.log(`screenshot: ${path}`);
    }
  });

  test('no script errors or failed subresources on any page visited', () => {
    assert.deepEqual(problems, []);
  });
});
