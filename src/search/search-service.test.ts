import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { searchFixturePapers, searchFixtureItems } from '../../test/fixtures/search-service/load.js';
import type { Paper } from '../model.js';
import { createLogger } from '../ops/logger.js';
import { hasKeywords, type RankedIds } from '../store/store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { keywordMatchPredicate } from './keyword-match.js';
import { keywordText } from './keyword-query.js';
import { parseQuery } from './query-parser.js';
import { SqliteSpeller } from './query-spelling.js';
import { DEFAULT_MIN_SIMILARITY, EMPTY_QUERY_HINT, HYBRID_WEIGHTS, NO_SEMANTIC_WARNING, SEMANTIC_LOADING_WARNING, SORTED_LIST_MIN, SearchService, mergeFilters } from './search-service.js';
import type { SearchCalibration, SearchRequest, SearchResponse, SemanticIndex } from './types.js';
import { scoreFusion } from './rank-fusion.js';

/**
 * A test double of the SemanticIndex interface (not of the store): it "ranks"
 * every query by one fixed list of ids, so fusion and filtering can be checked
 * exactly. It records what it was asked.
 */
class FixedOrderIndex implements SemanticIndex {
  readonly embedderId = 'fixed-order-test-double';
  readonly texts: string[] = [];
  constructor(
    private readonly order: string[],
    private readonly fail = false,
  ) {}
  size(): number {
    return this.order.length;
  }
  async searchText(text: string, k: number): Promise<RankedIds> {
    this.texts.push(text);
    if (this.fail) throw new Error('embedder crashed');
    const ids = this.order.slice(0, k);
    return { ids, scores: ids.map((_, i) => 1 - i / 1000) };
  }
  async similarTo(paperId: string, k: number): Promise<RankedIds> {
    const ids = this.order.filter((id) => id !== paperId).slice(0, k);
    return { ids, scores: ids.map((_, i) => 1 - i / 1000) };
  }
}

/**
 * A SemanticIndex test double with chosen similarities: every query finds
 * the same papers with the same cosine similarities, best first.
 */
class ScoredIndex implements SemanticIndex {
  readonly embedderId = 'scored-test-double';
  constructor(
    private readonly scored: [id: string, similarity: number][],
    readonly calibration: SearchCalibration | null = null,
  ) {}
  size(): number {
    return this.scored.length;
  }
  async searchText(_text: string, k: number): Promise<RankedIds> {
    const top = [...this.scored].sort((a, b) => b[1] - a[1]).slice(0, k);
    return { ids: top.map(([id]) => id), scores: top.map(([, s]) => s) };
  }
  async similarTo(): Promise<RankedIds> {
    return { ids: [], scores: [] };
  }
}

const FIXTURE = searchFixturePapers();
const byId = new Map(FIXTURE.map((p) => [p.id, p]));
const GS_IDS = FIXTURE.filter((p) => /gaussian splatting/i.test(`${p.title} ${p.summary}`)).map((p) => p.id);
const ids = (hits: { paper: Paper }[]) => hits.map((h) => h.paper.id);

let store: SqliteStore;
let keyword: SearchService;
before(async () => {
  store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems(searchFixtureItems());
  keyword = new SearchService(store);
});
after(() => store.close());

const run = (service: SearchService, req: Partial<SearchRequest> & { q: string }) => service.search({ limit: 200, ...req });

describe('keyword search', () => {
  test('finds the phrase, in the store\'s BM25 order, with marked titles and snippets', async () => {
    const res = await run(keyword, { q: '"gaussian splatting"', mode: 'keyword' });
    const direct = await store.searchKeyword({ text: keywordText(parseQuery('"gaussian splatting"')), limit: 200 });
    assert.deepEqual(ids(res.hits), direct.ids);
    assert.deepEqual([...ids(res.hits)].sort(), [...GS_IDS].sort(), 'every paper mentioning it, and only those');
    assert.equal(res.total, GS_IDS.length);
    assert.equal(res.mode, 'keyword');
    assert.deepEqual(res.warnings, []);
    const first = res.hits[0];
    assert.ok(first);
    assert.match(first.highlight.title + first.highlight.snippet, /<mark>Gaussian<\/mark> <mark>Splatting<\/mark>/i);
  });

  test('hybrid without a semantic index answers with keyword results and a warning', async () => {
    const res = await run(keyword, { q: 'gaussian splatting' });
    assert.equal(res.mode, 'keyword');
    assert.deepEqual(res.warnings, [NO_SEMANTIC_WARNING]);
    assert.deepEqual(ids(res.hits), ids((await run(keyword, { q: 'gaussian splatting', mode: 'keyword' })).hits));
  });

  test('while the first model is still loading, hybrid and semantic answer with keyword results and say so', async () => {
    const loading: SemanticIndex = { embedderId: 'learned-none', loading: true, size: () => 0, searchText: async () => ({ ids: [], scores: [] }), similarTo: async () => ({ ids: [], scores: [] }) };
    const service = new SearchService(store, { semantic: loading, spelling: null });
    for (const mode of ['hybrid', 'semantic'] as const) {
      const res = await run(service, { q: 'gaussian splatting', mode });
      assert.equal(res.mode, 'keyword');
      assert.deepEqual(res.warnings, [SEMANTIC_LOADING_WARNING]);
      assert.deepEqual(ids(res.hits), ids((await run(keyword, { q: 'gaussian splatting', mode: 'keyword' })).hits));
    }
  });

  test('filters from the query and the form are merged and applied', async () => {
    const res = await run(keyword, { q: 'gaussian splatting cat:cs.GR', mode: 'keyword' });
    assert.ok(res.hits.length > 0);
    for (const h of res.hits) assert.ok(h.paper.categories.includes('cs.GR'), h.paper.id);
    const form = await run(keyword, { q: 'gaussian splatting', mode: 'keyword', filters: { hasCode: true, publishedFrom: '2026-01-01' } });
    const expected = GS_IDS.filter((id) => byId.get(id)?.githubRepo && (byId.get(id)?.publishedAt ?? '') >= '2026-01-01');
    assert.deepEqual([...ids(form.hits)].sort(), expected.sort());
    const excluded = await run(keyword, { q: 'gaussian splatting -cat:cs.GR year:2025', mode: 'keyword' });
    assert.ok(excluded.hits.length > 0);
    for (const h of excluded.hits) {
      assert.ok(!h.paper.categories.includes('cs.GR') && h.paper.publishedAt?.startsWith('2025'), h.paper.id);
    }
  });

  test('mergeFilters intersects date ranges and unions categories', () => {
    const q = parseQuery('cat:cs.CV -cat:cs.GR year:2025..2026');
    assert.deepEqual(mergeFilters(q, { categories: ['cs.CL'], publishedFrom: '2025-06-01', publishedTo: '2027-01-01', hasCode: false }), {
      categories: ['cs.CL', 'cs.CV'],
      excludeCategories: ['cs.GR'],
      publishedFrom: '2025-06-01',
      publishedTo: '2026-12-31',
    });
  });

  test('a filter-only query lists matching papers, newest first', async () => {
    const res = await run(keyword, { q: 'cat:cs.GR' });
    const expected = FIXTURE.filter((p) => p.categories.includes('cs.GR')).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
    assert.deepEqual(ids(res.hits), expected.map((p) => p.id));
    assert.equal(res.mode, 'keyword', 'nothing to compare by meaning');
    assert.deepEqual(res.warnings, [], 'so no word about the missing semantic index');
  });

  test('a natural-language query sorted by date or upvotes lists the papers with every word; any word only when none has them all', async () => {
    const q = 'reasoning language models benchmark';
    const hasAll = keywordMatchPredicate(keywordText(parseQuery(q), { anyTerm: false }));
    const relevance = await run(keyword, { q, mode: 'keyword', limit: 200 });
    const sorted = await run(keyword, { q, sort: 'upvotes', mode: 'keyword', limit: 200 });
    assert.ok(sorted.total > 0 && sorted.total < relevance.total, `${sorted.total} with every word of ${relevance.total} with any`);
    assert.ok(sorted.hits.every((h) => hasAll(h.paper)), 'every sorted paper holds every word');
    assert.equal(sorted.total, (await store.getPapers(FIXTURE.map((p) => p.id))).filter(hasAll).length);
    const none = 'reasoning quokka zebrafish';
    const fallback = await run(keyword, { q: none, sort: 'newest', mode: 'keyword', limit: 200 });
    assert.equal(fallback.total, (await run(keyword, { q: none, mode: 'keyword', limit: 200 })).total, 'no paper has them all: any word');
    assert.ok(fallback.total > 0);
  });

  test('sorts every match by newest and by upvotes, and pages through them', async () => {
    const newest = await run(keyword, { q: 'reasoning', sort: 'newest', mode: 'keyword' });
    assert.ok(newest.total > 10);
    const dates = newest.hits.map((h) => h.paper.publishedAt ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
    const top = await run(keyword, { q: 'reasoning', sort: 'upvotes', mode: 'keyword' });
    const votes = top.hits.map((h) => h.paper.upvotes);
    assert.deepEqual(votes, [...votes].sort((a, b) => b - a));
    assert.deepEqual([...ids(top.hits)].sort(), [...ids(newest.hits)].sort(), 'same candidates, another order');
    const pages = [];
    for (let offset = 0; offset < top.total; offset += 4) pages.push(...ids((await run(keyword, { q: 'reasoning', sort: 'upvotes', mode: 'keyword', limit: 4, offset })).hits));
    assert.deepEqual(pages, ids(top.hits));
    const past = await run(keyword, { q: 'reasoning', mode: 'keyword', limit: 4, offset: 1000 });
    assert.deepEqual(past.hits, []);
    assert.equal(past.total, top.total);
  });

  test('search-as-you-type finds a half-typed last word', async () => {
    const full = await run(keyword, { q: 'reinforcement learnin', mode: 'keyword', literal: true });
    const typing = await run(keyword, { q: 'reinforcement learnin', mode: 'keyword', prefix: true });
    assert.ok(typing.hits.length > full.hits.length);
    assert.ok(ids(typing.hits).includes('2510.09285'), 'Spotlight on Token Perception for Multimodal Reinforcement Learning');
    assert.match(typing.hits.find((h) => h.paper.id === '2510.09285')?.highlight.title ?? '', /<mark>Reinforcement<\/mark> <mark>Learning<\/mark>/);
  });

  test('an empty or blank query searches nothing and gives a hint', async () => {
    for (const q of ['', '   ', '\t\n', '""', '-', '***']) {
      const res = await run(keyword, { q });
      assert.deepEqual(res.hits, [], JSON.stringify(q));
      assert.equal(res.total, 0);
      assert.ok(res.warnings.includes(EMPTY_QUERY_HINT), JSON.stringify(q));
    }
  });

  test('hostile queries never throw: they give results or warnings', async () => {
    const hostile = [
      '"unbalanced quote', 'NEAR(gaussian splatting', 'NEAR(a b, 2)', '*', 'gauss*', '^title', 'title:gaussian', 'a AND OR NOT b', '(((', ')',
      '"*"', 'cat:', 'cat:<script>', 'year:99999', 'year:abcd', '-year:2024', 'author:', '\\', "'; DROP TABLE papers; --",
      `${'gaussian '.repeat(1200)}`, 'x'.repeat(10_000), '\u0000\u0001\u0007\u001b[31m splatting', '\uD800 lone surrogate', '🦙 llama',
      'a:b:c:d', '-"', '- -', '"" "" ""', 'NOT', 'gaussian NOT splatting', 'splatting*'.repeat(50),
    ];
    for (const q of hostile) {
      for (const mode of ['keyword', 'hybrid'] as const) {
        const res = await run(keyword, { q, mode, prefix: q.length % 2 === 0 });
        assert.ok(Array.isArray(res.hits) && Array.isArray(res.warnings), JSON.stringify(q.slice(0, 30)));
      }
    }
    const cut = await run(keyword, { q: 'x'.repeat(10_000) });
    assert.ok(cut.warnings.some((w) => w.includes('cut to 1000')));
    assert.ok((await run(keyword, { q: 'year:abcd gaussian' })).warnings.includes('year:abcd is not a year.'));
    assert.ok((await run(keyword, { q: '\u0000\u0007 splatting', mode: 'keyword' })).hits.length > 0, 'control characters are dropped');
  });
});

/** A description no fixture paper holds every word of (none says underwater, coral or reefs): any of its words match. */
const DESCRIPTION = 'gaussian splatting of underwater coral reefs';

describe('with a semantic index (a fixed-order test double)', () => {
  // Two papers about something else first, then a Gaussian-splatting paper.
  const ORDER = ['2505.22653', '2603.08068', '2507.15454', '2504.12395'];

  test('semantic mode keeps the index order and asks it with the words only', async () => {
    const index = new FixedOrderIndex(ORDER);
    const service = new SearchService(store, { semantic: index });
    const res = await run(service, { q: 'scene reconstruction cat:cs.CV -cat:cs.CE author:nobody2', mode: 'semantic' });
    assert.deepEqual(index.texts, ['scene reconstruction']);
    assert.deepEqual(ids(res.hits), [], 'the author filter applies to semantic results too');
    const plain = await run(service, { q: 'scene reconstruction', mode: 'semantic' });
    assert.deepEqual(ids(plain.hits), ORDER);
    assert.equal(plain.mode, 'semantic');
    assert.deepEqual(plain.warnings, []);
  });

  test('semantic results pass through the same filters and exclusions', async () => {
    const service = new SearchService(store, { semantic: new FixedOrderIndex(ORDER) });
    const cats = await run(service, { q: 'anything', mode: 'semantic', filters: { categories: ['cs.CV'] } });
    assert.deepEqual(ids(cats.hits), ORDER.filter((id) => byId.get(id)?.categories.includes('cs.CV')));
    const noCode = await run(service, { q: 'anything', mode: 'semantic', filters: { hasCode: true } });
    assert.deepEqual(ids(noCode.hits), ORDER.filter((id) => byId.get(id)?.githubRepo));
    const words = await run(service, { q: 'anything -reinforcement', mode: 'semantic' });
    assert.ok(!ids(words.hits).includes('2603.08068'), 'In-Context Reinforcement Learning is excluded');
    const author = byId.get('2507.15454')?.authors[0] ?? '';
    const byAuthor = await run(service, { q: `anything author:"${author}"`, mode: 'semantic' });
    assert.deepEqual(ids(byAuthor.hits), ['2507.15454']);
  });

  test('hybrid fuses keyword and semantic scores (z-score, weighted as tuned)', async () => {
    const service = new SearchService(store, { semantic: new FixedOrderIndex(ORDER) });
    const kwHits = (await run(keyword, { q: DESCRIPTION, mode: 'keyword' })).hits;
    const res = await run(service, { q: DESCRIPTION });
    assert.equal(res.mode, 'hybrid');
    const expected = scoreFusion(
      [
        { ranking: { ids: ids(kwHits), scores: kwHits.map((h) => h.score) }, weight: HYBRID_WEIGHTS.keyword },
        { ranking: { ids: ORDER, scores: ORDER.map((_, i) => 1 - i / 1000) }, weight: HYBRID_WEIGHTS.semantic },
      ],
      { normalisation: 'zscore' },
    );
    assert.deepEqual(ids(res.hits).slice(0, 3), expected.ids.slice(0, 3));
    assert.ok(Math.abs((res.hits[0]?.score ?? NaN) - (expected.scores[0] ?? NaN)) < 1e-12);
    assert.ok(ids(res.hits).includes('2505.22653'), 'a paper found only by meaning is fused in');
    assert.ok(HYBRID_WEIGHTS.keyword > HYBRID_WEIGHTS.semantic, 'keyword weighs more: USE-lite is the weaker ranker');
    assert.equal(res.total, new Set([...ids(kwHits), ...ORDER]).size);
  });

  test('a failing semantic index degrades to keyword results with a warning', async () => {
    const logged: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line) => logged.push(line) } });
    const service = new SearchService(store, { semantic: new FixedOrderIndex(ORDER, true), log });
    const res = await run(service, { q: 'gaussian splatting', mode: 'semantic' });
    assert.equal(res.mode, 'keyword');
    assert.ok(res.hits.length > 0);
    assert.equal(res.warnings.length, 1);
    const [failure] = logged.map((l) => JSON.parse(l) as { level: string; msg: string; err?: { message: string } });
    assert.equal(failure?.level, 'error');
    assert.match(failure?.msg ?? '', /semantic search failed/);
    assert.ok(failure?.err?.message, 'the error is logged with its message');
  });
});

describe('similar papers', () => {
  test('come from the semantic index when there is one', async () => {
    const service = new SearchService(store, { semantic: new FixedOrderIndex(['2507.15454', '2505.22653', '2603.08068']) });
    assert.deepEqual((await service.similar('2507.15454', 5)).map((p) => p.id), ['2505.22653', '2603.08068']);
  });

  test('fall back to shared title words, never the paper itself', async () => {
    const similar = await keyword.similar('2507.23374', 5); // NeRF Is a Valuable Assistant for 3D Gaussian Splatting
    assert.equal(similar.length, 5);
    assert.ok(!similar.some((p) => p.id === '2507.23374'));
    for (const p of similar) assert.match(p.title, /gaussian|splatting|nerf|assistant|valuable/i, p.title);
    assert.deepEqual(await keyword.similar('9999.99999'), []);
  });

  test('"more like this" pages, sorts and filters the neighbours', async () => {
    const all = await keyword.moreLikeThis({ paperId: '2507.23374', limit: 200 });
    assert.ok(all && all.total > 5);
    assert.ok(!ids(all.hits).includes('2507.23374'));
    const code = await keyword.moreLikeThis({ paperId: '2507.23374', limit: 200, filters: { hasCode: true }, sort: 'upvotes' });
    assert.ok(code && code.hits.every((h) => h.paper.githubRepo));
    const votes = code?.hits.map((h) => h.paper.upvotes) ?? [];
    assert.deepEqual(votes, [...votes].sort((a, b) => b - a));
    assert.equal(await keyword.moreLikeThis({ paperId: '9999.99999', limit: 5 }), null);
  });
});

/** Every page of a search, `size` at a time, concatenated. */
async function allPages(service: SearchService, req: Partial<SearchRequest> & { q: string }, size: number): Promise<{ ids: string[]; totals: number[] }> {
  const out: string[] = [];
  const totals: number[] = [];
  for (let offset = 0; ; offset += size) {
    const res = await service.search({ ...req, limit: size, offset });
    totals.push(res.total);
    out.push(...ids(res.hits));
    if (res.hits.length < size) break;
  }
  return { ids: out, totals };
}

/** The papers the keyword index matches for `q` (every one: the fixture is small). */
async function keywordMatchIds(q: string, opts: { anyTerm?: boolean } = {}): Promise<string[]> {
  const text = keywordText(parseQuery(q), { anyTerm: opts.anyTerm ?? parseQuery(q).terms.length > 2 });
  return (await store.searchKeyword({ text, limit: 10_000 })).ids;
}

const newestFirst = (a: Paper, b: Paper) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '');

describe('honest result lists', () => {
  // Papers about other things than Gaussian splatting, at chosen similarities to every query.
  const NOT_GS = FIXTURE.filter((p) => !/gaussian|splatting/i.test(`${p.title} ${p.summary} ${p.authors.join(' ')}`)).map((p) => p.id);
  const [HIGH, ABOVE, BELOW, LOW] = NOT_GS as [string, string, string, string];
  const GS_FIRST = GS_IDS[0] as string;
  const scored = (): [string, number][] => [
    [HIGH, 0.9],
    [GS_FIRST, 0.8],
    [ABOVE, DEFAULT_MIN_SIMILARITY + 0.01],
    [BELOW, DEFAULT_MIN_SIMILARITY - 0.01],
    [LOW, 0.1],
  ];

  test('a description lists the keyword matches and the neighbours at or above the threshold by relevance; sorted, the papers holding most of its words; on every page', async () => {
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()), spelling: null });
    const matches = await keywordMatchIds(DESCRIPTION);
    assert.ok(matches.length > 10);
    assert.ok(!matches.includes(HIGH) && !matches.includes(ABOVE), 'the neighbours share no word with it');
    // No paper holds three of "gaussian splatting underwater coral reefs": the ones holding two say "gaussian splatting".
    const mostWords = await keywordMatchIds('gaussian splatting');
    assert.ok(mostWords.length > 3 && mostWords.every((id) => matches.includes(id)));
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const expected = (sort === 'relevance' ? [...matches, HIGH, ABOVE] : mostWords).sort();
      const res = await run(service, { q: DESCRIPTION, sort });
      assert.equal(res.mode, 'hybrid');
      assert.deepEqual([...ids(res.hits)].sort(), expected, sort);
      assert.equal(res.total, expected.length, `${sort}: the count is the papers listed`);
      assert.ok(!ids(res.hits).includes(BELOW) && !ids(res.hits).includes(LOW), `${sort}: nothing below the threshold`);
      const paged = await allPages(service, { q: DESCRIPTION, sort }, 3);
      assert.deepEqual(paged.ids, ids(res.hits), `${sort}: pages of 3 make the same list, each paper once`);
      assert.deepEqual(new Set(paged.totals), new Set([expected.length]), `${sort}: every page tells the same total`);
      if (sort === 'newest') assert.deepEqual(res.hits.map((h) => h.paper.publishedAt), [...res.hits].map((h) => h.paper).sort(newestFirst).map((p) => p.publishedAt));
      if (sort === 'upvotes') assert.deepEqual(res.hits.map((h) => h.paper.upvotes), res.hits.map((h) => h.paper.upvotes).sort((a, b) => b - a));
    }
  });

  test('sorted, a description lists the papers holding the most of its content words (at least SORTED_LIST_MIN papers), and no neighbours', async () => {
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()), spelling: null });
    const q = 'what makes video generation with diffusion work for language';
    // Content words: video, generation, diffusion, language ("what", "makes", "with", "work", "for" are the model's stopwords).
    // No paper holds all four; the papers holding three are the union of the four ways to pick three.
    const words = ['video', 'generation', 'diffusion', 'language'];
    const every = async (ws: string[]) => (await store.searchKeyword({ text: { ...keywordText(parseQuery(ws.join(' '))), termMatch: 'all' }, limit: 10_000 })).ids;
    assert.deepEqual(await every(words), []);
    const three = new Set<string>();
    for (const left of words) for (const id of await every(words.filter((w) => w !== left))) three.add(id);
    assert.ok(three.size >= 3, `${three.size} papers hold three of the words`);
    const anyWord = await keywordMatchIds(q);
    assert.ok(anyWord.length > 2 * three.size, 'by relevance, any word matches');
    for (const sort of ['newest', 'upvotes'] as const) {
      const res = await run(service, { q, sort });
      assert.deepEqual([...ids(res.hits)].sort(), [...three].sort(), sort);
      assert.equal(res.total, three.size, sort);
      const paged = await allPages(service, { q, sort }, 2);
      assert.deepEqual(paged.ids, ids(res.hits), `${sort}: pages of 2 make the same list`);
      assert.deepEqual(new Set(paged.totals), new Set([three.size]), sort);
    }
    // Fewer than SORTED_LIST_MIN papers with every word: the papers with two of the three are listed instead.
    const allThree = await every(['diffusion', 'video', 'generation']);
    assert.ok(allThree.length > 0 && allThree.length < SORTED_LIST_MIN, `${allThree.length} papers hold all three`);
    const two = new Set<string>();
    for (const pair of [['diffusion', 'video'], ['diffusion', 'generation'], ['video', 'generation']]) for (const id of await every(pair)) two.add(id);
    const fewer = await run(service, { q: 'diffusion video generation', sort: 'upvotes' });
    assert.deepEqual([...ids(fewer.hits)].sort(), [...two].sort());
    assert.deepEqual(fewer.wordsHeld, { least: 2, of: 3 }, 'the response says how many of the words they hold');
    assert.equal((await run(service, { q: 'diffusion video generation' })).wordsHeld, undefined, 'by relevance: any word, as always');
    assert.ok(allThree.every((id) => two.has(id)));
    // As many as SORTED_LIST_MIN: those alone.
    const gsVideo = await every(['gaussian', 'splatting', 'video']);
    assert.ok(gsVideo.length >= SORTED_LIST_MIN, `${gsVideo.length} papers hold all three`);
    const allOf = await run(service, { q: 'gaussian splatting video', sort: 'newest' });
    assert.deepEqual([...ids(allOf.hits)].sort(), [...gsVideo].sort());
    assert.deepEqual(allOf.wordsHeld, { least: 3, of: 3 });
    // One content word left ("what is ..."): only the papers that say it.
    const gaussian = await keywordMatchIds('gaussian');
    const res = await run(service, { q: 'what is gaussian', sort: 'newest' });
    assert.deepEqual([...ids(res.hits)].sort(), [...gaussian].sort());
  });

  test('a query of one or two words lists only the papers that say them, in every sort; by meaning only when none does', async () => {
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()), spelling: null });
    const matches = await keywordMatchIds('gaussian splatting');
    assert.ok(matches.length > 10);
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const res = await run(service, { q: 'gaussian splatting', sort });
      assert.equal(res.mode, 'hybrid');
      assert.deepEqual([...ids(res.hits)].sort(), [...matches].sort(), `${sort}: HIGH and ABOVE are near but never say it`);
      assert.equal(res.total, matches.length, sort);
      const paged = await allPages(service, { q: 'gaussian splatting', sort }, 3);
      assert.deepEqual(paged.ids, ids(res.hits), `${sort}: pages of 3 make the same list`);
      assert.deepEqual(new Set(paged.totals), new Set([matches.length]), sort);
    }
    assert.deepEqual(await keywordMatchIds('holography lasers'), []);
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const res = await run(service, { q: 'holography lasers', sort });
      assert.deepEqual([...ids(res.hits)].sort(), [HIGH, GS_FIRST, ABOVE].sort(), `${sort}: no paper has the words, so the near ones are listed`);
      assert.equal(res.total, 3, sort);
    }
  });

  test('semantic mode lists only the neighbours at or above the threshold', async () => {
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()) });
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const res = await run(service, { q: 'gaussian splatting', mode: 'semantic', sort });
      assert.deepEqual([...ids(res.hits)].sort(), [HIGH, GS_FIRST, ABOVE].sort(), sort);
      assert.equal(res.total, 3);
    }
    assert.deepEqual(ids((await run(service, { q: 'gaussian splatting', mode: 'semantic' })).hits), [HIGH, GS_FIRST, ABOVE], 'best first');
  });

  test("the model's calibration sets the threshold and the fusion weight", async () => {
    const index = new ScoredIndex(scored(), { semanticWeight: 0.5, minSimilarity: 0.85 });
    const service = new SearchService(store, { semantic: index });
    assert.equal(service.joinThreshold, 0.85);
    assert.deepEqual(service.fusionWeights, { keyword: 0.5, semantic: 0.5 });
    const matches = await keywordMatchIds(DESCRIPTION);
    const res = await run(service, { q: DESCRIPTION });
    assert.deepEqual([...ids(res.hits)].sort(), [...matches, HIGH].sort());
    assert.equal(res.total, matches.length + 1);
    assert.deepEqual(ids((await run(service, { q: 'gaussian splatting', mode: 'semantic' })).hits), [HIGH]);
    // Without calibration: the defaults.
    const plain = new SearchService(store, { semantic: new ScoredIndex(scored()) });
    assert.equal(plain.joinThreshold, DEFAULT_MIN_SIMILARITY);
    assert.deepEqual(plain.fusionWeights, HYBRID_WEIGHTS);
  });

  test('a quoted phrase, an author or an exclusion holds for papers found by meaning too', async () => {
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()) });
    const res = await run(service, { q: '"gaussian splatting" scenes' });
    assert.ok(!ids(res.hits).includes(HIGH) && !ids(res.hits).includes(ABOVE), 'the neighbours lack the phrase');
    assert.deepEqual([...ids(res.hits)].sort(), (await keywordMatchIds('"gaussian splatting" scenes')).sort());
  });

  test('gibberish matches nothing, in every mode and sort', async () => {
    // Gibberish is far from every paper (USE-lite: 0.28 for "asdkjhqwezzz").
    const far = new ScoredIndex(FIXTURE.map((p, i) => [p.id, 0.1 + (i % 40) / 100]));
    const service = new SearchService(store, { semantic: far });
    for (const mode of ['hybrid', 'keyword', 'semantic'] as const) {
      for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
        const res = await run(service, { q: 'asdkjhqwezzz', mode, sort });
        assert.deepEqual(ids(res.hits), [], `${mode} ${sort}`);
        assert.equal(res.total, 0, `${mode} ${sort}`);
      }
    }
  });

  test('the count is every match, past the candidates the rankers return; relevance pages reach all of them', async () => {
    const shallow = new SearchService(store, { depth: 10, spelling: null });
    const matches = await keywordMatchIds('reasoning');
    assert.ok(matches.length > 30);
    const res = await run(shallow, { q: 'reasoning', mode: 'keyword', limit: 10 });
    assert.equal(res.total, matches.length);
    const paged = await allPages(shallow, { q: 'reasoning', mode: 'keyword' }, 7);
    assert.deepEqual([...paged.ids].sort(), [...matches].sort(), 'every match once, over the pages');
    assert.deepEqual(paged.ids.slice(0, 10), ids(res.hits), 'the best ones first');
    // Natural language: any word may match, and the count says how many papers hold one.
    const sentence = 'how can large language models reason about mathematics';
    const any = await keywordMatchIds(sentence);
    assert.equal((await run(shallow, { q: sentence, mode: 'keyword' })).total, any.length);
    for (const sort of ['newest', 'upvotes'] as const) {
      const sorted = await allPages(shallow, { q: 'reasoning', mode: 'keyword', sort }, 7);
      assert.deepEqual([...sorted.ids].sort(), [...matches].sort(), sort);
    }
  });

  test('hybrid with neighbours that are keyword matches past the candidates counts each paper once', async () => {
    // depth 5: most matches are not among the keyword candidates; the index finds some of them.
    const query = 'reasoning about underwater coral';
    const matches = await keywordMatchIds(query);
    const stranger = FIXTURE.find((p) => !matches.includes(p.id))?.id as string;
    const index = new ScoredIndex([...matches.slice(-6).map((id, i): [string, number] => [id, 0.95 - i / 100]), [stranger, 0.7]]);
    const service = new SearchService(store, { semantic: index, depth: 5, spelling: null });
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const paged = await allPages(service, { q: query, sort }, 4);
      assert.equal(new Set(paged.ids).size, paged.ids.length, `${sort}: no paper twice`);
      assert.deepEqual([...paged.ids].sort(), [...matches, stranger].sort(), sort);
      assert.deepEqual(new Set(paged.totals), new Set([matches.length + 1]), sort);
    }
    // One word: the matches alone, each once.
    const word = new SearchService(store, { semantic: new ScoredIndex([...(await keywordMatchIds('reasoning')).slice(-6).map((id, i): [string, number] => [id, 0.95 - i / 100]), [stranger, 0.7]]), depth: 5, spelling: null });
    const reasoning = await keywordMatchIds('reasoning');
    for (const sort of ['relevance', 'newest', 'upvotes'] as const) {
      const paged = await allPages(word, { q: 'reasoning', sort }, 4);
      assert.deepEqual([...paged.ids].sort(), [...reasoning].sort(), sort);
      assert.deepEqual(new Set(paged.totals), new Set([reasoning.length]), sort);
    }
  });

  test('semantic mode with nothing close enough offers the query by keywords and meaning when its words match', async () => {
    const far = new SearchService(store, { semantic: new ScoredIndex(FIXTURE.map((p) => [p.id, 0.3])), spelling: null });
    const res = await run(far, { q: 'gaussian splatting', mode: 'semantic' });
    assert.equal(res.total, 0);
    assert.deepEqual(res.suggestions, [{ kind: 'mode', query: 'gaussian splatting', mode: 'hybrid', count: (await keywordMatchIds('gaussian splatting')).length }]);
    const sentence = await run(far, { q: 'chatting with an assistant about a live camera feed', mode: 'semantic' });
    assert.equal(sentence.suggestions?.length, 1, 'not the sentence without "with", "an" or "a"');
  });

  test('a stopword-only sentence matches its words, not every paper', async () => {
    const res = await run(keyword, { q: 'what is this', mode: 'keyword' });
    assert.ok(res.total < FIXTURE.length, `${res.total} of ${FIXTURE.length}`);
  });

  test('a pasted title puts that paper first', async () => {
    const paper = FIXTURE.find((p) => p.id === '2507.23374') as (typeof FIXTURE)[number]; // NeRF Is a Valuable Assistant for 3D Gaussian Splatting
    const service = new SearchService(store, { semantic: new ScoredIndex(scored()), spelling: null });
    for (const mode of ['keyword', 'hybrid'] as const) {
      const res = await run(service, { q: paper.title.toLowerCase().replace(/\s+/g, '  '), mode });
      assert.equal(res.hits[0]?.paper.id, paper.id, mode);
    }
  });
});

describe('keyword matches decided in TypeScript agree with the index', () => {
  const queries = [
    'gaussian splatting', '"gaussian splatting"', 'reasoning', 'language models for math reasoning', 'diffus*', 'splatting -nerf',
    'IL-6', 'video generation -"diffusion model"', 'author:"Yann LeCun"', 'au:zhang reasoning', 'Reasoning REASONING', 'models',
    'connecting*', 'multi-modal large language models', 'learnin',
  ];
  test('for every fixture paper and query', async () => {
    const papers = await store.getPapers(FIXTURE.map((p) => p.id));
    for (const q of queries) {
      const parsed = parseQuery(q);
      for (const anyTerm of [false, true]) {
        for (const prefixLast of [false, true]) {
          const text = keywordText(parsed, { anyTerm, prefixLast });
          if (!hasKeywords(text)) continue;
          const found = new Set((await store.searchKeyword({ text, limit: 10_000 })).ids);
          const predicate = keywordMatchPredicate(text);
          for (const p of papers) assert.equal(predicate(p), found.has(p.id), `${q} (anyTerm ${anyTerm}, prefix ${prefixLast}): ${p.id} ${p.title}`);
          const titles = new Set((await store.searchKeyword({ text, limit: 10_000, prefix: true })).ids);
          const inTitles = keywordMatchPredicate(text, { prefixIndex: true });
          for (const p of papers) assert.equal(inTitles(p), titles.has(p.id), `${q} in the title index (anyTerm ${anyTerm}, prefix ${prefixLast}): ${p.id} ${p.title}`);
        }
      }
    }
  });
});

describe('typo tolerance', () => {
  let speller: SqliteSpeller;
  let service: SearchService;
  before(() => {
    speller = new SqliteSpeller(store);
    service = new SearchService(store, { spelling: speller });
  });

  test('unknown words are corrected from the index, and the results are those of the corrected query', async () => {
    const res = await run(service, { q: 'difusion models', mode: 'keyword' });
    assert.deepEqual(res.correction, { query: 'diffusion models', original: 'difusion models', words: [{ from: 'difusion', to: 'diffusion' }] });
    const expected = await keywordMatchIds('diffusion models');
    assert.ok(expected.length > 0);
    assert.deepEqual([...ids(res.hits)].sort(), [...expected].sort());
    assert.equal(res.total, expected.length);
    assert.match(res.hits[0]?.highlight.title + (res.hits[0]?.highlight.snippet ?? ''), /<mark>[Dd]iffusion<\/mark>/);
  });

  test('literal: the words as typed; the correction is offered when nothing matches', async () => {
    const res = await run(service, { q: 'difusion models', mode: 'keyword', literal: true });
    assert.equal(res.correction, null);
    assert.equal(res.total, 0);
    assert.deepEqual(res.suggestions?.[0], { kind: 'spelling', query: 'diffusion models' });
  });

  test('known words, names and the word being typed are left alone', async () => {
    assert.equal((await run(service, { q: 'gaussian splatting', mode: 'keyword' })).correction, null);
    // No paper holds both: the correction is not shown, and its suggestions leave "LoRA" out as typed.
    const named = await run(service, { q: 'LoRA difusion', mode: 'keyword' });
    assert.equal(named.correction, null);
    assert.deepEqual(named.suggestions?.[0], { kind: 'fewer-words', query: 'diffusion', dropped: 'LoRA' });
    const typing = await run(service, { q: 'difusion mode', mode: 'keyword', prefix: true });
    assert.equal(typing.correction?.query, 'diffusion mode');
    assert.ok(typing.total > 0);
    const typed = await run(service, { q: 'difusion modls ', mode: 'keyword', prefix: true });
    assert.equal(typed.correction?.query, 'diffusion models ');
  });

  test('a query that matches nothing suggests itself with one part left out, for parts that then match', async () => {
    const res: SearchResponse = await run(service, { q: 'splatting asdkjhqwezzz', mode: 'keyword' });
    assert.equal(res.total, 0);
    assert.deepEqual(res.suggestions, [{ kind: 'fewer-words', query: 'splatting', dropped: 'asdkjhqwezzz' }]);
    const phrase = await run(service, { q: '"gaussian splatting" author:"Nobody Atall"', mode: 'keyword' });
    assert.deepEqual(phrase.suggestions, [{ kind: 'fewer-words', query: '"gaussian splatting"', dropped: 'author:"Nobody Atall"' }]);
    assert.deepEqual((await run(service, { q: 'asdkjhqwezzz', mode: 'keyword' })).suggestions, [], 'nothing to leave out');
  });

  test('a category or year that no paper has is offered left out', async () => {
    const res = await run(service, { q: 'cat:zz.NONE splatting', mode: 'keyword' });
    assert.equal(res.total, 0);
    assert.deepEqual(res.suggestions, [{ kind: 'fewer-words', query: 'splatting', dropped: 'cat:zz.NONE' }]);
    const year = await run(service, { q: 'splatting year:1990' });
    assert.deepEqual(year.suggestions, [{ kind: 'fewer-words', query: 'splatting', dropped: 'year:1990' }]);
  });

  test('a correction that finds nothing is not shown: the query is answered as typed', async () => {
    const corrected = await keywordMatchIds('"diffusion splatting"');
    assert.equal(corrected.length, 0, 'the fixture has no paper with this phrase');
    const res = await run(service, { q: '"difusion splatting"', mode: 'keyword' });
    assert.equal(res.correction, null);
    assert.equal(res.total, 0);
    assert.deepEqual(res.suggestions, [], 'the correction matches nothing, so it is not suggested either');
    // A correction that finds papers is still shown.
    assert.equal((await run(service, { q: '"difusion"', mode: 'keyword' })).correction?.query, '"diffusion"');
  });
});
