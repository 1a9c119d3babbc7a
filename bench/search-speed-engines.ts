// One engine of the search speed benchmark, run in its own child process so
// that its resident memory is its own. Reads the documents from the product's
// SQLite file built by the parent, so every engine searches the same papers.
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { performance } from 'node:perf_hooks';
import { ALL_TERMS_MAX_WORDS, keywordText } from '../src/search/keyword-query.js';
import { parseQuery } from '../src/search/query-parser.js';
import { SearchService } from '../src/search/search-service.js';
import { openSemanticIndex, type VectorSemanticIndex } from '../src/search/semantic-index.js';
import type { VectorIndexKind } from '../src/search/embedder-config.js';
import { LearnedEmbedder } from '../src/search/model/learned-embedder.js';
import { loadModelFile } from '../src/search/model/model-file.js';
import { toFtsQuery } from '../src/store/sqlite/fts-query.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { hasKeywords, type KeywordText } from '../src/store/store.js';
import { withCalibration } from './learned-model.js';
import type { BenchQuery } from './search-speed-corpus.js';

export const ENGINES = ['product', 'fts5', 'orama', 'minisearch'] as const;
export type Engine = (typeof ENGINES)[number];
export const LIMIT = 20;

export interface EngineResult {
  /** "keyword", "semantic", "hybrid" for the product; the engine name otherwise. */
  name: string;
  buildSeconds: number | null;
  /** RSS growth from building/opening the index and answering the queries. */
  rssDeltaMb: number;
  peakRssMb: number;
  p50: number;
  p99: number;
  /** The untimed-in-the-percentiles warm-up pass: first sight of each query (cold caches, JIT). */
  coldP50: number;
  coldP99: number;
  /** Mean hits per query, a sanity check that the engine found something. */
  meanHits: number;
}

export const rssMb = () => process.memoryUsage().rss / 2 ** 20;
export const peakMb = () => process.resourceUsage().maxRSS / 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type Timing = Pick<EngineResult, 'p50' | 'p99' | 'coldP50' | 'coldP99' | 'meanHits'>;

/** One warm-up pass (reported as "cold"), then `passes` timed passes over all queries. */
export async function timeQueries<Q>(queries: Q[], passes: number, run: (q: Q) => Promise<number> | number): Promise<Timing> {
  let hits = 0;
  const cold: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    hits += await run(q);
    cold.push(performance.now() - t0);
  }
  cold.sort((a, b) => a - b);
  const times: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const t0 = performance.now();
      await run(q);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), coldP50: percentile(cold, 50), coldP99: percentile(cold, 99), meanHits: hits / queries.length };
}

interface Doc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
}

function readDocs(dbPath: string): Doc[] {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare('SELECT id, title, abstract, authors FROM papers ORDER BY rowid').all() as Doc[];
  db.close();
  for (const r of rows) r.authors = (JSON.parse(r.authors) as string[]).join(', ');
  return rows;
}

/** The product's own keyword query for a search box text, as SearchService builds it; null when it has no words. */
export function productKeywords(q: string): KeywordText | null {
  const parsed = parseQuery(q);
  const text = keywordText(parsed, { anyTerm: parsed.terms.length > ALL_TERMS_MAX_WORDS });
  return hasKeywords(text) ? text : null;
}

/**
 * The product: SearchService over the store, with the learned model (the file
 * the parent trained) embedding each query inside the call, as `paperboy
 * serve` does, so semantic and hybrid times are end to end.
 */
async function runProduct(passes: number, dbPath: string, queries: BenchQuery[], kind: VectorIndexKind, dataDir: string, modelFile: string): Promise<EngineResult[]> {
  const texts = queries.map((q) => q.text);
  const base = rssMb();
  const store = await SqliteStore.open(dbPath);
  const t0 = performance.now();
  const model = loadModelFile(modelFile);
  const embedder = new LearnedEmbedder(model);
  const semantic = await openSemanticIndex(store, embedder, { dataDir, kind, onProgress: (line) => console.error(`[bench:search]   ${line}`) });
  const openSeconds = (performance.now() - t0) / 1000;
  // The model's calibration (fusion weight, join threshold), as the product hands it to SearchService.
  const service = new SearchService(store, { semantic: withCalibration(semantic, model.info.calibration) });
  const out: EngineResult[] = [];
  // The store's keyword ranker alone, same queries (so MATCH strings) and limit as the raw FTS5 line: where the service's time goes.
  const keywordTexts = texts.map(productKeywords).filter((t): t is KeywordText => t !== null);
  const store20 = await timeQueries(keywordTexts, passes, async (text) => (await store.searchKeyword({ text, limit: LIMIT })).ids.length);
  out.push({ name: 'store-kw20', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...store20 });
  for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
    const r = await timeQueries(texts, passes, async (q) => (await service.search({ q, mode, limit: LIMIT })).hits.length);
    out.push({ name: mode, buildSeconds: mode === 'keyword' ? null : openSeconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...r });
  }
  // The query embedding alone (parsed text, as the service embeds it): part of every semantic and hybrid time above.
  const semanticTexts = texts.map((q) => parseQuery(q).semanticText).filter((t) => t.trim() !== '');
  const embed = await timeQueries(semanticTexts, passes, (t) => embedder.embedNow([t]).length);
  out.push({ name: 'query-embed', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...embed });
  if (semantic.kind !== 'exact') await printVectorRecall(store, embedder, semantic, semanticTexts);
  await semantic.close();
  await store.close();
  return out;
}

/** What an approximate vector index (the HNSW graph) misses: its neighbours against an exact scan's, after the timings. */
async function printVectorRecall(store: SqliteStore, embedder: LearnedEmbedder, approximate: VectorSemanticIndex, texts: string[]): Promise<void> {
  const exact = await openSemanticIndex(store, embedder, { kind: 'exact' });
  for (const k of [10, 200]) {
    let found = 0;
    let wanted = 0;
    for (const text of texts) {
      const want = new Set((await exact.searchText(text, k)).ids);
      found += (await approximate.searchText(text, k)).ids.filter((id) => want.has(id)).length;
      wanted += want.size;
    }
    console.error(`[bench:search]   ${approximate.kind} vector index: recall@${k} ${(found / Math.max(1, wanted)).toFixed(3)} against an exact scan (${texts.length} queries)`);
  }
  await exact.close();
}

async function runFts5(passes: number, dbPath: string, queries: BenchQuery[]): Promise<EngineResult[]> {
  const base = rssMb();
  const db = new Database(dbPath, { readonly: true });
  const stmt = db.prepare('SELECT rowid, bm25(papers_fts, 3.0, 1.0, 1.0) AS s FROM papers_fts WHERE papers_fts MATCH ? ORDER BY s LIMIT ?');
  const matches = queries.map((q) => productKeywords(q.text)).flatMap((t) => (t === null ? [] : [toFtsQuery(t)!.match]));
  const r = await timeQueries(matches, passes, (m) => stmt.all(m, LIMIT).length);
  db.close();
  return [{ name: 'fts5', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...r }];
}

async function runOrama(passes: number, dbPath: string, queries: BenchQuery[]): Promise<EngineResult[]> {
  const docs = readDocs(dbPath);
  const base = rssMb();
  const t0 = performance.now();
  const db = create({ schema: { id: 'string', title: 'string', abstract: 'string', authors: 'string' } as const });
  await insertMultiple(db, docs, 5000);
  const buildSeconds = (performance.now() - t0) / 1000;
  const props: ('title' | 'abstract' | 'authors')[] = ['title', 'abstract', 'authors'];
  const r = await timeQueries(queries.map((q) => q.text), passes, async (term) => {
    const res = await oramaSearch(db, { term, properties: props, boost: { title: 3 }, limit: LIMIT });
    return res.hits.length;
  });
  return [{ name: 'orama', buildSeconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...r }];
}

async function runMiniSearch(passes: number, dbPath: string, queries: BenchQuery[]): Promise<EngineResult[]> {
  const docs = readDocs(dbPath);
  const base = rssMb();
  const t0 = performance.now();
  const ms = new MiniSearch<Doc>({ fields: ['title', 'abstract', 'authors'], storeFields: [], searchOptions: { boost: { title: 3 } } });
  ms.addAll(docs);
  const buildSeconds = (performance.now() - t0) / 1000;
  const r = await timeQueries(queries.map((q) => q.text), passes, (q) => ms.search(q).slice(0, LIMIT).length);
  return [{ name: 'minisearch', buildSeconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...r }];
}

export function runEngine(engine: Engine, dbPath: string, queries: BenchQuery[], kind: VectorIndexKind, dataDir: string, passes: number, modelFile: string): Promise<EngineResult[]> {
  if (engine === 'product') return runProduct(passes, dbPath, queries, kind, dataDir, modelFile);
  if (engine === 'fts5') return runFts5(passes, dbPath, queries);
  if (engine === 'orama') return runOrama(passes, dbPath, queries);
  return runMiniSearch(passes, dbPath, queries);
}
