/**
 * The behaviour every Store implementation must have. Each implementation's
 * test file calls `storeContract` with a factory for a fresh, migrated store.
 */
import assert from 'node:assert/strict';
import type { Store } from './store.js';
import { storeSearchContract } from './store-search.contract.js';
import type { SearchContractOptions } from './store-search.contract.js';
import { buildDailyItem, buildPaper } from '../../test/support/build.js';
import { storeTests } from './contract-support.js';

export function storeContract(name: string, freshStore: () => Promise<Store>, opts: SearchContractOptions = {}): void {
  storeSearchContract(name, freshStore, opts);
  storeDataContract(name, freshStore);
}

/** Everything but keyword search: papers, merges, daily lists, paging, state. */
export function storeDataContract(name: string, freshStore: () => Promise<Store>): void {
  const withStore = storeTests(name, freshStore);

  withStore('migrate twice is harmless', async (store) => {
    await store.migrate();
    assert.equal(await store.countPapers(), 0);
  });

  // close() twice must be harmless too: the harness closes every store after its test.
  withStore('a migrated store is ready; a closed one is not, and says why', async (store) => {
    assert.deepEqual(await store.readiness(), { ready: true });
    await store.close();
    const closed = await store.readiness();
    assert.equal(closed.ready, false);
    assert.ok(!closed.ready && closed.reason.length > 0);
  });

  withStore('stores and reads back a paper with ordered authors, categories and versions', async (store) => {
    const paper = buildPaper({ authors: ['Zed', 'Amy', 'Bob'], categories: ['cs.CV', 'cs.AI'], comment: '12 pages', doi: '10.1/x' });
    const summary = await store.upsertItems([{ paper }]);
    assert.deepEqual(summary.outcomes, ['new']);
    const got = await store.getPaper(paper.id);
    assert.ok(got);
    assert.deepEqual(got.authors, ['Zed', 'Amy', 'Bob']);
    assert.deepEqual(got.categories, ['cs.CV', 'cs.AI']);
    assert.equal(got.comment, '12 pages');
    assert.equal(got.doi, '10.1/x');
    assert.deepEqual(got.versions.map((v) => v.version), [1]);
    assert.equal(await store.getPaper('9999.99999'), null);
  });

  withStore('getPaperDetails reads many papers as getPaper reads one, in the order asked', async (store) => {
    const a = buildDailyItem('2024-05-27', { versions: [{ version: 1, submittedAt: '2024-05-20T00:00:00Z' }, { version: 2, submittedAt: '2024-05-25T00:00:00Z' }], version: 2 }, 3);
    const b = buildDailyItem('2024-05-28', {}, 7);
    const c = { paper: buildPaper() };
    await store.upsertItems([a, b, c, { ...a, daily: { date: '2024-06-02' } }]);
    const ids = [c.paper.id, 'nope', a.paper.id, b.paper.id, a.paper.id];
    const one = await Promise.all(ids.map((id) => store.getPaper(id)));
    assert.deepEqual(await store.getPaperDetails(ids), one.filter((p) => p !== null));
    assert.equal((await store.getPaperDetails([a.paper.id]))[0]?.dailyEntries.length, 2);
    assert.deepEqual(await store.getPaperDetails([]), []);
  });

  withStore('NUL characters are dropped from stored text, so one such record does not fail its batch', async (store) => {
    const good = buildPaper({ title: 'A fine paper' });
    const odd = buildPaper({ title: 'Bad\u0000 title', abstract: 'An\u0000 abstract', authors: ['Ada\u0000 Lovelace'] });
    const summary = await store.upsertItems([{ paper: good }, { paper: odd }]);
    assert.equal(summary.new, 2);
    const got = await store.getPaper(odd.id);
    assert.equal(got?.title, 'Bad title');
    assert.equal(got?.abstract, 'An abstract');
    assert.deepEqual(got?.authors, ['Ada Lovelace']);
    assert.equal((await store.getPaper(good.id))?.title, 'A fine paper');
  });

  withStore('getDailyEntries reads what getPaperDetails reads as dailyEntries, by paper then date', async (store) => {
    const a = buildDailyItem('2024-06-02', {}, 3);
    const b = buildDailyItem('2024-05-28', {}, 7);
    await store.upsertItems([a, b, { ...a, daily: { date: '2024-05-27' } }, { paper: buildPaper() }]);
    const ids = [b.paper.id, 'nope', a.paper.id];
    const details = await store.getPaperDetails(ids);
    const expected = details.flatMap((d) => d.dailyEntries).sort((x, y) => (x.paperId < y.paperId ? -1 : x.paperId > y.paperId ? 1 : 0));
    assert.equal(expected.length, 3);
    assert.deepEqual(await store.getDailyEntries(ids), expected);
    assert.deepEqual((await store.getDailyEntries([a.paper.id])).map((e) => e.date), ['2024-05-27', '2024-06-02']);
    assert.deepEqual(await store.getDailyEntries([]), []);
  });

  withStore('importing the same items twice changes nothing', async (store) => {
    const items = [buildDailyItem('2024-05-27', {}, 3), buildDailyItem('2024-05-27', {}, 7)];
    const first = await store.upsertItems(items);
    assert.deepEqual([first.new, first.updated, first.unchanged], [2, 0, 0]);
    const second = await store.upsertItems(items);
    assert.deepEqual([second.new, second.updated, second.unchanged], [0, 0, 2]);
  });

  withStore('a newer version updates fields and keeps votes and daily entries; an older one does not', async (store) => {
    const v1 = buildDailyItem('2024-05-27', { title: 'Old title' }, 12);
    await store.upsertItems([v1]);
    const v2 = { paper: { ...v1.paper, version: 2, title: 'New title', versions: [{ version: 2, submittedAt: '2024-06-01T00:00:00Z' }] } };
    assert.deepEqual((await store.upsertItems([v2])).outcomes, ['updated']);
    let got = await store.getPaper(v1.paper.id);
    assert.equal(got?.title, 'New title');
    assert.equal(got?.version, 2);
    assert.equal(got?.upvotes, 12);
    assert.deepEqual(got?.dailyEntries.map((e) => e.date), ['2024-05-27']);
    assert.deepEqual(got?.versions.map((v) => v.version), [1, 2]);
    assert.deepEqual((await store.upsertItems([v1])).outcomes, ['unchanged']);
    got = await store.getPaper(v1.paper.id);
    assert.equal(got?.title, 'New title');
  });

  withStore('an unversioned daily entry fills gaps but does not override arXiv metadata', async (store) => {
    const arxiv = buildPaper({ version: 3, title: 'Exact arXiv title', githubRepo: null });
    await store.upsertItems([{ paper: arxiv }]);
    await store.upsertItems([{ paper: { ...arxiv, version: null, title: 'HF title', githubRepo: 'https://github.com/a/b' }, daily: { date: '2025-01-10' }, community: { upvotes: 5, numComments: 2 } }]);
    const got = await store.getPaper(arxiv.id);
    assert.equal(got?.title, 'Exact arXiv title');
    assert.equal(got?.githubRepo, 'https://github.com/a/b');
    assert.equal(got?.upvotes, 5);
    assert.equal(got?.numComments, 2);
  });

  withStore("a daily-list capture never overwrites arXiv's text, whichever is imported last", async (store) => {
    const arxiv = buildPaper({ version: null, title: 'DA$^2$: depth anything', authors: ['A', 'B'] });
    const hf = { ...arxiv, origin: 'daily-list' as const, title: 'DA^2: depth anything', authors: ['B', 'A'] };
    await store.upsertItems([{ paper: hf, daily: { date: '2025-01-10' } }]);
    assert.equal((await store.getPaper(arxiv.id))?.title, 'DA^2: depth anything', 'a capture fills an empty record');
    await store.upsertItems([{ paper: arxiv }]);
    await store.upsertItems([{ paper: hf, daily: { date: '2025-01-10' } }]);
    const again = await store.upsertItems([{ paper: arxiv }, { paper: hf, daily: { date: '2025-01-10' } }]);
    assert.deepEqual(again.outcomes, ['unchanged', 'unchanged']);
    const got = await store.getPaper(arxiv.id);
    assert.equal(got?.title, 'DA$^2$: depth anything');
    assert.deepEqual(got?.authors, ['A', 'B']);
  });

  withStore('two captures of one paper on different days re-import without flip-flopping', async (store) => {
    const early = buildDailyItem('2026-04-10', { githubRepo: null, projectPage: null, keywords: null }, 3);
    const late = { paper: { ...early.paper, githubRepo: 'https://github.com/x/y', keywords: ['agents'] }, daily: { date: '2026-04-16' }, community: { upvotes: 9, numComments: 1 } };
    await store.upsertItems([early, late]);
    const again = await store.upsertItems([early, late]);
    assert.deepEqual(again.outcomes, ['unchanged', 'unchanged']);
    const got = await store.getPaper(early.paper.id);
    assert.equal(got?.githubRepo, 'https://github.com/x/y');
    assert.deepEqual(got?.keywords, ['agents']);
    assert.equal(got?.upvotes, 9);
    assert.deepEqual(got?.dailyEntries.map((e) => e.date), ['2026-04-10', '2026-04-16']);
  });

  withStore('daily lists: range, one card per paper, sorting, categories, submitter, paging', async (store) => {
    const a = buildDailyItem('2024-05-27', { categories: ['cs.CV'], publishedAt: '2024-05-20T00:00:00Z' }, 10);
    const b = buildDailyItem('2024-05-27', { categories: ['cs.CL', 'cs.AI'], publishedAt: '2024-05-25T00:00:00Z' }, 30);
    const c = buildDailyItem('2024-05-29', { categories: ['math.AP'] }, 1);
    c.daily = { date: '2024-05-29', submitter: 'alice' };
    await store.upsertItems([a, b, c, { ...a, daily: { date: '2024-05-28' } }]);

    const day = await store.listDaily({ from: '2024-05-27', to: '2024-05-27' });
    assert.equal(day.total, 2);
    assert.deepEqual(day.items.map((i) => i.paper.id), [b.paper.id, a.paper.id]);
    const newest = await store.listDaily({ from: '2024-05-27', to: '2024-05-27', sort: 'newest' });
    assert.deepEqual(newest.items.map((i) => i.paper.id), [b.paper.id, a.paper.id]);

    const week = await store.listDaily({ from: '2024-05-27', to: '2024-06-02' });
    assert.equal(week.total, 3, 'a paper on two days of the range is one card');
    assert.equal(week.items.find((i) => i.paper.id === a.paper.id)?.entry.date, '2024-05-27');

    assert.deepEqual((await store.listDaily({ from: '2024-05-01', to: '2024-05-31', categories: ['cs'] })).total, 2);
    assert.deepEqual((await store.listDaily({ from: '2024-05-01', to: '2024-05-31', categories: ['cs.AI'] })).items.map((i) => i.paper.id), [b.paper.id]);
    assert.deepEqual((await store.listDaily({ from: '2024-05-01', to: '2024-05-31', excludeCategories: ['cs'] })).items.map((i) => i.paper.id), [c.paper.id]);
    assert.deepEqual((await store.listDaily({ from: '2024-05-01', to: '2024-05-31', submitter: 'alice' })).items.map((i) => i.paper.id), [c.paper.id]);
    const page2 = await store.listDaily({ from: '2024-05-01', to: '2024-05-31', limit: 2, offset: 2 });
    assert.equal(page2.items.length, 1);
    assert.equal(page2.total, 3);

    assert.equal(await store.latestDailyDate(), '2024-05-29');
    assert.deepEqual(await store.adjacentDailyDates('2024-05-28'), { previous: '2024-05-27', next: '2024-05-29' });
    assert.deepEqual(await store.adjacentDailyDates('2024-05-27'), { previous: null, next: '2024-05-28' });
  });

  withStore('trending sorts by the stored score', async (store) => {
    const old = buildDailyItem('2024-05-01', {}, 1000);
    const fresh = buildDailyItem('2024-05-30', {}, 5);
    await store.upsertItems([old, fresh]);
    const list = await store.listDaily({ from: '2024-05-01', to: '2024-05-31', sort: 'trending' });
    assert.deepEqual(list.items.map((i) => i.paper.id), [fresh.paper.id, old.paper.id]);
  });

  withStore('listPapers pages through every paper by cursor', async (store) => {
    await store.upsertItems([1, 2, 3, 4, 5].map(() => ({ paper: buildPaper() })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listPapers({ cursor, limit: 2 });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.deepEqual([...seen].sort(), seen);
  });

  withStore('state keys', async (store) => {
    assert.equal(await store.getState('k'), null);
    await store.setState('k', 'one');
    await store.setState('k', 'two');
    assert.equal(await store.getState('k'), 'two');
  });

  withStore('a lease has one holder until it is released or expires', async (store) => {
    assert.equal(await store.acquireLease('embed', 'a', 60_000), true);
    assert.equal(await store.acquireLease('embed', 'b', 60_000), false, 'held by a');
    assert.equal(await store.acquireLease('embed', 'a', 60_000), true, 'the holder renews it');
    assert.equal(await store.acquireLease('train', 'b', 60_000), true, 'another lease is independent');
    await store.releaseLease('embed', 'b');
    assert.equal(await store.acquireLease('embed', 'b', 60_000), false, 'only the holder releases it');
    await store.releaseLease('embed', 'a');
    assert.equal(await store.acquireLease('embed', 'b', 200), true, 'released: free for another');
    assert.equal(await store.acquireLease('embed', 'a', 60_000), false);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(await store.acquireLease('embed', 'a', 60_000), true, "b's lease expired: a takes it over");
  });

  withStore('model files are kept by id and replaced whole', async (store) => {
    assert.equal(await store.getModelFile('learned-8-abc'), null);
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
    await store.putModelFile('learned-8-abc', bytes);
    assert.deepEqual(Buffer.from((await store.getModelFile('learned-8-abc'))!), Buffer.from(bytes));
    await store.putModelFile('learned-8-abc', Uint8Array.of(1, 2, 3));
    assert.deepEqual([...(await store.getModelFile('learned-8-abc'))!], [1, 2, 3]);
  });
}
