import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { importFiles } from '../../../src/ingest/import-files.js';
import type { ImportItem } from '../../../src/model.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { startServer } from '../../../src/web/server.js';
import type { RunningServer } from '../../../src/web/server.js';

/** 65 real Hugging Face daily entries, 2024-05-27 .. 2024-06-03 (six list dates, a weekend gap before the last). */
export const DAILY_SAMPLE = resolve('test/fixtures/e2e/daily-sample.jsonl');

const SAMPLE_RECORDS = 65;

export const XSS_ID = '2406.99001';
export const XSS_TITLE = '<script>window.__xss=1</script> Injected';
export const LATEX_ID = '2406.99002';
export const LATEX_TITLE = 'Mass-energy equivalence for test pages';
export const LATEX_ABSTRACT = 'We restate the relation $E = mc^2$ and check that it renders as mathematics, not as dollar signs.';

export interface E2eSite {
  url: string;
  store: Store;
  /** Temp dir holding the database; screenshots may go here too. Removed by close(). */
  dir: string;
  /** The newest list date (the injected papers are on it). */
  latestDate: string;
  close(): Promise<void>;
}

function injectedItems(date: string): ImportItem[] {
  const base = {
    authors: ['Ada Lovelace', 'Grace Hopper'],
    categories: ['cs.CR'],
    publishedAt: `${date}T09:00:00.000Z`,
    updatedAt: `${date}T09:00:00.000Z`,
    version: 1,
  };
  const daily = { date, submittedAt: `${date}T10:00:00.000Z`, submitter: null };
  return [
    {
      paper: { ...base, id: XSS_ID, title: XSS_TITLE, abstract: 'An abstract for a paper whose title tries to run a script.' },
      daily,
      community: { upvotes: 3, numComments: 0 },
    },
    {
      paper: { ...base, id: LATEX_ID, title: LATEX_TITLE, abstract: LATEX_ABSTRACT, categories: ['physics.gen-ph'] },
      daily,
      community: { upvotes: 2, numComments: 0 },
    },
  ];
}

/** A real server on 127.0.0.1:<free port> over a fresh SQLite file filled from the fixture. */
export async function startE2eSite(): Promise<E2eSite> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-e2e-'));
  let store: Store | null = null;
  let server: RunningServer | null = null;
  try {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PAPERBOY_DATA_DIR: dir, PAPERBOY_DEMO_DATA: 'off' });
    store = await openStore(config);
    await store.migrate();
    const report = await importFiles(store, [DAILY_SAMPLE]);
    if (report.problems.length > 0 || report.total.new !== SAMPLE_RECORDS) {
      throw new Error(`importing ${DAILY_SAMPLE}: expected ${SAMPLE_RECORDS} new papers, got ${JSON.stringify(report.total)} ${JSON.stringify(report.problems.slice(0, 3))}`);
    }
    const latestDate = await store.latestDailyDate();
    if (!latestDate) throw new Error(`importing ${DAILY_SAMPLE} left no daily entries`);
    await store.upsertItems(injectedItems(latestDate));
    server = await startServer({ store, config });
    const running = server;
    const opened = store;
    return {
      url: running.url,
      store: opened,
      dir,
      latestDate,
      close: async () => {
        await running.close();
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
