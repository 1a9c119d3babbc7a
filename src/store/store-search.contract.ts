/**
 * Keyword search and getPapers behaviour every Store implementation must have;
 * run by storeContract. Queries are built the way the app builds them: the
 * search box grammar (parseQuery) turned into a MATCH expression (toFtsMatch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PaperRecord } from '../model.js';
import { QuerySyntaxError } from '../search/errors.js';
import { toFtsExclusion, toFtsMatch } from '../search/fts-query.js';
import { parseQuery } from '../search/query-parser.js';
import type { SearchFilters, Store } from './store.js';
import { buildPaper } from '../../test/support/build.js';
import { mulberry32 } from '../../test/support/random.js';
import { storeTests } from './contract-support.js';

interface FixturePaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
}

// Eight real arXiv listings (CC0): gaussian splatting, diffusion, vision-language papers.
const FIXTURE = JSON.parse(readFileSync(new URL('../../test/fixtures/keyword-search/papers.json', import.meta.url), 'utf8')) as FixturePaper[];

/** The fixture papers with distinct publication dates (2025-01-01, -02, ...) and code for every other one. */
const fixturePapers = (): PaperRecord[] =>
  FIXTURE.map((p, i) => {
    const date = `2025-01-0${i + 1}T12:00:00.000Z`;
    return buildPaper({ ...p, publishedAt: date, updatedAt: date, githubRepo: i % 2 === 0 ? `https://github.com/x/${i}` : null });
  });

async function search(store: Store, input: string, filters?: SearchFilters, limit = 50): Promise<string[]> {
  const q = parseQuery(input);
  const match = toFtsMatch(q);
  const found = await store.searchKeyword({ match, exclude: match === null ? toFtsExclusion(q) : null, filters, limit });
  assert.equal(found.ids.length, found.scores.length);
  return found.ids;
}
const sorted = (ids: string[]) => [...ids].sort();

export interface SearchContractOptions {
  /** Close the store and open the same database again. */
  reopen?: (store: Store) => Promise<Store>;
}

export function storeSearchContract(name: string, freshStore: () => Promise<Store>, opts: SearchContractOptions = {}): void {
  const withStore = storeTests(name, freshStore);

  withStore('getPapers returns papers in the order asked, leaving out unknown ids', async (store) => {
    const [a, b, c] = [buildPaper(), buildPaper(), buildPaper()];
    await store.upsertItems([a, b, c].map((paper) => ({ paper })));
    const got = await store.getPapers([c.id, 'nope', a.id, b.id]);
    assert.deepEqual(got.map((p) => p.id), [c.id, a.id, b.id]);
    assert.deepEqual(got[0]?.authors, c.authors);
    assert.deepEqual(await store.getPapers([]), []);
  });

  withStore('keyword search finds papers by title, abstract, author, phrase and prefix', async (store) => {
    await store.upsertItems(fixturePapers().map((paper) => ({ paper })));
    assert.deepEqual(sorted(await search(store, 'gaussian')), ['2503.12284', '2503.12572', '2503.12886', '2503.13051', '2503.13272']);
    assert.deepEqual(await search(store, 'quadtree'), ['2503.12015'], 'title word');
    assert.deepEqual(await search(store, 'blendshapes avatars'), ['2503.12886'], 'stemmed title words');
    assert.deepEqual(sorted(await search(store, '"gaussian splatting"')), ['2503.12284', '2503.12572', '2503.13272']);
    assert.deepEqual(await search(store, 'author:"Peter Kontschieder"'), ['2503.13272']);
    assert.deepEqual(await search(store, 'author:"Kontschieder Peter"'), []);
    assert.deepEqual(await search(store, 'author:Wilczynski'), ['2503.12284'], 'diacritics are folded');
    assert.deepEqual(await search(store, 'Pollefeys'), ['2503.12572'], 'authors are searched by plain words too');
    assert.deepEqual(await search(store, 'upcyc*'), ['2503.11905']);
    assert.deepEqual(await search(store, 'zebra'), []);
  });

  withStore('a title match outranks an abstract-only match; scores are positive and descending', async (store) => {
    const inTitle = buildPaper({ title: 'Sparse attention for long videos', abstract: 'We make video transformers cheaper to run on long clips.' });
    const inAbstract = buildPaper({ title: 'Cheaper video transformers for long clips', abstract: 'We make them cheaper with sparse attention.' });
    await store.upsertItems([{ paper: inAbstract }, { paper: inTitle }]);
    const found = await store.searchKeyword({ match: toFtsMatch(parseQuery('sparse attention')), limit: 10 });
    assert.deepEqual(found.ids, [inTitle.id, inAbstract.id]);
    assert.ok(found.scores.every((s) => s > 0));
    assert.ok((found.scores[0] ?? 0) > (found.scores[1] ?? 0));
    assert.deepEqual((await store.searchKeyword({ match: '"video"', limit: 1 })).ids.length, 1, 'limit');
  });

  withStore('exclusions drop papers, with or without words to match', async (store) => {
    await store.upsertItems(fixturePapers().map((paper) => ({ paper })));
    assert.deepEqual(sorted(await search(store, 'gaussian -splatting')), ['2503.12886', '2503.13051']);
    assert.deepEqual(sorted(await search(store, 'diffusion -author:Qi')), ['2503.11905', '2503.13272']);
    const viaExclude = await store.searchKeyword({ match: '"gaussian"', exclude: '"splatting"', limit: 10 });
    assert.deepEqual(sorted(viaExclude.ids), ['2503.12886', '2503.13051']);
    assert.deepEqual(await search(store, '-gaussian -diffusion'), ['2503.11742'], 'exclusions alone');
  });

  withStore('filters: dates (inclusive days), categories, archives, exclusions and code, with and without words', async (store) => {
    const papers = fixturePapers();
    await store.upsertItems(papers.map((paper) => ({ paper })));
    const day = (n: number) => `2025-01-0${n}`;
    assert.deepEqual(await search(store, 'gaussian', { publishedFrom: day(2), publishedTo: day(2) }), ['2503.13272']);
    assert.deepEqual(sorted(await search(store, '', { publishedFrom: day(7) })), ['2503.11905', '2503.12015']);
    // Filter-only queries list the newest first.
    assert.deepEqual(await search(store, '', { publishedTo: day(3) }), ['2503.12284', '2503.13272', '2503.12572']);
    assert.deepEqual(sorted(await search(store, 'gaussian', { hasCode: true })), ['2503.12284', '2503.12572', '2503.13051']);

    const withCategory = (c: string) => sorted(papers.filter((p) => p.categories?.some((x) => x === c || x.startsWith(`${c}.`))).map((p) => p.id));
    assert.deepEqual(withCategory('cs.LG'), ['2503.12572', '2503.13051']);
    assert.deepEqual(sorted(await search(store, '', { categories: ['cs.LG'] })), withCategory('cs.LG'));
    assert.deepEqual(await search(store, 'gaussian', { categories: ['stat'] }), ['2503.13051'], 'an archive matches its categories');
    assert.deepEqual(sorted(await search(store, 'cat:cs', { categories: ['cs'] })), withCategory('cs'));
    assert.deepEqual(await search(store, '', { categories: ['st'] }), [], 'not a prefix of the archive name');
    assert.deepEqual(sorted(await search(store, '', { categories: ['stat.ML', 'cs.AI'] })), ['2503.11742', '2503.11905', '2503.12572', '2503.13051']);
    const notLearning = sorted(papers.map((p) => p.id).filter((id) => !withCategory('cs.LG').includes(id)));
    assert.deepEqual(sorted(await search(store, '', { excludeCategories: ['cs.LG'] })), notLearning);
    assert.deepEqual(sorted(await search(store, 'gaussian', { excludeCategories: ['cs.LG'] })), ['2503.12284', '2503.12886', '2503.13272']);
    assert.deepEqual(await search(store, 'gaussian', { categories: ['cs'], excludeCategories: ['cs.LG', 'cs.AI'], hasCode: true }), ['2503.12284']);
    assert.deepEqual(await search(store, 'gaussian', { publishedFrom: '2030-01-01' }), []);
  });

  withStore('the index follows updates: a new title is found and the old one is not; a newer version replaces the abstract', async (store) => {
    const v1 = buildPaper({ title: 'Holographic lattice solitons', abstract: 'We observe phonons in a crystal.' });
    await store.upsertItems([{ paper: v1 }]);
    assert.deepEqual(await search(store, 'holographic'), [v1.id]);
    const renamed = { ...v1, title: 'Optical vortex beams' };
    assert.deepEqual((await store.upsertItems([{ paper: renamed }])).outcomes, ['updated']);
    assert.deepEqual(await search(store, 'holographic'), []);
    assert.deepEqual(await search(store, 'vortex'), [v1.id]);
    const v2 = { ...renamed, version: 2, abstract: 'We measure magnons in a ferromagnet.', versions: [{ version: 2, submittedAt: '2024-03-01T00:00:00Z' }] };
    await store.upsertItems([{ paper: v2 }]);
    assert.deepEqual(await search(store, 'phonons'), []);
    assert.deepEqual(await search(store, 'magnons'), [v1.id]);
    assert.deepEqual(await search(store, '', { publishedFrom: '2024-01-02', publishedTo: '2024-01-02' }), [v1.id]);
    // Several versions of one paper imported in one batch leave one entry behind.
    const v3 = { ...v2, version: 3, title: 'Optical vortex beams in fibres', versions: [{ version: 3, submittedAt: '2024-04-01T00:00:00Z' }] };
    await store.upsertItems([{ paper: buildPaper({ title: 'Vortex rings' }) }, { paper: v3 }]);
    assert.equal((await search(store, 'vortex')).length, 2);
    assert.deepEqual(await search(store, 'fibres'), [v1.id]);
  });

  if (opts.reopen) {
    const reopen = opts.reopen;
    test(`${name}: the keyword index survives closing and reopening`, async () => {
      const first = await freshStore();
      await first.upsertItems(fixturePapers().map((paper) => ({ paper })));
      const second = await reopen(first);
      try {
        assert.deepEqual(await search(second, 'quadtree'), ['2503.12015']);
        assert.equal((await search(second, 'gaussian')).length, 5);
      } finally {
        await second.close();
      }
    });
  }

  withStore('compacting the keyword index changes nothing in the results; writes afterwards are found', async (store) => {
    // One import per paper: one index segment each.
    for (const paper of fixturePapers()) await store.upsertItems([{ paper }]);
    const queries = ['gaussian', '"gaussian splatting"', 'diffusion models video', 'author:Pollefeys', 'upcyc*', 'gaussian -avatars'];
    const before = await Promise.all(queries.map((q) => search(store, q)));
    const untouched = await store.compactSearchIndex({ minSegments: 1_000 });
    assert.equal(untouched.segmentsAfter, untouched.segmentsBefore, 'below minSegments nothing is merged');
    const compacted = await store.compactSearchIndex();
    assert.ok(compacted.segmentsBefore > compacted.segmentsAfter, `${compacted.segmentsBefore} -> ${compacted.segmentsAfter} segments`);
    assert.deepEqual(await Promise.all(queries.map((q) => search(store, q))), before);
    const again = await store.compactSearchIndex();
    assert.equal(again.segmentsBefore, compacted.segmentsAfter);
    const late = buildPaper({ title: 'Gaussian quokkas', abstract: 'A late paper.' });
    await store.upsertItems([{ paper: late }]);
    assert.deepEqual(await search(store, 'quokkas'), [late.id]);
  });

  withStore('hostile input gives results or a QuerySyntaxError, never another error', async (store) => {
    await store.upsertItems(fixturePapers().map((paper) => ({ paper })));
    const random = mulberry32(20_250_101);
    for (let n = 0; n < 400; n++) {
      let input = '';
      for (let k = Math.floor(random() * 16); k > 0; k--) input += ODD[Math.floor(random() * ODD.length)];
      await search(store, input, n % 3 === 0 ? { categories: ['cs'], publishedFrom: '2025-01-03' } : undefined);
    }
    // MATCH text that did not come from toFtsMatch.
    let rejected = 0;
    for (const raw of RAW_MATCH) {
      for (const q of [{ match: raw, limit: 5 }, { match: '"gaussian"', exclude: raw, limit: 5 }, { match: null, exclude: raw, limit: 5 }]) {
        try {
          await store.searchKeyword(q);
        } catch (err) {
          assert.ok(err instanceof QuerySyntaxError, `${JSON.stringify(raw)}: ${String(err)}`);
          rejected++;
        }
      }
    }
    assert.ok(rejected > 0);
    assert.equal((await search(store, 'gaussian')).length, 5, 'the store still answers');
  });
}

const ODD = ['"', '-', '*', '(', ')', ':', '^', '{', '}', ' ', ' ', '\u0000', '\u202E', '\uD800', 'é', '中', '🙂', 'AND', 'OR', 'NOT', 'NEAR', 'author:', 'cat:', 'year:', 'title:', 'gaussian', 'splat', 'x'];
const RAW_MATCH = ['', ' ', '"', 'NEAR(', 'a AND', '(a', 'nosuchcolumn : a', 'abstract : "diffusion"', '*', '^', 'a OR OR b', '"a" * *', '\u0000', 'rank', 'x'.repeat(5000)];

