import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';

/** The system Chromium; tests never download a browser. */
export const CHROMIUM_PATH = process.env.PAPERBOY_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2eBrowser {
  /** The default context (JavaScript on, desktop viewport), on a fresh user-data-dir. */
  context: BrowserContext;
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<E2eBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set PAPERBOY_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'paperboy-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const browser = context.browser();
    if (!browser) throw new Error('Chromium started without a browser handle');
    context.setDefaultTimeout(5_000);
    return {
      context,
      browser,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
