// The PostgreSQL side of the search speed benchmark (issue 10): the same
// generated corpus loaded into a database of its own through the product's
// write path, this process's local keyword index built from the change log as
// `paperboy serve` builds it at start (local-search-index.ts), then the
// product's keyword search timed in a child process, as for SQLite: the
// store's ranker alone and SearchService keyword mode (its hits fetched from
// PostgreSQL, and the one change-log query each search makes to stay current).
import { performance } from 'node:perf_hooks';
import { SearchService } from '../src/search/search-service.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { KeywordText } from '../src/store/store.js';
import type { RealPaper, BenchQuery } from './search-speed-corpus.js';
import { corpusBatches } from './search-speed-corpus.js';
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
    let load = 0;
    let done = 0;
    for (const b of corpusBatches(real, size, batch, seed)) {
      const t0 = performance.now();
      await store.upsertItems(b.items);
      load += performance.now() - t0;
      done += b.items.length;
      if (done % 100_000 === 0) log(`  postgres: ${done.toLocaleString('en')} papers stored`);
    }
    const count = await store.countPapers();
    if (count !== size) throw new Error(`PostgreSQL holds ${count} papers, expected ${size}`);
    log(`  postgres: ${size.toLocaleString('en')} papers stored in ${(load / 1000).toFixed(1)} s`);
    const t0 = performance.now();
    const index = await store.localSearchIndex();
    await index.catchUp();
    const indexSeconds = (performance.now() - t0) / 1000;
    // A huge minSegments only counts them.
    const { segmentsBefore } = await index.compactSearchIndex({ minSegments: Number.MAX_SAFE_INTEGER });
    log(`  postgres: local keyword index built from the change log in ${indexSeconds.toFixed(1)} s (${segmentsBefore} segments)`);
    return { loadSeconds: load / 1000, indexSeconds, segments: segmentsBefore };
  } finally {
    await store.close();
  }
}

/**
 * Child side: the local index in `indexDir` as catching up left it
 * ("pg-store-kw20", "pg-keyword"), then compacted as `paperboy compact` would
 * ("pg-keyword-compacted": what an operator's nightly compact buys).
 */
export async function runPostgresKeyword(url: string, indexDir: string, queries: BenchQuery[], passes: number): Promise<EngineResult[]> {
  const texts = queries.map((q) => q.text);
  const base = rssMb();
  const store = PostgresStore.open(url, { searchIndexDir: indexDir });
  try {
    const service = new SearchService(store);
    const out: EngineResult[] = [];
    const keywordTexts = texts.map(productKeywords).filter((t): t is KeywordText => t !== null);
    const kw20 = await timeQueries(keywordTexts, passes, async (text) => (await store.searchKeyword({ text, limit: LIMIT })).ids.length);
    out.push({ name: 'pg-store-kw20', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...kw20 });
    const keyword = await timeQueries(texts, passes, async (q) => (await service.search({ q, mode: 'keyword', limit: LIMIT })).hits.length);
    out.push({ name: 'pg-keyword', buildSeconds: null, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...keyword });
    const compaction = await store.compactSearchIndex();
    const compacted = await timeQueries(texts, passes, async (q) => (await service.search({ q, mode: 'keyword', limit: LIMIT })).hits.length);
    out.push({ name: 'pg-keyword-compacted', buildSeconds: compaction.seconds, rssDeltaMb: rssMb() - base, peakRssMb: peakMb(), ...compacted });
    return out;
  } finally {
    await store.close();
  }
}
