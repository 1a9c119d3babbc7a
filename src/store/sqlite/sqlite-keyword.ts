// BM25 keyword search over the FTS5 indexes of migration 004, and every
// match in a paper order (newest, upvotes), with the number of matches.
//
// Cost model (measured on 1M papers): FTS5 has no top-k shortcut, so every
// match a query scores costs ~0.2-1.4 us (more phrases, more), and bm25()
// first counts each phrase's whole doclist for its IDF (10-30 ms for a word
// in half of the papers, on every query). So the counts come from a cache
// (phrase-hits.ts) and are passed to paperboy_bm25(), bm25() with given
// counts, when the native extension is loaded (fts-extension.ts).
//
// Relevance. While the collection holds fewer than `scoreAllBelow` papers
// (200,000) the ranking is exact: a natural-language query (one OR group of
// words) by MaxScore (maxScoreBest: the papers holding its rarest words
// first, until no other paper can reach the page), any other query by
// scoring every match. Measured on 199,999 papers, 2 cores shared with other
// work, warm, limit 20: the bench:search queries p50 3.9 ms, p90 19 ms, p99
// 60 ms (scoring every match: 17 / 79 / 190 ms; the bound below: 2.0 / 7.6 /
// 15 ms); a common word ("model", 178k matches) 27-33 ms, an eight-word
// question 55 ms (132 ms scoring every match).
// From `scoreAllBelow` papers on, a query scores a bounded set of its
// matches, chosen so that the best ones are very likely among them:
// - every match, when the cached counts show there are at most `maxScored`;
// - otherwise the newest `maxScored` matches (the index is keyed by
//   -papers.rowid, migration 006, so its own order is newest first), and
//   every match holding one of the query's rarest phrases, as many phrases
//   as fit a work budget (`rareBudget`, see scoringPlan). High-IDF words
//   dominate BM25, so a paper holding none of them rarely ranks first; the
//   rare phrases may therefore displace up to 4/5 of the newest matches
//   (measured on SciFact: the newest matches alone rank a natural-language
//   query nearly at random). FTS5 reads these as "(rare phrases) AND
//   (query)", scored with the rare phrases left out (paperboy_bm25's -1
//   count), so both sets carry the query's exact score.
// With filters, the best CANDIDATE_FACTOR x limit candidates are filtered
// first; only when too few pass (a selective filter) are the matches filtered
// as they are read, reading the narrow paper_search_filters table. Pages
// (`offset`) cut the same ranking: the best offset + limit, ties newest first.
//
// A pasted title (`exactTitle`) is looked up by its key (title-key-sql.ts, one
// index seek: 0.02 ms on 1M papers) and those of its papers that match the
// query and the filters are ranked first at every size, bounded or not.
//
// The total is every match after exclusions and filters, counted by FTS5
// without scoring (0.05-0.18 us per match; with a filter, 0.7-1.5 us: each
// match is looked up in paper_search_filters), inside the scoring statement
// when that reads every match anyway, and remembered until the papers change
// (match-counts.ts): on 1M papers a common word's first count is 48-165 ms,
// a page of it after that costs what it did before totals existed.
//
// Newest and upvotes order every match by that field (sortedMatches): by
// walking the papers in the order's index (migration 007) and testing each
// against the query (15-45 us a paper), or by reading every match and
// sorting (2.5-6 us a match: a random read of its papers row), whichever the
// counts say is cheaper. On 1M papers a first page costs ~1-2 ms for a common
// word (a short walk) or a rare one (a small scan), and most, 35-80 ms warm,
// for queries matching 5,000-15,000 papers, where both plans read thousands
// of rows (the bench:search queries by newest: warm p50 2 ms, p90 22 ms).
import Database from 'better-sqlite3';
import { QuerySyntaxError } from '../../errors.js';
import { toFtsExclusion, toFtsQuery, type FtsPhrase, type FtsQuery } from './fts-query.js';
import { countSql, type MatchCounts } from './match-counts.js';
import type { PhraseHitCounts } from './phrase-hits.js';
import type { KeywordOrder, KeywordQuery, RankedIds, SearchFilters } from '../store.js';
import { hasTitleKey } from '../title-key.js';
import { titleKeySql } from './title-key-sql.js';

/** BM25 column weights; title counts most. Tuned on SciFact train by search/eval. */
export interface KeywordWeights {
  title: number;
  abstract: number;
  authors: number;
}

export interface KeywordSearchOptions {
  weights: KeywordWeights;
  /**
   * Every match is scored, and the ranking is exact, while the collection
   * holds fewer papers than this (DEFAULT_SCORE_ALL_BELOW). From this size on
   * a query that matches very many papers scores the bounded set below.
   */
  scoreAllBelow: number;
  /** The newest this many matches are scored; see the cost model above. */
  maxScored: number;
  /** And the matches holding the query's rarest phrases, within this much work (scoringPlan; 0: never). Needs phraseHits. */
  rareBudget: number;
  /** Set when paperboy_bm25() is available: cached phrase counts for it. Null: rank with bm25(). */
  phraseHits: PhraseHitCounts | null;
  /** Exact numbers of matches, remembered until the papers change (match-counts.ts); null: count every time. */
  matchCounts?: MatchCounts | null;
}

export const DEFAULT_KEYWORD_WEIGHTS: Readonly<KeywordWeights> = Object.freeze({ title: 3.0, abstract: 1.0, authors: 1.0 });
/** Below 200,000 papers the ranking is exact (see the top of this file for what that costs there). */
export const DEFAULT_SCORE_ALL_BELOW = 200_000;
export const DEFAULT_MAX_SCORED = 5_000;
export const DEFAULT_RARE_BUDGET = 6_000;

/** Larger limits are cut to this. */
export const MAX_KEYWORD_LIMIT = 10_000;
/** With filters, first try this many times `limit` of the best unfiltered candidates. */
export const CANDIDATE_FACTOR = 10;
const MIN_CANDIDATES = 200;

type Prepare = (sql: string) => Database.Statement;
type Params = Record<string, unknown>;
interface Row {
  id: string;
  /** Null only from exactTitleMatches under bm25() (not scored there). */
  score: number;
  /** The index rowid (-papers.rowid): ties of score go newest first. */
  rid?: number;
  total?: number;
}

const KEYWORD_ORDERS: readonly KeywordOrder[] = ['relevance', 'newest', 'upvotes'];

/**
 * The two plans of a sorted search (sortedMatches), per paper walked and per
 * match read: measured on 1M papers, 17-45 us and 2.5-6 us (their ratio is
 * what matters).
 */
const WALK_ROW_COST = 30;
const SCAN_MATCH_COST = 3;

/**
 * Indexes the papers the triggers of migration 004 queued, in one statement per
 * index. Call inside every write transaction that may insert or change papers.
 */
export function flushKeywordIndex(prepare: Prepare): number {
  if (prepare('SELECT 1 FROM papers_fts_pending LIMIT 1').get() === undefined) return 0;
  const { changes } = prepare(`INSERT INTO papers_fts (rowid, title, abstract, authors)
    SELECT -p.rowid, p.title, p.abstract, p.authors FROM papers_fts_pending q JOIN papers p ON p.rowid = q.paper_rowid`).run();
  prepare(`INSERT INTO papers_prefix (rowid, title, authors)
    SELECT -p.rowid, p.title, p.authors FROM papers_fts_pending q JOIN papers p ON p.rowid = q.paper_rowid`).run();
  prepare('DELETE FROM papers_fts_pending').run();
  return changes;
}

function checkOptions(o: KeywordSearchOptions): void {
  for (const [name, v] of Object.entries(o.weights)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`keyword weight ${name} must be a finite number >= 0, got ${v}`);
  }
  if (!Number.isInteger(o.scoreAllBelow) || o.scoreAllBelow < 0) throw new RangeError(`scoreAllBelow must be an integer >= 0, got ${o.scoreAllBelow}`);
  if (!Number.isInteger(o.maxScored) || o.maxScored < 1) throw new RangeError(`maxScored must be a positive integer, got ${o.maxScored}`);
  if (!Number.isInteger(o.rareBudget) || o.rareBudget < 0) throw new RangeError(`rareBudget must be an integer >= 0, got ${o.rareBudget}`);
}

/** `cs` matches cs.* and a category named exactly "cs" (as in listDaily); matching ignores case. */
function categoryTest(categories: string[], name: string, params: Params): string {
  const tests = categories.map((c, i) => {
    const lower = c.toLowerCase();
    params[`${name}${i}`] = `"${lower}"`;
    if (lower.includes('.')) return `instr(f.categories, @${name}${i})`;
    params[`${name}${i}p`] = `"${lower}.`;
    return `instr(f.categories, @${name}${i}) OR instr(f.categories, @${name}${i}p)`;
  });
  return `(${tests.join(' OR ')})`;
}

/** Conditions over paper_search_filters `f`, or [] when no filter is set. */
function filterConditions(f: SearchFilters | undefined, params: Params): string[] {
  if (!f) return [];
  const where: string[] = [];
  if (f.publishedFrom) {
    params.publishedFrom = f.publishedFrom;
    where.push('f.published_at >= @publishedFrom');
  }
  if (f.publishedTo) {
    // Inclusive day: every timestamp of that day ("2024-05-31T...") sorts below the date followed by U+FFFF.
    params.publishedTo = `${f.publishedTo}\uffff`;
    where.push('f.published_at <= @publishedTo');
  }
  if (f.hasCode) where.push('f.has_code = 1');
  if (f.categories?.length) where.push(categoryTest(f.categories, 'inc', params));
  if (f.excludeCategories?.length) where.push(`NOT ${categoryTest(f.excludeCategories, 'exc', params)}`);
  return where;
}

function clampLimit(limit: number): number {
  if (Number.isNaN(limit)) throw new RangeError('limit must be a number');
  return Math.max(0, Math.min(Math.floor(limit), MAX_KEYWORD_LIMIT));
}

function clampOffset(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (Number.isNaN(offset)) throw new RangeError('offset must be a number');
  return Math.max(0, Math.min(Math.floor(offset), Number.MAX_SAFE_INTEGER - MAX_KEYWORD_LIMIT));
}

/** Runs `fn`; statements are prepared (so SQL mistakes surface) before it, so SQLITE_ERROR here means FTS5 rejected the MATCH text. */
function sqlite<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Database.SqliteError && err.code === 'SQLITE_ERROR') {
      throw new QuerySyntaxError(`The search expression is not valid: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function run(stmt: Database.Statement, params: Params): Row[] {
  return sqlite(() => stmt.all(params) as Row[]);
}

function get(stmt: Database.Statement, params: Params): unknown {
  return sqlite(() => stmt.get(params));
}

function ranked(rows: Row[]): RankedIds {
  return { ids: rows.map((r) => r.id), scores: rows.map((r) => r.score) };
}

/** How many papers the collection holds: its largest rowid (papers are never deleted but by hand; O(log n)). */
function collectionSize(prepare: Prepare): number {
  return (prepare('SELECT max(rowid) AS n FROM papers').get() as { n: number | null }).n ?? 0;
}

/** What every step of one query shares. */
interface Search {
  prepare: Prepare;
  /** The index searched. */
  t: 'papers_fts' | 'papers_prefix';
  /** The query's MATCH expression (@match) and its phrases. */
  fts: FtsQuery;
  /** Over `t`: its MATCH, and the exclusions when they are not inside it. */
  conditions: string[];
  /** Over paper_search_filters `f`. */
  filters: string[];
  params: Params;
  limit: number;
  offset: number;
  counts: MatchCounts | null;
}

/** The one row of numbers `sql` selects: remembered by `counts` when there is a cache. */
function counted(s: Pick<Search, 'prepare' | 'params' | 'counts'>, sql: string): Record<string, number> {
  const run = (stmt: Database.Statement) => get(stmt, s.params);
  return s.counts === null ? (run(s.prepare(sql)) as Record<string, number>) : s.counts.count(s.prepare, sql, s.params, run);
}

export function searchKeywordSqlite(prepare: Prepare, q: KeywordQuery, opts: KeywordSearchOptions): RankedIds {
  checkOptions(opts);
  const limit = clampLimit(q.limit);
  const offset = clampOffset(q.offset);
  const order = q.order ?? 'relevance';
  if (!KEYWORD_ORDERS.includes(order)) throw new RangeError(`order must be one of ${KEYWORD_ORDERS.join(', ')}, got ${String(order)}`);
  const params: Params = { limit, offset };
  const filters = filterConditions(q.filters, params);
  const counts = opts.matchCounts ?? null;
  const fts = toFtsQuery(q.text);
  if (fts === null) return filtersOnly({ prepare, params, counts }, filters, toFtsExclusion(q.text), order);

  // The exclusions are inside the MATCH: in the prefix index they apply to titles and authors only.
  const t = q.prefix === true ? 'papers_prefix' : 'papers_fts';
  const conditions = [`${t} MATCH @match`];
  params.match = fts.match;
  const s: Search = { prepare, t, fts, conditions, filters, params, limit, offset, counts };
  if (order !== 'relevance') return sortedMatches(s, order);
  try {
    return relevance(s, q.exactTitle ?? null, opts);
  } catch (err) {
    // FTS5 numbered the phrases differently from FtsQuery.phrases (a tokenizer corner case): rank this query with bm25().
    if (opts.phraseHits !== null && err instanceof QuerySyntaxError && err.message.includes('paperboy_bm25: expected')) {
      return searchKeywordSqlite(prepare, q, { ...opts, phraseHits: null });
    }
    throw err;
  }
}

/** The join that brings a match's filter columns, when there are filters. */
function filterJoin(s: Search, rowid: string): string {
  return s.filters.length > 0 ? `JOIN paper_search_filters f ON f.paper_rowid = -${rowid}` : '';
}

/**
 * How many papers match, after exclusions and filters: FTS5 walks every
 * match's rowid without scoring it (costs in match-counts.ts, which remembers
 * the number until the papers change).
 */
function countMatches(s: Search): number {
  return counted(s, countSql(s.t, s.conditions, s.filters)).n!;
}

function relevance(s: Search, exactTitle: string | null, opts: KeywordSearchOptions): RankedIds {
  const { prepare, t, conditions, filters, params } = s;
  const n = collectionSize(prepare);
  const ranking = rankExpressions(s, opts, n);
  const take = s.offset + s.limit;
  params.take = take;
  params.newest = ranking.newest;
  let rows: Row[] | null;
  let total: number | null = null;
  if (take === 0) {
    rows = [];
  } else if (ranking.everyMatch && n < opts.scoreAllBelow && (rows = maxScoreBest(s, ranking, n, opts.maxScored)) !== null) {
    // Exact without scoring every match.
  } else if (ranking.everyMatch) {
    // Every match is read and scored anyway: filter them as they are read, and count them in the same statement
    // unless the number is remembered (keeping every scored match for the count costs ~0.2 us each).
    const countedSql = countSql(t, conditions, filters);
    total = s.counts?.known(prepare, countedSql, params)?.n ?? null;
    const m = `SELECT ${t}.rowid AS rid, ${ranking.all} AS s FROM ${t} ${filterJoin(s, `${t}.rowid`)} WHERE ${[...conditions, ...filters].join(' AND ')}`;
    rows = run(
      prepare(`WITH
        m AS ${total === null ? 'MATERIALIZED ' : ''}(${m}),
        top AS (SELECT rid, s FROM m ORDER BY s, rid LIMIT @take)
        SELECT p.id, -top.s AS score, top.rid${total === null ? ', (SELECT count(*) FROM m) AS total' : ''} FROM top JOIN papers p ON p.rowid = -top.rid ORDER BY top.s, top.rid`),
      params,
    );
    if (total === null && rows.length > 0) {
      total = rows[0]!.total!;
      s.counts?.remember(prepare, countedSql, params, { n: total });
    }
  } else {
    rows = boundedBest(s, ranking);
  }
  total ??= countMatches(s);
  rows ??= [];

  const exact = take === 0 || exactTitle === null || !hasTitleKey(exactTitle) ? [] : exactTitleMatches(s, ranking, exactTitle);
  if (exact.length > 0) {
    // Ranked first; each keeps its score unless a paper below it scored higher (scores stay best first).
    // Unscored (bm25() ranking): the best score below them, or 1 when they are all.
    const ids = new Set(exact.map((r) => r.id));
    const rest = rows.filter((r) => !ids.has(r.id));
    let floor = rest[0]?.score ?? (ranking.counted ? -Infinity : 1);
    for (let i = exact.length - 1; i >= 0; i--) floor = exact[i]!.score = Math.max(exact[i]!.score ?? -Infinity, floor);
    rows = [...exact, ...rest];
  }
  return { ...ranked(rows.slice(s.offset, take)), total };
}

/**
 * The best `take` of a bounded set of matches: the newest matches and the
 * rare-phrase matches (see the top of this file).
 */
function boundedBest(s: Search, ranking: RankExpressions): Row[] {
  const { prepare, t, conditions, filters, params } = s;
  /** The scored matches (filtered as they are read when `filterWhileScoring`), their best `n`, then papers. */
  const query = (n: '@take' | '@candidates', filterWhileScoring: boolean) => {
    const scan = filterWhileScoring ? filterJoin(s, `${t}.rowid`) : '';
    const where = filterWhileScoring ? [...conditions, ...filters] : conditions;
    const after = !filterWhileScoring && filters.length > 0;
    const newest = `SELECT ${t}.rowid AS rid, ${ranking.all} AS s FROM ${t} ${scan} WHERE ${where.join(' AND ')} ORDER BY ${t}.rowid LIMIT @newest`;
    const rare = ranking.rare && `SELECT ${t}.rowid AS rid, ${ranking.rare} AS s FROM ${t} ${scan} WHERE ${[`${t} MATCH @rareMatch`, ...where.slice(1)].join(' AND ')}`;
    const scored = rare ? `SELECT rid, min(s) AS s FROM (SELECT * FROM (${newest}) UNION ALL ${rare}) GROUP BY rid` : newest;
    return prepare(`WITH
      m AS (${scored}),
      top AS (SELECT rid, s FROM m ORDER BY s, rid LIMIT ${n})
      SELECT p.id, -top.s AS score, top.rid FROM top ${after ? 'JOIN paper_search_filters f ON f.paper_rowid = -top.rid' : ''}
      JOIN papers p ON p.rowid = -top.rid ${after ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY top.s, top.rid LIMIT @take`);
  };
  if (filters.length === 0) return run(query('@take', false), params);
  params.candidates = Math.max(MIN_CANDIDATES, (params.take as number) * CANDIDATE_FACTOR);
  const first = run(query('@candidates', false), params);
  if (first.length >= (params.take as number)) return first;
  // Too few of the best candidates passed. When there were fewer matches than
  // candidates this repeats the first query, which was then cheap.
  return run(query('@take', true), params);
}

/** FTS5's (and paperboy_bm25's) BM25 constant k1: a phrase adds at most IDF x (k1 + 1) to a paper's score. */
const BM25_K1 = 1.2;

/**
 * The best `take` matches of a natural-language query (one OR group of
 * phrases, FtsQuery.alternatives), exactly, without scoring every match: MaxScore
 * (Turtle & Flood, 1995). A phrase adds at most IDF x (k1 + 1) to a score, so
 * a paper holding none of the rarest k alternatives scores at most the sum of
 * that bound over the others. The papers holding the rarest alternative are
 * scored first, then those holding the next one (and not the ones before),
 * and so on, until the take-th best score so far is above what any paper not
 * yet scored could reach. Rare words carry most of BM25's weight, so this
 * usually stops after the papers holding a few rare words (costs at the top
 * of this file). Null when the query has another shape or the phrase counts
 * are unknown: then every match is scored.
 */
function maxScoreBest(s: Search, ranking: RankExpressions, n: number, few: number): Row[] | null {
  const { prepare, t, filters, params } = s;
  const { phrases, hits } = ranking;
  if (phrases === null || hits === null) return null;
  const alternatives = s.fts.alternatives;
  if (alternatives === null || alternatives.length < 2) return null;
  const hitsOf = new Map(phrases.map((p, i) => [p.text, hits[i]!]));
  // At most `few` matches: scoring them all is as cheap.
  if (alternatives.some((a) => !hitsOf.has(a)) || alternatives.reduce((sum, a) => sum + hitsOf.get(a)!, 0) <= few) return null;
  // Ordered rarest first, with the most each can add: FTS5's IDF (n >= the index's row count, so the bound is not too low), once per place in the query.
  const bound = (h: number) => Math.max(1e-6, Math.log((n - h + 0.5) / (h + 0.5))) * (BM25_K1 + 1);
  const places = (text: string) => phrases.filter((p) => !p.negated && p.text === text).length;
  const order = [...new Set(alternatives)].map((text) => ({ text, hits: hitsOf.get(text)!, most: bound(hitsOf.get(text)!) * places(text) })).sort((a, b) => a.hits - b.hits);
  const counts = phrases.map((_, i) => `@hits${i}`);
  let best: Row[] = [];
  const take = params.take as number;
  for (let k = 0; k < order.length; k++) {
    const before = order.slice(0, k).map((a) => a.text);
    const pass = `(${order[k]!.text}) AND (${params.match as string})`;
    params.maxScoreMatch = before.length === 0 ? pass : `(${pass}) NOT (${before.join(' OR ')})`;
    const rank = `paperboy_bm25(${ranking.head}, ${['-1', ...counts, ...before.map(() => '-1')].join(', ')})`;
    const found = run(
      prepare(`WITH
        top AS (SELECT ${t}.rowid AS rid, ${rank} AS s FROM ${t} ${filterJoin(s, `${t}.rowid`)}
          WHERE ${[`${t} MATCH @maxScoreMatch`, ...s.conditions.slice(1), ...filters].join(' AND ')} ORDER BY s, rid LIMIT @take)
        SELECT p.id, -top.s AS score, top.rid FROM top JOIN papers p ON p.rowid = -top.rid`),
      params,
    );
    best = [...best, ...found].sort((a, b) => b.score - a.score || a.rid! - b.rid!).slice(0, take);
    const unscored = order.slice(k + 1).reduce((sum, a) => sum + a.most, 0);
    if (best.length === take && unscored < best[take - 1]!.score * (1 - 1e-9)) break;
  }
  return best;
}

/** Papers beyond the newest this many with one title are not looked up as exact titles (they rank by BM25 like any match). */
export const EXACT_TITLE_MAX = 200;

/**
 * The newest `take` matches whose title has the key of `exactTitle`
 * (title-key-sql.ts): one index seek for the papers with that title, then one
 * FTS5 lookup by rowid for each (measured on 1M papers: 45 us for an
 * eight-word natural-language query), which applies the query and its
 * exclusions and scores it. Papers sharing a title are ranked newest first,
 * which spares scoring all of them. FTS5's bm25() would count the query's
 * phrases again for each lookup (25 ms on 1M papers), so without the
 * extension these papers are not scored here (score null: see relevance()).
 */
function exactTitleMatches(s: Search, ranking: RankExpressions, exactTitle: string): Row[] {
  const { prepare, t, conditions, filters, params } = s;
  // Looked up first on its own: most queries are no title, and then FTS5 is not reached at all (0.02 ms instead of 0.25).
  const titled = prepare(`SELECT -rowid AS r FROM papers WHERE ${titleKeySql('title')} = ${titleKeySql('?')} ORDER BY rowid DESC LIMIT ${EXACT_TITLE_MAX}`)
    .pluck()
    .all(exactTitle) as number[];
  if (titled.length === 0) return [];
  params.titled = JSON.stringify(titled);
  const join = filters.length > 0 ? `CROSS JOIN paper_search_filters f ON f.paper_rowid = -${t}.rowid` : '';
  const rows = run(
    prepare(`SELECT p.id, -x.s AS score, x.rid FROM (
        SELECT ${t}.rowid AS rid, ${ranking.counted ? ranking.all : 'NULL'} AS s FROM json_each(@titled) e CROSS JOIN ${t} ON ${t}.rowid = e.value ${join}
        WHERE ${[...conditions, ...filters].join(' AND ')} LIMIT @take
      ) x JOIN papers p ON p.rowid = -x.rid`),
    params,
  );
  return rows.sort((a, b) => a.rid! - b.rid!);
}

/** The sorted orders, and the index of migration 007 that walks the papers in each. Ties: newest, then id. */
const SORTS: Record<Exclude<KeywordOrder, 'relevance'>, { index: string; by: string }> = {
  newest: { index: 'papers_newest', by: 'p.published_at DESC, p.id' },
  upvotes: { index: 'papers_upvotes', by: 'p.upvotes DESC, p.published_at DESC, p.id' },
};

/**
 * Every match in a paper order (see the top of this file): counted first,
 * which also tells which of two plans is cheaper. Walking the papers in the
 * order's index, testing each against the query, reads about take x n /
 * matches papers (each a WALK_ROW_COST); reading every match and sorting them
 * costs matches x SCAN_MATCH_COST. A walk that reads more papers than that
 * scan would cost (the matches are not spread evenly over the order) gives up
 * for the scan.
 */
function sortedMatches(s: Search, order: Exclude<KeywordOrder, 'relevance'>): RankedIds {
  const { prepare, t, conditions, filters } = s;
  const filtered = filters.length > 0 ? `count(CASE WHEN ${filters.join(' AND ')} THEN 1 END)` : 'count(*)';
  const both = counted(s, `SELECT count(*) AS matches, ${filtered} AS total FROM ${t} ${filterJoin(s, `${t}.rowid`)} WHERE ${conditions.join(' AND ')}`);
  const total = both.total!;
  const take = Math.min(s.offset + s.limit, total);
  if (take <= s.offset) return { ids: [], scores: [], total };
  const n = collectionSize(prepare);
  const scanCost = both.matches! * SCAN_MATCH_COST;
  const walkCost = ((take * n) / total) * WALK_ROW_COST;
  const ids = (walkCost < scanCost ? walkOrder(s, order, take, Math.ceil(scanCost / WALK_ROW_COST)) : null) ?? scanOrder(s, order, take);
  const page = ids.slice(s.offset, take);
  return { ids: page, scores: page.map(() => 0), total };
}

/** The first `take` matches in the order's index, or null after `budget` papers without them. */
function walkOrder(s: Search, order: Exclude<KeywordOrder, 'relevance'>, take: number, budget: number): string[] | null {
  const { prepare, t, conditions, filters, params } = s;
  const sort = SORTS[order];
  const test = `EXISTS (SELECT 1 FROM ${t} WHERE ${[...conditions, `${t}.rowid = -p.rowid`].join(' AND ')})`;
  // Dates narrow the walk itself (newest: a range of the index); the other filters are tested before the query.
  const range: string[] = [];
  if (order === 'newest' && params.publishedFrom !== undefined) range.push('p.published_at >= @publishedFrom');
  if (order === 'newest' && params.publishedTo !== undefined) range.push('p.published_at <= @publishedTo');
  const stmt = prepare(`SELECT p.id, ${filters.length > 0 ? `CASE WHEN ${filters.join(' AND ')} THEN ${test} ELSE 0 END` : test} AS hit
    FROM papers p INDEXED BY ${sort.index} ${filters.length > 0 ? 'CROSS JOIN paper_search_filters f ON f.paper_rowid = p.rowid' : ''}
    ${range.length > 0 ? `WHERE ${range.join(' AND ')}` : ''} ORDER BY ${sort.by}`);
  return sqlite(() => {
    const ids: string[] = [];
    let read = 0;
    for (const row of stmt.iterate(params) as IterableIterator<{ id: string; hit: number }>) {
      if (row.hit === 1 && ids.push(row.id) === take) return ids;
      if (++read >= budget) return null;
    }
    return ids;
  });
}

/** The first `take` matches in the order, from all of them. */
function scanOrder(s: Search, order: Exclude<KeywordOrder, 'relevance'>, take: number): string[] {
  const { prepare, t, conditions, filters, params } = s;
  params.take = take;
  const join = filters.length > 0 ? `CROSS JOIN paper_search_filters f ON f.paper_rowid = -${t}.rowid` : '';
  return run(
    prepare(`SELECT p.id, 0 AS score FROM ${t} CROSS JOIN papers p ON p.rowid = -${t}.rowid ${join}
      WHERE ${[...conditions, ...filters].join(' AND ')} ORDER BY ${SORTS[order].by} LIMIT @take`),
    params,
  ).map((r) => r.id);
}

/** No words to match: the papers passing the filters and exclusions, newest (or most upvoted) first. */
function filtersOnly(s: Pick<Search, 'prepare' | 'params' | 'counts'>, filters: string[], exclude: string | null, order: KeywordOrder): RankedIds {
  const { prepare, params } = s;
  const where = [...filters];
  if (exclude !== null) {
    params.exclude = exclude;
    where.push('-f.paper_rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH @exclude)');
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = counted(s, `SELECT count(*) AS n FROM paper_search_filters f ${clause}`).n!;
  if (params.limit === 0) return { ids: [], scores: [], total };
  const rows =
    order === 'upvotes'
      ? run(
          prepare(`SELECT p.id, 0 AS score FROM papers p INDEXED BY papers_upvotes CROSS JOIN paper_search_filters f ON f.paper_rowid = p.rowid ${clause}
            ORDER BY ${SORTS.upvotes.by} LIMIT @limit OFFSET @offset`),
          params,
        )
      : run(
          prepare(`SELECT p.id, 0 AS score FROM paper_search_filters f JOIN papers p ON p.rowid = f.paper_rowid ${clause}
            ORDER BY f.published_at DESC, p.id LIMIT @limit OFFSET @offset`),
          params,
        );
  return { ...ranked(rows), total };
}

interface RankExpressions {
  /** The rank of every match. */
  all: string;
  /** The rank of the matches of @rareMatch ("(rare phrases) AND (query)"), or null when there is no such pass. */
  rare: string | null;
  /** Whether the phrase counts are cached ones (paperboy_bm25), which FTS5 may number differently in a corner case. */
  counted: boolean;
  /** Score every match (scoringPlan). */
  everyMatch: boolean;
  /** Otherwise, how many of the newest matches to score. */
  newest: number;
  /** paperboy_bm25's arguments before the counts: the table and the column weights. */
  head: string;
  /** The query's phrases in FTS5's order with their cached counts (as @hits<i> parameters), when counted. */
  phrases: FtsPhrase[] | null;
  hits: number[] | null;
}

/** paperboy_bm25() with cached phrase counts when they are known, else FTS5's bm25(); both with the column weights. */
function rankExpressions(s: Search, opts: KeywordSearchOptions, collection: number): RankExpressions {
  const { prepare, t: table, params } = s;
  const w = opts.weights;
  const weights = table === 'papers_fts' ? `${w.title}, ${w.abstract}, ${w.authors}` : `${w.title}, ${w.authors}`;
  const small = collection < opts.scoreAllBelow;
  const plain = { all: `bm25(${table}, ${weights})`, rare: null, counted: false, everyMatch: small, newest: opts.maxScored, head: '', phrases: null, hits: null };
  const phrases = s.fts.phrases;
  if (opts.phraseHits === null || phrases.length === 0) return plain;
  let hits: number[];
  try {
    hits = opts.phraseHits.counts(
      prepare,
      table,
      phrases.map((p) => p.text),
      opts.matchCounts ?? null,
    );
  } catch {
    return plain; // a phrase FTS5 rejects: the query itself reports the error
  }
  hits.forEach((n, i) => (params[`hits${i}`] = n));
  const counts = hits.map((_, i) => `@hits${i}`);
  const plan: ScoringPlan = small
    ? { everyMatch: true, newest: opts.maxScored, rare: null }
    : scoringPlan(phrases, hits, s.fts.usesOr, opts.phraseHits.collectionSize, opts);
  const rare = plan.rare;
  if (rare !== null) params.rareMatch = `(${rare.join(' OR ')}) AND (${params.match as string})`;
  return {
    all: `paperboy_bm25(${table}, ${weights}, ${counts.join(', ')})`,
    rare: rare && `paperboy_bm25(${table}, ${weights}, ${[...rare.map(() => '-1'), ...counts].join(', ')})`,
    counted: true,
    everyMatch: plan.everyMatch,
    newest: plan.newest,
    head: `${table}, ${weights}`,
    phrases,
    hits,
  };
}

/**
 * Extra cost of a rare-phrase candidate for each other phrase of the query,
 * per unit of that phrase's share of the collection: FTS5 seeks through the
 * other phrases' postings for every candidate. Measured on 1M papers (best of
 * 5, warm): 0.9-1.5 us per candidate when the other words are each in under
 * 5% of papers, 2.7 us when they are in 45%, 35%, 13%, 3.9 us at 89% and 50%.
 */
const OTHER_PHRASE_COST = 5;

export interface ScoringPlan {
  /** Score every match: there are at most maxScored, or (no OR) all hold the rarest phrase, whose papers fit the budget. */
  everyMatch: boolean;
  /** Otherwise, how many of the newest matches to score. */
  newest: number;
  /** The rare phrases whose matches are scored besides the newest ones, or null. */
  rare: string[] | null;
}

/**
 * What a query scores (see the top of this file). `anyOr`: the expression has
 * an OR, so a match need not hold every phrase that is not negated.
 *
 * The rare phrases are the longest run of the rarest ones whose work fits
 * `rareBudget` plus half of 4/5 of `maxScored` (the newest matches they
 * displace, each worth half a unit): work = candidates x (1 +
 * OTHER_PHRASE_COST x the summed collection shares of the query's other
 * phrases), candidates = the papers holding a rare phrase.
 */
export function scoringPlan(
  phrases: FtsPhrase[],
  hits: number[],
  anyOr: boolean,
  collectionSize: number,
  opts: Pick<KeywordSearchOptions, 'maxScored' | 'rareBudget'>,
): ScoringPlan {
  const byText = new Map<string, number>();
  phrases.forEach((p, i) => {
    if (!p.negated) byText.set(p.text, hits[i]!);
  });
  const positive = [...byText].sort((a, b) => a[1] - b[1]);
  const newestOnly = { everyMatch: false, newest: opts.maxScored, rare: null };
  if (positive.length === 0) return newestOnly;
  // Every match holds one phrase that is not negated (all of them when there is no OR).
  const mostMatches = anyOr ? positive.reduce((sum, [, n]) => sum + n, 0) : positive[0]![1];
  if (mostMatches <= opts.maxScored) return { everyMatch: true, newest: opts.maxScored, rare: null };
  const newestFloor = Math.ceil(opts.maxScored / 5);
  // A newest match costs about half what a unit of rare-pass work does (measured on 1M papers).
  const budget = opts.rareBudget > 0 ? opts.rareBudget + (opts.maxScored - newestFloor) / 2 : 0;
  let best = 0;
  let bestWork = 0;
  let candidates = 0;
  let othersShare = positive.reduce((sum, [, n]) => sum + Math.min(1, n / collectionSize), 0);
  for (let k = 1; k <= positive.length; k++) {
    const n = positive[k - 1]![1];
    candidates += n;
    othersShare -= Math.min(1, n / collectionSize);
    const work = candidates * (1 + OTHER_PHRASE_COST * Math.max(0, othersShare));
    if (work <= budget) {
      best = k;
      bestWork = work;
    }
  }
  if (best === 0) return newestOnly;
  // Without an OR every match holds the rarest phrase: its matches are all the matches.
  if (!anyOr) return { everyMatch: true, newest: opts.maxScored, rare: null };
  const newest = Math.max(newestFloor, opts.maxScored - 2 * Math.max(0, Math.ceil(bestWork) - opts.rareBudget));
  return { everyMatch: false, newest, rare: positive.slice(0, best).map(([text]) => text) };
}
