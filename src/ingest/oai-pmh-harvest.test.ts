import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import type { ArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { HarvestError } from './arxiv-api-harvest.js';
import { HttpClientError, PoliteClient } from './http-client.js';
import { categoryProblem, harvestOaiPmh, matchesCategories, oaiSetFor, oaiStateKey } from './oai-pmh-harvest.js';
import type { OaiHarvestOptions } from './oai-pmh-harvest.js';

const HEP_TH = 'hepcrawl-arxiv-physics-hep-th.xml';
const HEP_EX = 'hepcrawl-arxiv-physics-hep-ex.xml';
let server: ArxivFixtureServer;
let store: SqliteStore;

const params = () => server.requests.map((r) => Object.fromEntries(r.url.searchParams));
const state = async (set: string) => JSON.parse((await store.getState(oaiStateKey(set))) ?? 'null') as Record<string, unknown> | null;
const ids = async () => (await store.listPapers({ limit: 100 })).items.map((p) => p.id);

function harvest(over: Partial<OaiHarvestOptions> = {}) {
  const client = new PoliteClient({ delayMs: 5, maxAttempts: 1 });
  return harvestOaiPmh({ store, client, categories: ['hep-th'], baseUrl: server.url, from: '2017-12-01', ...over });
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

describe('arXiv categories and OAI-PMH sets', () => {
  it('maps categories to sets', () => {
    assert.equal(oaiSetFor('cs.CV'), 'cs');
    assert.equal(oaiSetFor('cs'), 'cs');
    assert.equal(oaiSetFor('hep-th'), 'physics:hep-th');
    assert.equal(oaiSetFor('astro-ph.CO'), 'physics:astro-ph');
    assert.equal(oaiSetFor('math-ph'), 'physics:math-ph');
    assert.equal(oaiSetFor('stat.ML'), 'stat');
  });

  it('validates categories', () => {
    assert.equal(categoryProblem('cs.CV'), null);
    assert.equal(categoryProblem('q-bio.NC'), null);
    assert.match(categoryProblem('CS.CV') ?? '', /is not an arXiv category/);
    assert.match(categoryProblem('cs CV') ?? '', /is not an arXiv category/);
    assert.match(categoryProblem('bio.XX') ?? '', /not in a known arXiv archive/);
  });

  it('matches exact categories, or every category of an archive', () => {
    assert.equal(matchesCategories(['hep-ph', 'astro-ph.CO'], ['astro-ph']), true);
    assert.equal(matchesCategories(['hep-ph', 'astro-ph.CO'], ['astro-ph.GA']), false);
    assert.equal(matchesCategories(['cs.CV', 'cs.LG'], ['cs.LG']), true);
    assert.equal(matchesCategories(['cs.CVX'], ['cs.CV']), false);
    assert.equal(matchesCategories(undefined, ['cs']), false);
  });
});

describe('harvestOaiPmh', () => {
  it('lists records of the set from a date and records the response date as covered', async () => {
    server.oaiPages = [HEP_TH];
    const summary = await harvest();
    assert.deepEqual(params(), [{ verb: 'ListRecords', metadataPrefix: 'arXiv', from: '2017-12-01', set: 'physics:hep-th' }]);
    assert.equal(summary.new, 3);
    assert.deepEqual(await ids(), ['1412.8323', '1507.07790', '1607.01710']);
    const paper = await store.getPaper('1607.01710');
    assert.deepEqual(paper?.categories, ['hep-th']);
    assert.equal(summary.complete, true);
    assert.equal(summary.coveredUntil, '2017-12-14');
    assert.deepEqual(await state('physics:hep-th'), { from: '2017-12-01', resumptionToken: null, runDate: null, coveredUntil: '2017-12-14' });
  });

  it('follows resumptionTokens to the empty one and keeps only the requested categories', async () => {
    server.oaiPages = [HEP_TH, HEP_EX];
    const summary = await harvest({ categories: ['quant-ph'] });
    assert.deepEqual(params(), [
      { verb: 'ListRecords', metadataPrefix: 'arXiv', from: '2017-12-01', set: 'physics:quant-ph' },
      { verb: 'ListRecords', resumptionToken: 'page-1' },
    ]);
    assert.equal(summary.pages, 2);
    assert.deepEqual(await ids(), ['1412.8323', '1507.07790']);
    assert.equal(summary.complete, true);
  });

  it('harvests each set once, with its own cursor', async () => {
    server.oaiPages = [HEP_EX];
    const summary = await harvest({ categories: ['hep-th', 'hep-ex', 'hep-th'] });
    assert.deepEqual(
      params().map((p) => p.set),
      ['physics:hep-ex', 'physics:hep-th'],
    );
    assert.equal(summary.new, 3);
    assert.equal((await state('physics:hep-ex'))?.coveredUntil, '2017-12-14');
    assert.equal((await state('physics:hep-th'))?.coveredUntil, '2017-12-14');
  });

  it('treats noRecordsMatch as done, and continues from the covered date next time', async () => {
    const summary = await harvest({ from: '2017-12-01' });
    assert.equal(summary.complete, true);
    assert.deepEqual([summary.pages, summary.new], [1, 0]);
    server.requests.length = 0;
    server.oaiPages = [HEP_TH];
    const next = await harvest({ from: null });
    assert.equal(params()[0]?.from, '2017-12-14');
    assert.equal(next.new, 3);
  });

  it('resumes an interrupted run from its stored resumptionToken', async () => {
    server.oaiPages = [HEP_TH, HEP_EX, HEP_TH];
    server.handler = (url) => (url.searchParams.get('resumptionToken') === 'page-2' ? { status: 503, body: 'busy' } : null);
    await assert.rejects(harvest(), HttpClientError);
    assert.deepEqual(await state('physics:hep-th'), { from: '2017-12-01', resumptionToken: 'page-2', runDate: '2017-12-14', coveredUntil: null });

    server.handler = null;
    server.requests.length = 0;
    const summary = await harvest({ from: null });
    assert.deepEqual(params(), [{ verb: 'ListRecords', resumptionToken: 'page-2' }]);
    assert.deepEqual([summary.new, summary.unchanged], [0, 3]);
    assert.equal((await state('physics:hep-th'))?.resumptionToken, null);
  });

  it('--max-pages stops resumably', async () => {
    server.oaiPages = [HEP_TH, HEP_TH];
    const first = await harvest({ maxPages: 1 });
    assert.equal(first.complete, false);
    assert.equal((await state('physics:hep-th'))?.resumptionToken, 'page-1');
  });

  it('starts the list again when the stored token has expired', async () => {
    server.oaiPages = [HEP_TH];
    await store.setState(oaiStateKey('physics:hep-th'), JSON.stringify({ from: '2017-12-01', resumptionToken: 'page-7', runDate: null, coveredUntil: null }));
    const summary = await harvest({ from: null });
    assert.deepEqual(
      params().map((p) => p.resumptionToken ?? p.from),
      ['page-7', '2017-12-01'],
    );
    assert.equal(summary.new, 3);
    assert.match(summary.warnings.join('\n'), /resumptionToken has expired/);
  });

  it('reports other OAI-PMH errors clearly', async () => {
    server.queue({ body: '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badArgument">Illegal set</error></OAI-PMH>' });
    await assert.rejects(harvest(), (err: unknown) => err instanceof HarvestError && /^OAI-PMH error badArgument: Illegal set \(http/.test(err.message));
    server.queue({ body: '<html><body>Rate exceeded</body></html>' });
    await assert.rejects(harvest(), /unreadable OAI-PMH response .* not an OAI-PMH response/);
    await assert.rejects(harvest({ from: null }), /no --since date given and no earlier OAI-PMH harvest of set physics:hep-th/);
  });
});
