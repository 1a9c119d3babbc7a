// The "meaning" evaluation of bench/search-quality.ts: the hand-written
// queries of bench/meaning-queries.json (100 paraphrases that avoid their
// paper's title words, 30 keyword-style ones) over the demo corpus, each
// with exactly one right answer: the paper it was written for. Every query
// goes through SearchService in each mode, so the figures are what users get.
import { readFileSync } from 'node:fs';
import { parseQuery } from '../src/search/query-parser.js';
import type { SearchService } from '../src/search/search-service.js';
import type { SearchMode, SemanticIndex } from '../src/search/types.js';

export type QueryList = 'paraphrase' | 'keyword';
export type Split = 'dev' | 'test';

export interface MeaningQuery {
  /** The demo paper the query was written for: its one right answer. */
  id: string;
  query: string;
  split: Split;
  list: QueryList;
}

export const MEANING_FILE = new URL('./meaning-queries.json', import.meta.url);
export const LISTS: readonly QueryList[] = ['paraphrase', 'keyword'];
export const SPLITS: readonly Split[] = ['dev', 'test'];
export const MODES: readonly SearchMode[] = ['keyword', 'semantic', 'hybrid'];
/** Results read per query: the metrics look at the first 10. */
export const CUTOFF = 10;

/** Both lists of the query set, in file order. */
export function loadMeaningQueries(file: URL | string = MEANING_FILE): MeaningQuery[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const out: MeaningQuery[] = [];
  for (const list of LISTS) {
    const entries = raw[list];
    if (!Array.isArray(entries)) throw new Error(`${String(file)}: no "${list}" list`);
    for (const e of entries as Record<string, unknown>[]) {
      if (typeof e.id !== 'string' || typeof e.query !== 'string' || (e.split !== 'dev' && e.split !== 'test')) {
        throw new Error(`${String(file)}: a ${list} entry needs id, query and split dev|test (${JSON.stringify(e)})`);
      }
      out.push({ id: e.id, query: e.query, split: e.split, list });
    }
  }
  return out;
}

/** The first `perGroup` queries of each list and split (a smoke run's handful). */
export function firstOfEachGroup(queries: MeaningQuery[], perGroup: number): MeaningQuery[] {
  const taken = new Map<string, number>();
  return queries.filter((q) => {
    const key = `${q.list}/${q.split}`;
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    return n < perGroup;
  });
}

export interface Scores {
  queries: number;
  /** Share of queries whose paper is the first result. */
  recall1: number;
  /** Share of queries whose paper is in the first 10. */
  recall10: number;
  /** Mean of 1 / rank of the paper, 0 past rank 10. */
  mrr10: number;
}

/** Scores of queries with one right answer each, from the 1-based rank of that answer (null: not in the first 10). */
export function score(ranks: readonly (number | null)[]): Scores {
  const n = ranks.length;
  if (n === 0) return { queries: 0, recall1: 0, recall10: 0, mrr10: 0 };
  let r1 = 0;
  let r10 = 0;
  let mrr = 0;
  for (const r of ranks) {
    if (r === null || r > CUTOFF) continue;
    if (r === 1) r1++;
    r10++;
    mrr += 1 / r;
  }
  return { queries: n, recall1: r1 / n, recall10: r10 / n, mrr10: mrr / n };
}

/**
 * How a result list was made: a SearchService mode, or `nearest`, the
 * model's own nearest neighbours of the query (the semantic index asked
 * directly, with the text the service embeds): what the model ranks before
 * search applies its join threshold. A diagnostic, not what users see.
 */
export type Ranker = SearchMode | 'nearest';

/** One query's result: the rank of its paper in one mode under one model. */
export interface Ranked {
  query: MeaningQuery;
  model: string;
  mode: Ranker;
  rank: number | null;
}

/**
 * Runs every query in each mode through `service` and returns the rank of
 * each query's paper. `fellBack` counts queries answered in another mode than
 * asked (a service without a semantic index answers in keyword mode).
 */
export async function rankQueries(
  service: SearchService,
  queries: readonly MeaningQuery[],
  modes: readonly SearchMode[],
  model: string,
): Promise<{ ranked: Ranked[]; fellBack: number }> {
  const ranked: Ranked[] = [];
  let fellBack = 0;
  for (const mode of modes) {
    for (const query of queries) {
      const res = await service.search({ q: query.query, mode, limit: CUTOFF });
      if (res.mode !== mode) fellBack++;
      const at = res.hits.findIndex((h) => h.paper.id === query.id);
      ranked.push({ query, model, mode, rank: at < 0 ? null : at + 1 });
    }
  }
  return { ranked, fellBack };
}

/** The rank of each query's paper among the index's nearest neighbours of the query (the `nearest` diagnostic). */
export async function rankNearest(index: SemanticIndex, queries: readonly MeaningQuery[], model: string): Promise<Ranked[]> {
  const ranked: Ranked[] = [];
  for (const query of queries) {
    const found = await index.searchText(parseQuery(query.query).semanticText, CUTOFF);
    const at = found.ids.indexOf(query.id);
    ranked.push({ query, model, mode: 'nearest', rank: at < 0 ? null : at + 1 });
  }
  return ranked;
}

/** The scores of the results that pass `keep`. */
export function scoresOf(ranked: readonly Ranked[], keep: (r: Ranked) => boolean): Scores {
  return score(ranked.filter(keep).map((r) => r.rank));
}

const f3 = (x: number) => x.toFixed(3);

/**
 * The table: for each list and split (dev, test, all), keyword mode once and
 * each model's semantic and hybrid modes (and its `nearest` diagnostic, when run). Lines begin with "meaning" so that
 * a reader (or a test) can pick them out of the output.
 */
export function formatTable(ranked: readonly Ranked[], models: readonly string[]): string[] {
  const header = ['meaning', 'list', 'split', 'model', 'mode', 'queries', 'R@1', 'R@10', 'MRR@10'];
  const rows: string[][] = [];
  for (const list of LISTS) {
    for (const split of [...SPLITS, 'all'] as const) {
      const inGroup = (r: Ranked) => r.query.list === list && (split === 'all' || r.query.split === split);
      const lines: [string, Ranker][] = [['-', 'keyword'], ...models.flatMap((m): [string, Ranker][] => [[m, 'semantic'], [m, 'hybrid'], [m, 'nearest']])];
      for (const [model, mode] of lines) {
        // Keyword mode does not use the model: its figures come from the first model's run.
        const source = model === '-' ? models[0]! : model;
        const s = scoresOf(ranked, (r) => inGroup(r) && r.model === source && r.mode === mode);
        if (s.queries === 0) continue;
        rows.push(['meaning', list, split, model, mode, String(s.queries), f3(s.recall1), f3(s.recall10), f3(s.mrr10)]);
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
