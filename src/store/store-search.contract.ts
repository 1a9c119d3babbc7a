/**
 * Keyword search and getPapers behaviour every Store implementation must have;
 * run by storeContract. Queries are built the way the app builds them: the
 * search box grammar (parseQuery) turned into a KeywordText (keywordText).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ImportItem, PaperRecord } from '../model.js';
import { QuerySyntaxError } from '../errors.js';
import { ALL_TERMS_MAX_WORDS, keywordText, type KeywordTextOptions } from '../search/keyword-query.js';
import { parseQuery } from '../search/query-parser.js';
import { noKeywords, type KeywordOrder, type KeywordQuery, type KeywordText, type SearchFilters, type Store } from './store.js';
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

/** The words of a search box query, every one required unless `opts` says otherwise. */
const words = (input: string, opts?: KeywordTextOptions): KeywordText => keywordText(parseQuery(input), opts);

async function search(store: Store, input: string, filters?: SearchFilters, limit = 50): Promise<string[]> {
  const found = await store.searchKeyword({ text: words(input), filters, limit });
  assert.equal(found.ids.length, found.scores.length);
  return found.ids;
}
const sorted = (ids: string[]) => [...ids].sort();

/** How a store bounds the work of a keyword query on a large collection (see ScoringBound). */
export interface ScoringBound {
  /** Every match of a query is scored while the collection holds fewer papers than this... */
  scoreAllBelow: number;
  /** ...and from then on a query that matches more papers than this scores at most about this many of them. */
  maxScored: number;
}

export interface SearchContractOptions {
  /** Close the store and open the same database again. */
  reopen?: (store: Store) => Promise<Store>;
  /** A fresh store whose keyword search bounds its scoring so (tiny bounds stand in for a very large collection). */
  boundedStore?: (bound: ScoringBound) => Promise<Store>;
}

/** The query the way the search service builds it: natural language (any word) from three words on. */
function keywordQuery(input: string, rest: Omit<KeywordQuery, 'text'> = { limit: 50 }): KeywordQuery {
  const q = parseQuery(input);
  return { text: keywordText(q, { anyTerm: q.terms.length > ALL_TERMS_MAX_WORDS }), ...rest };
}

/** Made-up words the stemmer leaves alone, each in a known share of the corpus below. */
const WORDS = { zork: 0.6, quab: 0.3, plim: 0.12, drex: 0.04 } as const;
type Word = keyof typeof WORDS | 'vunt' | 'skob';

interface Known {
  id: string;
  words: Set<Word>;
  publishedAt: string;
  upvotes: number;
  hasCode: boolean;
  categories: string[];
}

/**
 * 150 papers stored in an order unrelated to their dates: ten publication
 * days (many ties), upvotes 0-5 (many ties), code on about half, cs.CV or
 * cs.LG. "vunt" is only in the five oldest papers (a walk from the newest
 * meets it last), "skob" only in papers without upvotes.
 */
function knownCorpus(seed: number): { items: ImportItem[]; known: Known[] } {
  const random = mulberry32(seed);
  const items: ImportItem[] = [];
  const known: Known[] = [];
  for (let i = 0; i < 150; i++) {
    const words = new Set<Word>((Object.keys(WORDS) as (keyof typeof WORDS)[]).filter((w) => random() < WORDS[w]));
    const day = 1 + Math.floor(random() * 10);
    const upvotes = Math.floor(random() * 6);
    if (day === 1 && known.filter((k) => k.words.has('vunt')).length < 5) words.add('vunt');
    if (upvotes === 0 && random() < 0.5) words.add('skob');
    const publishedAt = `2025-02-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    const hasCode = random() < 0.5;
    const categories = [random() < 0.5 ? 'cs.CV' : 'cs.LG'];
    const list = [...words];
    // Words in the title or the abstract, so that both columns count.
    const title = `Report ${i} ${list.filter((_, k) => k % 2 === 0).join(' ')}`;
    const abstract = `We measure ${list.filter((_, k) => k % 2 === 1).join(' and ')} here.`;
    const paper = buildPaper({ title, abstract, publishedAt, updatedAt: publishedAt, categories, githubRepo: hasCode ? `https://github.com/k/${i}` : null });
    items.push({ paper, community: { upvotes, numComments: 0 } });
    known.push({ id: paper.id, words, publishedAt, upvotes, hasCode, categories });
  }
  return { items, known };
}

/** Every match of `ranked` when asked `limit` at a time, page after page. */
async function allPages(store: Store, q: KeywordQuery, limit: number): Promise<{ ids: string[]; totals: Set<number | undefined> }> {
  const ids: string[] = [];
  const totals = new Set<number | undefined>();
  for (let offset = 0; ; offset += limit) {
    const page = await store.searchKeyword({ ...q, limit, offset });
    totals.add(page.total);
    assert.equal(page.ids.length, page.scores.length);
    ids.push(...page.ids);
    if (page.ids.length < limit) return { ids, totals };
    assert.ok(offset < 10_000, 'paging ends');
  }
}

const byNewest = (a: Known, b: Known) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id);
const SORTED: Record<Exclude<KeywordOrder, 'relevance'>, (a: Known, b: Known) => number> = {
  newest: byNewest,
  upvotes: (a, b) => b.upvotes - a.upvotes || byNewest(a, b),
};

/** The pasted title of the exact-title tests, and the paper that has it. */
const RAG_TITLE = 'Toward General Instruction-Following Alignment for Retrieval-Augmented Generation';

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
    const found = await store.searchKeyword({ text: words('sparse attention'), limit: 10 });
    assert.deepEqual(found.ids, [inTitle.id, inAbstract.id]);
    assert.ok(found.scores.every((s) => s > 0));
    assert.ok((found.scores[0] ?? 0) > (found.scores[1] ?? 0));
    assert.deepEqual((await store.searchKeyword({ text: words('video'), limit: 1 })).ids.length, 1, 'limit');
  });

  withStore('exclusions drop papers, with or without words to match', async (store) => {
    await store.upsertItems(fixturePapers().map((paper) => ({ paper })));
    assert.deepEqual(sorted(await search(store, 'gaussian -splatting')), ['2503.12886', '2503.13051']);
    assert.deepEqual(sorted(await search(store, 'diffusion -author:Qi')), ['2503.11905', '2503.13272']);
    const viaExclude = await store.searchKeyword({ text: { ...words('gaussian'), excluded: ['splatting'] }, limit: 10 });
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

  withStore('totals count every match, after filters and exclusions, whatever the limit and offset', async (store) => {
    const { items, known } = knownCorpus(7);
    await store.upsertItems(items);
    const cases: [string, SearchFilters | undefined, (k: Known) => boolean][] = [
      ['zork', undefined, (k) => k.words.has('zork')],
      ['drex', undefined, (k) => k.words.has('drex')],
      ['zork quab', undefined, (k) => k.words.has('zork') && k.words.has('quab')],
      ['quab plim drex', undefined, (k) => k.words.has('quab') || k.words.has('plim') || k.words.has('drex')],
      ['zork -quab', undefined, (k) => k.words.has('zork') && !k.words.has('quab')],
      ['zork', { hasCode: true }, (k) => k.words.has('zork') && k.hasCode],
      ['zork -plim', { categories: ['cs.CV'], publishedFrom: '2025-02-03', publishedTo: '2025-02-07' }, (k) => k.words.has('zork') && !k.words.has('plim') && k.categories[0] === 'cs.CV' && k.publishedAt >= '2025-02-03' && k.publishedAt < '2025-02-08'],
      ['quab plim drex', { excludeCategories: ['cs.LG'] }, (k) => (k.words.has('quab') || k.words.has('plim') || k.words.has('drex')) && k.categories[0] !== 'cs.LG'],
      ['nosuchword', undefined, () => false],
      ['-zork', { hasCode: true }, (k) => !k.words.has('zork') && k.hasCode],
      ['', { categories: ['cs.LG'] }, (k) => k.categories[0] === 'cs.LG'],
    ];
    for (const [input, filters, matches] of cases) {
      const want = known.filter(matches).map((k) => k.id).sort();
      const label = `${JSON.stringify(input)} ${JSON.stringify(filters ?? {})}`;
      assert.ok(input === 'nosuchword' || want.length > 3, `${label}: the corpus has matches (${want.length})`);
      const all = await store.searchKeyword(keywordQuery(input, { filters, limit: 1000 }));
      assert.deepEqual(sorted(all.ids), want, `${label}: the matches`);
      for (const order of ['relevance', 'newest', 'upvotes'] as const) {
        for (const [limit, offset] of [[3, 0], [3, 2], [0, 0], [5, want.length + 4]]) {
          const page = await store.searchKeyword(keywordQuery(input, { filters, limit: limit!, offset, order }));
          assert.equal(page.total, want.length, `${label} ${order} limit ${limit} offset ${offset}: total`);
          assert.equal(page.ids.length, Math.max(0, Math.min(limit!, want.length - offset!)), `${label} ${order} limit ${limit} offset ${offset}: page size`);
        }
      }
    }
  });

  withStore('totals follow every write that changes what matches: new papers, new titles, new categories', async (store) => {
    const { items, known } = knownCorpus(5);
    await store.upsertItems(items);
    const total = async (input: string, filters?: SearchFilters, order: KeywordOrder = 'relevance') =>
      (await store.searchKeyword(keywordQuery(input, { filters, limit: 2, order }))).total;
    const zork = known.filter((k) => k.words.has('zork'));
    const cv = zork.filter((k) => k.categories[0] === 'cs.CV').length;
    for (const order of ['relevance', 'newest'] as const) {
      assert.equal(await total('zork', undefined, order), zork.length);
      assert.equal(await total('zork', { categories: ['cs.CV'] }, order), cv);
    }
    const added = buildPaper({ title: 'Zork again', categories: ['cs.CV'] });
    await store.upsertItems([{ paper: added }]);
    assert.equal(await total('zork'), zork.length + 1, 'a new paper');
    assert.equal(await total('zork', { categories: ['cs.CV'] }, 'newest'), cv + 1);
    const renamed = items.find((i) => i.paper.id === zork[0]!.id)!.paper;
    await store.upsertItems([{ paper: { ...renamed, title: 'Renamed', abstract: 'Nothing to see.' } }]);
    assert.equal(await total('zork'), zork.length, 'a title and abstract that no longer hold the word');
    const moved = items.find((i) => i.paper.id === zork.find((k) => k.categories[0] === 'cs.LG' && k.id !== renamed.id)!.id)!.paper;
    await store.upsertItems([{ paper: { ...moved, categories: ['cs.CV'] } }]);
    const cvNow = cv + 1 + 1 - (zork[0]!.categories[0] === 'cs.CV' ? 1 : 0);
    assert.equal(await total('zork', { categories: ['cs.CV'] }), cvNow, 'a paper that changed category');
    assert.equal(await total('zork', { categories: ['cs.CV'] }, 'upvotes'), cvNow);
    // Upvotes change no match, and a sorted list follows them.
    await store.upsertItems([{ paper: added, community: { upvotes: 1000, numComments: 0 } }]);
    assert.equal(await total('zork'), zork.length);
    assert.equal((await store.searchKeyword(keywordQuery('zork', { limit: 1, order: 'upvotes' }))).ids[0], added.id);
  });

  withStore('newest and upvotes orders list every match and only matches, in that order, page after page', async (store) => {
    const { items, known } = knownCorpus(11);
    await store.upsertItems(items);
    const cases: [string, SearchFilters | undefined, (k: Known) => boolean][] = [
      ['zork', undefined, (k) => k.words.has('zork')],
      ['plim', undefined, (k) => k.words.has('plim')],
      ['vunt', undefined, (k) => k.words.has('vunt')],
      ['skob', undefined, (k) => k.words.has('skob')],
      ['quab plim drex', undefined, (k) => k.words.has('quab') || k.words.has('plim') || k.words.has('drex')],
      ['zork -quab', { hasCode: true }, (k) => k.words.has('zork') && !k.words.has('quab') && k.hasCode],
      ['zork', { categories: ['cs.LG'], publishedFrom: '2025-02-02', publishedTo: '2025-02-06' }, (k) => k.words.has('zork') && k.categories[0] === 'cs.LG' && k.publishedAt >= '2025-02-02' && k.publishedAt < '2025-02-07'],
      ['', { hasCode: true }, (k) => k.hasCode],
      ['-zork', undefined, (k) => !k.words.has('zork')],
    ];
    for (const [input, filters, matches] of cases) {
      for (const order of ['newest', 'upvotes'] as const) {
        const want = known.filter(matches).sort(SORTED[order]).map((k) => k.id);
        const label = `${JSON.stringify(input)} ${JSON.stringify(filters ?? {})} by ${order}`;
        assert.ok(want.length >= 5, `${label}: the corpus has matches (${want.length})`);
        for (const limit of [7, 1000]) {
          const { ids, totals } = await allPages(store, keywordQuery(input, { filters, limit, order }), limit);
          assert.deepEqual(ids, want, `${label}, ${limit} at a time`);
          assert.deepEqual([...totals], [want.length], `${label}: totals`);
        }
      }
    }
    // A half-typed word in the title index (search-as-you-type) pages the same way.
    const prefixText = words('zor', { prefixLast: true });
    const titled = known.filter((k) => [...k.words].filter((_, i) => i % 2 === 0).includes('zork')).sort(SORTED.newest).map((k) => k.id);
    const { ids: prefixIds, totals: prefixTotals } = await allPages(store, { text: prefixText, prefix: true, order: 'newest', limit: 6 }, 6);
    assert.deepEqual(prefixIds, titled);
    assert.deepEqual([...prefixTotals], [titled.length]);
  });

  withStore('at least k of the words (minTerms): every paper holding that many, and no other, in every order', async (store) => {
    const { items, known } = knownCorpus(18);
    await store.upsertItems(items);
    const list: Word[] = ['zork', 'quab', 'plim'];
    const text = words(list.join(' '), { anyTerm: true });
    for (const minTerms of [1, 2, 3]) {
      const holding = known.filter((k) => list.filter((w) => k.words.has(w)).length >= minTerms);
      assert.ok(holding.length >= 2, `the corpus has papers with ${minTerms} of the words (${holding.length})`);
      for (const order of ['newest', 'upvotes', 'relevance'] as const) {
        const label = `at least ${minTerms} by ${order}`;
        const { ids, totals } = await allPages(store, { text: { ...text, minTerms }, order, limit: 5 }, 5);
        if (order === 'relevance') assert.deepEqual(sorted(ids), sorted(holding.map((k) => k.id)), label);
        else assert.deepEqual(ids, [...holding].sort(SORTED[order]).map((k) => k.id), label);
        assert.deepEqual([...totals], [holding.length], `${label}: totals`);
      }
    }
    // With an exclusion and a filter too.
    const filtered = known.filter((k) => list.filter((w) => k.words.has(w)).length >= 2 && !k.words.has('drex') && k.hasCode);
    const { ids } = await allPages(store, { text: { ...words(`${list.join(' ')} -drex`, { anyTerm: true }), minTerms: 2 }, filters: { hasCode: true }, order: 'newest', limit: 1000 }, 1000);
    assert.deepEqual(ids, [...filtered].sort(SORTED.newest).map((k) => k.id));
  });

  withStore('relevance pages follow one ranking: every match once, best first', async (store) => {
    const { items, known } = knownCorpus(13);
    await store.upsertItems(items);
    for (const input of ['zork', 'quab plim drex', 'zork -drex']) {
      const q = keywordQuery(input, { limit: 1000 });
      const whole = await store.searchKeyword(q);
      const { ids, totals } = await allPages(store, q, 4);
      assert.deepEqual(ids, whole.ids, input);
      assert.deepEqual([...totals], [whole.ids.length], input);
      assert.ok(whole.scores.every((x, i) => i === 0 || x <= whole.scores[i - 1]!), `${input}: scores best first`);
    }
    assert.equal((await store.searchKeyword(keywordQuery('zork', { limit: 1000 }))).ids.length, known.filter((k) => k.words.has('zork')).length);
  });

  withStore('a pasted title ranks its paper first, ignoring case, punctuation and spacing', async (store) => {
    const target = buildPaper({ title: 'Toward General\n  Instruction-Following Alignment for Retrieval-Augmented Generation', abstract: `We align models. ${'Lorem ipsum dolor sit amet. '.repeat(60)}`, categories: ['cs.CL'] });
    // Papers that BM25 prefers to the target, whose long abstract dilutes its title: the query's words again and again, in short texts.
    const louder = Array.from({ length: 12 }, (_, i) =>
      buildPaper({ title: `Retrieval-augmented generation: general instruction following ${i}`, abstract: 'Retrieval augmented generation alignment, toward general instruction following alignment.', categories: ['cs.CL'] }),
    );
    const longer = buildPaper({ title: `${RAG_TITLE}: a survey`, abstract: 'Surveyed.', categories: ['cs.CL'] });
    await store.upsertItems([target, ...louder, longer].map((paper) => ({ paper })));
    const plain = await store.searchKeyword(keywordQuery(RAG_TITLE, { limit: 50 }));
    assert.notEqual(plain.ids[0], target.id, 'without the hint, BM25 ranks a louder paper first (the test would prove nothing otherwise)');
    for (const pasted of [RAG_TITLE, RAG_TITLE.toLowerCase(), `  ${RAG_TITLE.replaceAll('-', ' ')}.`, 'TOWARD GENERAL INSTRUCTION FOLLOWING ALIGNMENT FOR RETRIEVAL AUGMENTED GENERATION']) {
      const found = await store.searchKeyword(keywordQuery(pasted, { limit: 5, exactTitle: pasted }));
      assert.equal(found.ids[0], target.id, pasted);
      assert.equal(found.total, plain.total, `${pasted}: the same matches`);
      assert.ok(found.scores.every((x, i) => i === 0 || x <= found.scores[i - 1]!), `${pasted}: scores best first`);
      const second = await store.searchKeyword(keywordQuery(pasted, { limit: 5, offset: 1, exactTitle: pasted }));
      assert.deepEqual(second.ids.slice(0, 4), found.ids.slice(1), `${pasted}: the next page does not repeat it`);
    }
    // Not an exact title: nothing is moved.
    const partial = 'Instruction-Following Alignment for Retrieval-Augmented Generation';
    assert.deepEqual((await store.searchKeyword(keywordQuery(partial, { limit: 20, exactTitle: partial }))).ids, (await store.searchKeyword(keywordQuery(partial, { limit: 20 }))).ids);
    // Filters still apply to it.
    const filtered = await store.searchKeyword(keywordQuery(RAG_TITLE, { limit: 5, exactTitle: RAG_TITLE, filters: { categories: ['cs.CV'] } }));
    assert.deepEqual(filtered, { ids: [], scores: [], total: 0 });
    // A hint without letters or digits matches no title, not every one.
    assert.deepEqual(await store.searchKeyword(keywordQuery('alignment', { limit: 20, exactTitle: ' -- ' })), await store.searchKeyword(keywordQuery('alignment', { limit: 20 })));
  });

  if (opts.boundedStore) {
    const bounded = opts.boundedStore;
    const onBounded = (title: string, bound: ScoringBound, fn: (store: Store) => Promise<void>) =>
      test(`${name}: ${title}`, async () => {
        const store = await bounded(bound);
        try {
          await fn(store);
        } finally {
          await store.close();
        }
      });
    /** The oldest paper holds the pasted title; 60 newer ones match its words too. */
    const ragCorpus = () => {
      const target = buildPaper({ title: RAG_TITLE, abstract: 'Instruction following for retrieval augmented generation.' });
      const newer = Array.from({ length: 60 }, (_, i) => buildPaper({ title: `General models ${i}`, abstract: `Generation toward alignment, take ${i}.` }));
      return { target, items: [target, ...newer].map((paper) => ({ paper })) };
    };

    onBounded('a pasted title is first even where the collection is larger than the scoring bound', { scoreAllBelow: 20, maxScored: 10 }, async (store) => {
      const { target, items } = ragCorpus();
      await store.upsertItems(items);
      const without = await store.searchKeyword(keywordQuery(RAG_TITLE, { limit: 50 }));
      assert.ok(!without.ids.includes(target.id), 'the bounded scoring does not reach the oldest paper');
      assert.equal(without.total, 61, 'the total still counts every match');
      const found = await store.searchKeyword(keywordQuery(RAG_TITLE, { limit: 50, exactTitle: RAG_TITLE }));
      assert.equal(found.ids[0], target.id);
      assert.equal(found.total, 61);
      const typed = 'toward general instruction following alignment for retrieval augmented generation';
      assert.equal((await store.searchKeyword(keywordQuery(typed, { limit: 3, exactTitle: typed }))).ids[0], target.id);
    });

    onBounded('below the collection size of the bound, every match is scored', { scoreAllBelow: 1_000, maxScored: 10 }, async (store) => {
      const { target, items } = ragCorpus();
      await store.upsertItems(items);
      // No hint: the oldest paper is found, and first, because every match was scored.
      const found = await store.searchKeyword(keywordQuery(RAG_TITLE, { limit: 50 }));
      assert.equal(found.ids[0], target.id);
      assert.equal(found.total, 61);
      assert.equal(found.ids.length, 50);
    });
  }

  withStore('hostile input gives results or a QuerySyntaxError, never another error', async (store) => {
    await store.upsertItems(fixturePapers().map((paper) => ({ paper })));
    const random = mulberry32(20_250_101);
    for (let n = 0; n < 400; n++) {
      let input = '';
      for (let k = Math.floor(random() * 16); k > 0; k--) input += ODD[Math.floor(random() * ODD.length)];
      await search(store, input, n % 3 === 0 ? { categories: ['cs'], publishedFrom: '2025-01-03' } : undefined);
    }
    // Text that did not come from the search box grammar, with a backend's syntax in it, in every part of a query.
    let answered = 0;
    const gaussian = words('gaussian');
    for (const raw of RAW_MATCH) {
      const texts: KeywordText[] = [
        { ...noKeywords(), terms: [{ text: raw, prefix: false }] },
        { ...noKeywords(), terms: [{ text: raw, prefix: true }, { text: 'gaussian', prefix: false }], termMatch: 'any' },
        { ...noKeywords(), phrases: [raw] },
        { ...noKeywords(), authors: [raw] },
        { ...gaussian, excluded: [raw] },
        { ...gaussian, excludedAuthors: [raw] },
        { ...noKeywords(), excluded: [raw] },
      ];
      for (const text of texts) {
        for (const prefix of [false, true]) {
          try {
            const found = await store.searchKeyword({ text, limit: 5, prefix });
            assert.equal(found.ids.length, found.scores.length);
            answered++;
          } catch (err) {
            assert.ok(err instanceof QuerySyntaxError, `${JSON.stringify(raw)}: ${String(err)}`);
          }
        }
      }
    }
    assert.ok(answered > 0);
    assert.equal((await search(store, 'gaussian')).length, 5, 'the store still answers');
  });
}

const ODD = ['"', '-', '*', '(', ')', ':', '^', '{', '}', ' ', ' ', '\u0000', '\u202E', '\uD800', 'é', '中', '🙂', 'AND', 'OR', 'NOT', 'NEAR', 'author:', 'cat:', 'year:', 'title:', 'gaussian', 'splat', 'x'];
const RAW_MATCH = ['', ' ', '"', 'NEAR(', 'a AND', '(a', 'nosuchcolumn : a', 'abstract : "diffusion"', '*', '^', 'a OR OR b', '"a" * *', '\u0000', 'rank', 'x'.repeat(5000)];

