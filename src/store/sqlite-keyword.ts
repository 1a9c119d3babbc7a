// BM25 keyword search over the FTS5 indexes of migration 004.
//
// Cost model (measured on 1M papers): FTS5 has no top-k shortcut, so every
// match a query scores costs ~0.8-1.4 us, and bm25() first counts each
// phrase's whole doclist for its IDF (10-30 ms for a word in half of the
// papers, on every query). So the counts come from a cache (phrase-hits.ts)
// and are passed to paperboy_bm25(), bm25() with given counts, when the
// native extension is loaded (fts-extension.ts).
//
// A query scores a bounded set of its matches, chosen so that the best ones
// are very likely among them:
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
// as they are read, reading the narrow paper_search_filters table.
import Database from 'better-sqlite3';
import { QuerySyntaxError } from '../search/errors.js';
import { ftsPhraseList, ftsUsesOr, type FtsPhrase } from './fts-phrases.js';
import type { PhraseHitCounts } from './phrase-hits.js';
import type { KeywordQuery, RankedIds, SearchFilters } from './store.js';

/** BM25 column weights; title counts most. Tuned on SciFact train by search/eval. */
export interface KeywordWeights {
  title: number;
  abstract: number;
  authors: number;
}

export interface KeywordSearchOptions {
  weights: KeywordWeights;
  /** The newest this many matches are scored; see the cost model above. */
  maxScored: number;
  /** And the matches holding the query's rarest phrases, within this much work (scoringPlan; 0: never). Needs phraseHits. */
  rareBudget: number;
  /** Set when paperboy_bm25() is available: cached phrase counts for it. Null: rank with bm25(). */
  phraseHits: PhraseHitCounts | null;
}

export const DEFAULT_KEYWORD_WEIGHTS: Readonly<KeywordWeights> = Object.freeze({ title: 3.0, abstract: 1.0, authors: 1.0 });
export const DEFAULT_MAX_SCORED = 5_000;
export const DEFAULT_RARE_BUDGET = 6_000;

export interface SqliteKeywordQuery extends KeywordQuery {
  /**
   * Search-as-you-type: run `match` against the unstemmed title+authors index,
   * where a prefix of a half-typed word ("learnin" *) still finds "learning".
   */
  prefix?: boolean;
}

/** Larger limits are cut to this. */
export const MAX_KEYWORD_LIMIT = 10_000;
/** With filters, first try this many times `limit` of the best unfiltered candidates. */
export const CANDIDATE_FACTOR = 10;
const MIN_CANDIDATES = 200;

type Prepare = (sql: string) => Database.Statement;
type Params = Record<string, unknown>;
interface Row {
  id: string;
  score: number;
}

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

function run(stmt: Database.Statement, params: Params): Row[] {
  try {
    return stmt.all(params) as Row[];
  } catch (err) {
    // Statements are prepared (so SQL mistakes surface) before this point; here SQLITE_ERROR means FTS5 rejected the MATCH text.
    if (err instanceof Database.SqliteError && err.code === 'SQLITE_ERROR') {
      throw new QuerySyntaxError(`The search expression is not valid: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function ranked(rows: Row[]): RankedIds {
  return { ids: rows.map((r) => r.id), scores: rows.map((r) => r.score) };
}

export function searchKeywordSqlite(prepare: Prepare, q: SqliteKeywordQuery, opts: KeywordSearchOptions): RankedIds {
  const limit = clampLimit(q.limit);
  if (limit === 0) return { ids: [], scores: [] };
  checkOptions(opts);
  const params: Params = { limit };
  const filters = filterConditions(q.filters, params);
  const exclude = q.exclude ?? null;
  /** `ftsRowid` (an index rowid, -papers.rowid) is not in a paper matching the exclusions. */
  const notExcluded = (ftsRowid: string) => {
    params.exclude = exclude;
    return `${ftsRowid} NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH @exclude)`;
  };

  if (q.match === null) {
    // Filters only: newest first. Scores carry no relevance here.
    if (exclude !== null) filters.push(notExcluded('-f.paper_rowid'));
    const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
    return ranked(
      run(
        prepare(`SELECT p.id, 0 AS score FROM paper_search_filters f JOIN papers p ON p.rowid = f.paper_rowid ${where}
          ORDER BY f.published_at DESC, p.id LIMIT @limit`),
        params,
      ),
    );
  }

  // Exclusions go inside the MATCH where the index has the same columns; the prefix index lacks abstracts.
  const t = q.prefix === true ? 'papers_prefix' : 'papers_fts';
  const conditions = [`${t} MATCH @match`];
  if (exclude !== null && t === 'papers_fts') {
    params.match = `(${q.match}) NOT (${exclude})`;
  } else {
    params.match = q.match;
    if (exclude !== null) conditions.push(notExcluded(`${t}.rowid`));
  }
  const ranking = rankExpressions(prepare, t, opts, params);
  params.newest = ranking.newest;

  /** The newest matches and the rare-phrase matches (filtered as they are read when `filterWhileScoring`), their best `n`, then papers. */
  const query = (n: '@limit' | '@candidates', filterWhileScoring: boolean) => {
    const scan = filterWhileScoring ? `JOIN paper_search_filters f ON f.paper_rowid = -${t}.rowid` : '';
    const where = filterWhileScoring ? [...conditions, ...filters] : conditions;
    const after = !filterWhileScoring && filters.length > 0;
    const bound = ranking.everyMatch ? '' : `ORDER BY ${t}.rowid LIMIT @newest`;
    const newest = `SELECT ${t}.rowid AS rid, ${ranking.all} AS s FROM ${t} ${scan} WHERE ${where.join(' AND ')} ${bound}`;
    const rare = ranking.rare && `SELECT ${t}.rowid AS rid, ${ranking.rare} AS s FROM ${t} ${scan} WHERE ${[`${t} MATCH @rareMatch`, ...where.slice(1)].join(' AND ')}`;
    const scored = rare ? `SELECT rid, min(s) AS s FROM (SELECT * FROM (${newest}) UNION ALL ${rare}) GROUP BY rid` : newest;
    return prepare(`WITH
      m AS (${scored}),
      top AS (SELECT rid, s FROM m ORDER BY s, rid LIMIT ${n})
      SELECT p.id, -top.s AS score FROM top ${after ? 'JOIN paper_search_filters f ON f.paper_rowid = -top.rid' : ''}
      JOIN papers p ON p.rowid = -top.rid ${after ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY top.s, p.id LIMIT @limit`);
  };

  try {
    if (filters.length === 0) return ranked(run(query('@limit', false), params));
    params.candidates = Math.max(MIN_CANDIDATES, limit * CANDIDATE_FACTOR);
    const first = run(query('@candidates', false), params);
    if (first.length >= limit) return ranked(first);
    // Too few of the best candidates passed. When there were fewer matches than
    // candidates this repeats the first query, which was then cheap.
    return ranked(run(query('@limit', true), params));
  } catch (err) {
    // FTS5 numbered the phrases differently from ftsPhrases (a tokenizer corner case): rank this query with bm25().
    if (ranking.counted && err instanceof QuerySyntaxError && err.message.includes('paperboy_bm25: expected')) {
      return searchKeywordSqlite(prepare, q, { ...opts, phraseHits: null });
    }
    throw err;
  }
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
}

/** paperboy_bm25() with cached phrase counts when they are known, else FTS5's bm25(); both with the column weights. */
function rankExpressions(prepare: Prepare, table: 'papers_fts' | 'papers_prefix', opts: KeywordSearchOptions, params: Params): RankExpressions {
  const w = opts.weights;
  const weights = table === 'papers_fts' ? `${w.title}, ${w.abstract}, ${w.authors}` : `${w.title}, ${w.authors}`;
  const plain = { all: `bm25(${table}, ${weights})`, rare: null, counted: false, everyMatch: false, newest: opts.maxScored };
  const phrases = opts.phraseHits === null ? null : ftsPhraseList(params.match as string);
  if (opts.phraseHits === null || phrases === null || phrases.length === 0) return plain;
  let hits: number[];
  try {
    hits = opts.phraseHits.counts(
      prepare,
      table,
      phrases.map((p) => p.text),
    );
  } catch {
    return plain; // a phrase FTS5 rejects: the query itself reports the error
  }
  hits.forEach((n, i) => (params[`hits${i}`] = n));
  const counts = hits.map((_, i) => `@hits${i}`);
  const plan = scoringPlan(phrases, hits, ftsUsesOr(params.match as string) !== false, opts.phraseHits.collectionSize, opts);
  const rare = plan.rare;
  if (rare !== null) params.rareMatch = `(${rare.join(' OR ')}) AND (${params.match as string})`;
  return {
    all: `paperboy_bm25(${table}, ${weights}, ${counts.join(', ')})`,
    rare: rare && `paperboy_bm25(${table}, ${weights}, ${[...rare.map(() => '-1'), ...counts].join(', ')})`,
    counted: true,
    everyMatch: plan.everyMatch,
    newest: plan.newest,
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
