import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { emptyPageOf, readArxivFixture, startArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import type { ArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { HarvestError, apiQueryUrl, apiStateKey, harvestArxivApi } from './arxiv-api-harvest.js';
import type { ApiHarvestOptions } from './arxiv-api-harvest.js';
import { HttpClientError, PoliteClient } from './http-client.js';

const CATS = ['cs.LG', 'cs.CV'];
const PAGE0 = 'api-atom/q_testing_s0_m10_bc5a6c384fe9.atom.xml';
let server: ArxivFixtureServer;
let store: SqliteStore;

const starts = () => server.requests.map((r) => Number(r.url.searchParams.get('start')));
const state = async () => JSON.parse((await store.getState(apiStateKey(CATS))) ?? 'null') as Record<string, unknown> | null;

function harvest(over: Partial<ApiHarvestOptions> = {}) {
  const client = new PoliteClient({ delayMs: 5, maxAttempts: 1 });
  return harvestArxivApi({ store, client, categories: CATS, baseUrl: server.url, pageSize: 10, since: '2000-01-01', ...over });
}

before(async () => {
  server = await startArxivFixtureServer();
});
after(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  store = await SqliteStore.open(':memory:');
  await store.migrate();
});

describe('harvestArxivApi', () => {
  it('builds the export API query, sorted by submission date, newest first', () => {
    assert.equal(
      apiQueryUrl('https://export.arxiv.org/', ['cs.CV', 'cs.LG'], 200, 100),
      'https://export.arxiv.org/api/query?search_query=cat:cs.CV+OR+cat:cs.LG&sortBy=submittedDate&sortOrder=descending&start=200&max_results=100',
    );
    assert.equal(apiStateKey(['cs.LG', 'cs.CV', 'cs.LG']), 'harvest:api:cs.CV,cs.LG');
  });

  it('walks every page politely, stops after 3 empty answers, and records what it covered', async () => {
    const delayMs = 30;
    const client = new PoliteClient({ delayMs, maxAttempts: 1 });
    const summary = await harvest({ client });

    assert.deepEqual(starts(), [0, 10, 20, 30, 40, 50, 60, 60, 60]);
    const first = server.requests[0]!.url;
    assert.equal(first.searchParams.get('search_query'), 'cat:cs.LG OR cat:cs.CV');
    assert.equal(first.searchParams.get('sortBy'), 'submittedDate');
    assert.equal(first.searchParams.get('sortOrder'), 'descending');
    assert.equal(first.searchParams.get('max_results'), '10');
    for (let i = 1; i < server.requests.length; i++) {
      const gap = server.requests[i]!.at - server.requests[i - 1]!.answeredAt!;
      assert.ok(gap >= delayMs, `request ${i} came ${gap} ms after the previous answer`);
    }

    assert.equal(summary.pages, 9);
    assert.equal(summary.new, 60);
    assert.equal(await store.countPapers(), 60);
    assert.equal(summary.complete, true);
    assert.equal(summary.stopReason, '3 empty pages');
    assert.match(summary.warnings.join('\n'), /3 empty pages in a row at offset 60 \(of 214881 results\)/);
    assert.equal(summary.coveredUntil, '2026-02-17');
    assert.deepEqual(await state(), { since: '2000-01-01', start: 0, newest: null, running: false, coveredUntil: '2026-02-17' });

    const paper = await store.getPaper('2202.12139');
    assert.equal(paper?.title, 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques');
    assert.deepEqual(paper?.authors, ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker']);
  });

  it('stops at the first paper older than --since and stores only the newer ones', async () => {
    const summary = await harvest({ since: '2013-01-01' });
    assert.deepEqual(starts(), [0]);
    assert.equal(summary.new, 8);
    assert.equal(await store.getPaper('1202.4527'), null, 'a 2012 paper was stored');
    assert.equal(summary.stopReason, 'reached papers older than 2013-01-01');
    assert.equal(summary.coveredUntil, '2025-03-07');
  });

  it('continues without --since from the covered date, finding nothing new', async () => {
    await harvest({ since: '2013-01-01' });
    server.requests.length = 0;
    const again = await harvest({ since: null });
    assert.deepEqual(starts(), [0]);
    assert.deepEqual([again.new, again.updated], [0, 0]);
    assert.equal(again.unchanged, 1, 'the paper of 2025-03-07, inside the overlap, is looked at again');
    assert.equal(again.coveredUntil, '2025-03-07');
  });

  it('stops when totalResults is reached, without asking for more', async () => {
    server.handler = (url) => (url.pathname === '/api/query' && url.searchParams.get('start') === '0' ? { body: readArxivFixture(PAGE0).replace('>214881<', '>10<') } : null);
    const summary = await harvest();
    assert.deepEqual(starts(), [0]);
    assert.equal(summary.new, 10);
    assert.equal(summary.stopReason, 'end of results');
  });

  it('retries a spurious empty page and goes on', async () => {
    server.queue({ body: emptyPageOf(readArxivFixture(PAGE0)) });
    const summary = await harvest({ since: '2013-01-01' });
    assert.deepEqual(starts(), [0, 0]);
    assert.equal(summary.new, 8);
    assert.deepEqual(summary.warnings, []);
  });

  it('resumes an aborted run at its cursor without asking for stored pages again', async () => {
    server.handler = (url) => (url.searchParams.get('start') === '20' ? { status: 500, body: 'oops' } : null);
    await assert.rejects(harvest(), HttpClientError);
    assert.deepEqual(starts(), [0, 10, 20]);
    assert.equal(await store.countPapers(), 20);
    assert.deepEqual(await state(), { since: '2000-01-01', start: 20, newest: '2025-03-07', running: true, coveredUntil: null });

    server.handler = null;
    server.requests.length = 0;
    const summary = await harvest();
    assert.deepEqual(starts().slice(0, 5), [20, 30, 40, 50, 60]);
    assert.equal(summary.new, 40);
    assert.equal(await store.countPapers(), 60);
    assert.equal(summary.coveredUntil, '2026-02-17');
    assert.match(summary.warnings[0]!, /resuming an interrupted harvest at offset 20/);
  });

  it('--max-pages stops resumably', async () => {
    const first = await harvest({ maxPages: 2 });
    assert.equal(first.complete, false);
    assert.match(first.stopReason, /stopped after 2 pages .* offset 20/);
    assert.equal((await state())?.running, true);
    server.requests.length = 0;
    await harvest({ maxPages: 1 });
    assert.deepEqual(starts(), [20]);
  });

  it('turns an arXiv error feed into a clear error, also when it comes with HTTP 400', async () => {
    const errorFeed = readArxivFixture('api-atom/id_abc_s0_m100_b79c8dcf6bc3.atom.xml');
    server.queue({ body: errorFeed });
    await assert.rejects(harvest(), (err: unknown) => err instanceof HarvestError && /arXiv API error: incorrect id format for abc/.test(err.message));
    server.queue({ status: 400, body: errorFeed });
    await assert.rejects(harvest(), (err: unknown) => err instanceof HarvestError && /HTTP 400 Bad Request: incorrect id format for abc$/.test(err.message));
  });

  it('rejects a response that is not a feed', async () => {
    server.queue({ body: '<html><body>Service unavailable</body></html>' });
    await assert.rejects(harvest(), /unreadable arXiv API response .* not an Atom feed/);
  });

  it('needs --since the first time', async () => {
    await assert.rejects(harvest({ since: null }), /no --since date given and no earlier harvest of cs.LG, cs.CV/);
    assert.equal(server.requests.length, 0);
  });
});
