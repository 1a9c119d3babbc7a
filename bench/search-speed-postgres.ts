// The PostgreSQL side of the search speed benchmark (issue 10): the same
// generated corpus loaded into a database of its own through the product's
// write path, this process's local keyword index built from the change log as
// `paperboy serve` builds it at start (local-search-index.ts), then the
// product's keyword search timed in a child process, as for SQLite: the
// store's ranker alone and SearchService keyword mode (its hits fetched from
// PostgreSQL, and the one change-log query each search makes to stay current).
import { performance } from 'node:perf_hooks';
import { compactAfterLargeLoad } from '../src/cli/compact.js';
import { SearchService } from '../src/search/search-service.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { KeywordText } from '../src/store/store.js';
import type { RealPaper, BenchQuery } from './search-speed-corpus.js';
import { storeCorpus } from './search-speed-corpus.js';
import { LIMIT, peakMb, productKeywords, rssMb, timeQueries, type EngineResult } from './search-speed-engines.js';

export interface PostgresBuild {
  /** upsertItems of every paper (papers, authors, change log), seconds. */
  loadSeconds: number;
  /** The local index built from an empty directory by catching up through the whole change log, seconds. */
  indexSeconds: number;
  /** FTS5 segments of that index as catching up left them. */
  segments: number;
}

/** Loads the corpus into the empty database at `url` and builds the local keyword index in `indexDir`. */
export async function buildPostgres(real: RealPaper[], size: number, batch: number, seed: number, url: string, indexDir: string, log: (msg: string) => void): Promise<PostgresBuild> {
  const store = PostgresStore.open(url, { searchIndexDir: indexDir });
  try {
    await store.migrate();
    const loadSeconds = await storeCorpus(store, { real, size, batchSize: batch, seed }, 'postgres: ', log);
    const t0 = performance.now();
    const index = await store.localSearchIndex();
    await index.catchUp();
    const indexSeconds = (performance.now() - t0) / 1000;
    // A huge minSegments only counts them.
    const { segmentsBefore } = await index.compactSearchIndex({ minSegments: Number.MAX_SAFE_INTEGER });
    log(`  postgres: local keyword index built from the change log in ${indexSeconds.toFixed(1)} s (${segmentsBefore} segments)`);
    return { loadSeconds, indexSeconds, segments: segmentsBefore };
  } finally {
    await store.close();
  }
}

/**
 * Child side, on the local index in `indexDir`: first as catching up left it
 * ("pg-keyword-uncompacted"), then as `paperboy serve` serves it, compacted
 * by serve's own rule for a large first catch-up (follow-database.ts:
 * compactAfterLargeLoad before serving): the store's ranker alone
 * ("pg-store-kw20") and SearchService keyword mode ("pg-keyword"), the
 * figure compared with SQLite's, whose import compacts by the same rule.
 */
export async function runPostgresKeyword(url: string, indexDir: string, queries: BenchQuery[], passes: number): Promise<EngineResult[]> {
  const texts = queries.map((q) => q.text);
  const base = rssMb();
  const store = PostgresStore.open(url, { searchIndexDir: indexDir });
  try {
    const service = new SearchService(store);
    const out: EngineResult[] = [];
    const search = async (q: string) => (await service.search({ q, mode: 'keyword', limit: LIMIT })).hits.length;
    const uncompacted = await timeQueries(texts, passes, search);
    out.push({ name: 'pg-keyword-uncompacted', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...uncompacted });
    const local = await store.localSearchIndex();
    const t0 = performance.now();
    await compactAfterLargeLoad(local.index, await store.countPapers(), () => {});
    const compactSeconds = (performance.now() - t0) / 1000;
    const keywordTexts = texts.map(productKeywords).filter((t): t is KeywordText => t !== null);
    const kw20 = await timeQueries(keywordTexts, passes, async (text) => (await store.searchKeyword({ text, limit: LIMIT })).ids.length);
    out.push({ name: 'pg-store-kw20', buildSeconds: compactSeconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...kw20 });
    const keyword = await timeQueries(texts, passes, search);
    out.push({ name: 'pg-keyword', buildSeconds: compactSeconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...keyword });
    return out;
  } finally {
    await store.close();
  }
}
