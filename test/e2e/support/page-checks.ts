import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** Collapse runs of whitespace, as a browser does when it lays out text. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The visible text of `main`, whitespace collapsed. */
export async function mainText(page: Page): Promise<string> {
  return squash(await page.locator('main').innerText());
}

export function assertIncludesAll(text: string, expected: string[], what: string): void {
  const missing = expected.filter((e) => !text.includes(squash(e)));
  assert.deepEqual(missing, [], `${what}: missing ${missing.length} of ${expected.length}`);
}

/**
 * Accessibility smoke check: one h1, one main landmark, and every form
 * control a user can fill has an accessible name from a label or ARIA.
 */
export async function assertAccessibleBasics(page: Page): Promise<void> {
  assert.equal(await page.locator('h1').count(), 1, `${page.url()}: exactly one h1`);
  assert.equal(await page.locator('main, [role="main"]').count(), 1, `${page.url()}: exactly one main landmark`);
  assert.ok(await page.locator('html[lang]').count(), `${page.url()}: <html> has a lang attribute`);
  const unlabelled = await page.$$eval('input, select, textarea', (els) =>
    els
      .filter((el) => {
        const type = el.getAttribute('type');
        if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'reset' || type === 'image') return false;
        const labelled = (el as HTMLInputElement).labels?.length ?? 0;
        const aria = el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')?.trim();
        return labelled === 0 && !aria;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, [], `${page.url()}: every input has a label`);
}
