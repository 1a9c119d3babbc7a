import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { searchFixtureItems } from '../fixtures/search-service/load.js';
import { launchBrowser } from './support/browser.js';
import type { E2eBrowser } from './support/browser.js';
import { assertAccessibleBasics, mainText, squash } from './support/page-checks.js';
import { XSS_ID, startE2eSite } from './support/site.js';
import type { E2eSite } from './support/site.js';

const SHOT_DIR = join(tmpdir(), 'paperboy-e2e-screenshots');
const cardIds = (page: Page) => page.locator('main article.search-hit').evaluateAll((els) => els.map((el) => el.getAttribute('data-paper-id')));

describe('search in a real browser', () => {
  let site: E2eSite;
  let chrome: E2eBrowser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    site = await startE2eSite();
    await site.store.upsertItems(searchFixtureItems());
    chrome = await launchBrowser();
    page = await chrome.context.newPage();
    page.on('pageerror', (err) => problems.push(`script error on ${page.url()}: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400 && res.request().resourceType() !== 'document') problems.push(`${res.status()} for ${res.url()}`);
    });
    mkdirSync(SHOT_DIR, { recursive: true });
  });

  after(async () => {
    await chrome?.close();
    await site?.close();
  });

  test('typing a query shows results as you type, without submitting', async () => {
    await page.goto(`${site.url}/papers/search`);
    await assertAccessibleBasics(page);
    const before = page.url();
    await page.locator('#search-q').pressSequentially('gaussian splat', { delay: 20 });
    await page.locator('main article.search-hit').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/papers/search', 'no navigation');
    await page.waitForURL((u) => u.searchParams.get('q') === 'gaussian splat');
    assert.notEqual(page.url(), before);
    const ids = await cardIds(page);
    assert.ok(ids.length >= 5, `${ids.length} results for a half-typed word`);
    const marked = await page.locator('main article.search-hit mark').allInnerTexts();
    assert.ok(marked.some((m) => /^splat/i.test(m)) && marked.some((m) => /^gaussian$/i.test(m)), marked.join(','));
    assert.match(await page.locator('main .search-status').innerText(), /results for “?gaussian splat/);
    assert.match(await page.locator('main h1').innerText(), /gaussian splat/);
    await page.screenshot({ path: join(SHOT_DIR, 'search-as-you-type.png'), fullPage: true });

    await page.locator('main summary').click();
    await page.locator('#search-mode').selectOption('keyword');
    await page.locator('#search-sort').selectOption('upvotes');
    await page.waitForURL((u) => u.searchParams.get('sort') === 'upvotes');
    await page.waitForFunction(() => document.querySelector('#search-results')?.getAttribute('aria-busy') !== 'true');
    const votes = await page.locator('main article.search-hit .votes b').allInnerTexts();
    const n = votes.map((v) => Number(v.replace(/,/g, '')));
    assert.deepEqual(n, [...n].sort((a, b) => b - a), 'sorted by upvotes after changing the select');
  });

  test('the header box suggests titles; arrow keys and Enter open one', async () => {
    await page.goto(`${site.url}/`);
    await page.locator('#site-search-q').pressSequentially('gaussian', { delay: 20 });
    const option = page.locator('.search-suggestions [role="option"]').first();
    await option.waitFor();
    assert.equal(await page.locator('#site-search-q').getAttribute('aria-expanded'), 'true');
    const title = await option.innerText();
    assert.match(title, /gaussian/i);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => /^\/papers\/\d{4}\.\d{4,5}$/.test(u.pathname));
    assert.equal(await page.locator('h1').innerText(), title);
    const similar = page.locator('section[aria-labelledby="similar-heading"] li');
    assert.equal(await similar.count(), 5, 'five similar papers');
    await page.getByRole('link', { name: 'More like this' }).click();
    await page.waitForURL((u) => u.searchParams.has('like'));
    assert.match(await page.locator('h1').innerText(), /Papers like/);
    assert.ok((await cardIds(page)).length >= 5);
  });

  test('with JavaScript off the header box and the search form work by submitting', async () => {
    const noJs = await chrome.browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await p.goto(`${site.url}/`);
      await p.locator('#site-search-q').fill('reasoning');
      await p.locator('#site-search-q').press('Enter');
      await p.waitForURL((u) => u.pathname === '/papers/search' && u.searchParams.get('q') === 'reasoning');
      const first = await cardIds(p);
      assert.equal(first.length, 20, 'a full first page');
      assert.match(await mainText(p), /1–20 of \d+ results for “?reasoning/);
      await p.getByRole('link', { name: /Next page/ }).click();
      await p.waitForURL((u) => u.searchParams.get('p') === '2');
      const second = await cardIds(p);
      assert.ok(second.length > 0 && !second.some((id) => first.includes(id)), 'page 2 has other papers');

      await p.locator('main summary').click();
      await p.locator('#search-category').fill('cs.CL');
      await p.locator('#search-code').check();
      await p.locator('#search-q').press('Enter');
      await p.waitForURL((u) => u.searchParams.get('category') === 'cs.CL');
      const filtered = await cardIds(p);
      assert.ok(filtered.length > 0);
      for (const id of filtered) assert.equal(await p.locator(`article[data-paper-id="${id}"] a[href^="https://github.com"]`).count(), 1, `${id} has code`);
      await assertAccessibleBasics(p);
      await p.screenshot({ path: join(SHOT_DIR, 'search-no-js.png'), fullPage: true });
    } finally {
      await noJs.close();
    }
  });

  test('a script in a title is found, shown as text and marked', async () => {
    await page.goto(`${site.url}/papers/search?q=injected+script`);
    const card = page.locator(`article[data-paper-id="${XSS_ID}"]`);
    await card.waitFor();
    assert.equal(await card.locator('h2').innerText(), '<script>window.__xss=1</script> Injected');
    assert.deepEqual(await card.locator('h2 mark').allInnerTexts(), ['script', 'script', 'Injected']);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  });

  test('a misspelled query shows corrected results with a way back to the words as typed; a query matching nothing says so (desktop and phone)', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const p = await chrome.context.newPage();
      try {
        await p.setViewportSize(viewport);
        await p.goto(`${site.url}/papers/search?q=${encodeURIComponent('difusion modles')}`);
        const note = p.locator('main .search-correction');
        assert.equal(squash(await note.innerText()), 'Showing results for diffusion models. Search instead for difusion modles.');
        assert.ok((await cardIds(p)).length > 0);
        const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok((await overflow()) <= 1, `no horizontal scrolling at ${viewport.width}px`);
        await p.screenshot({ path: join(SHOT_DIR, `search-corrected-${viewport.width}.png`), fullPage: true });

        await note.getByRole('link', { name: 'difusion modles' }).click();
        await p.waitForURL((u) => u.searchParams.has('literal'));
        assert.equal(await p.locator('main .search-correction').count(), 0, 'not corrected again');
        const empty = squash(await p.locator('main .empty-state').innerText());
        assert.match(empty, /^No papers match “?difusion modles”?\. Did you mean diffusion models\?/);
        assert.ok((await overflow()) <= 1, `no horizontal scrolling at ${viewport.width}px`);
        await assertAccessibleBasics(p);
        await p.screenshot({ path: join(SHOT_DIR, `search-literal-${viewport.width}.png`), fullPage: true });
        await p.locator('main .empty-state').getByRole('link', { name: 'diffusion models' }).click();
        await p.waitForURL((u) => u.searchParams.get('q') === 'diffusion models' && !u.searchParams.has('literal'));
        assert.ok((await cardIds(p)).length > 0);

        await p.goto(`${site.url}/papers/search?q=asdkjhqwezzz&sort=newest`);
        assert.match(squash(await p.locator('main .empty-state').innerText()), /^No papers match “?asdkjhqwezzz”?\./);
        assert.deepEqual(await cardIds(p), []);
        await p.screenshot({ path: join(SHOT_DIR, `search-no-match-${viewport.width}.png`), fullPage: true });
      } finally {
        await p.close();
      }
    }
  });

  test('no script errors or failed requests', () => {
    assert.deepEqual(problems, []);
  });
});
