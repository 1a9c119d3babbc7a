// The product engine for bench/search-quality.ts: a BEIR corpus loaded into a
// temporary store as papers (SQLite, or PostgreSQL with its local keyword
// index: bench-backends.ts), its semantic side made ready on that
// store (the learned model trained on it, or precomputed vectors stored
// through the Store's embedding methods), and every query run through
// SearchService.search exactly as the web layer runs it (query grammar,
// stopwords, BM25 weights, fusion, the index's calibration).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportItem } from '../src/model.js';
import type { Embedder } from '../src/search/embedder.js';
import type { Run } from '../src/search/eval-metrics.js';
import { paperTextHash } from '../src/search/index-papers.js';
import { parseQuery } from '../src/search/query-parser.js';
import { SearchService } from '../src/search/search-service.js';
import { openSemanticIndex } from '../src/search/semantic-index.js';
import type { SearchMode } from '../src/search/types.js';
import { quantise } from '../src/search/vector-math.js';
import type { Store } from '../src/store/store.js';
import { openBenchStore, type Backend } from './bench-backends.js';
import { withCalibration, type OpenedSemantic } from './learned-model.js';
import type { BeirDoc, BeirQuery } from './scifact-data.js';

export const PRODUCT_MODES: readonly SearchMode[] = ['keyword', 'semantic', 'hybrid'];

/** A synthetic arXiv-style paper id for the i-th corpus document. */
export function beirPaperId(i: number): string {
  return `9000.${String(i).padStart(5, '0')}`;
}

/** Wraps an embedder so that a text is embedded once (semantic and hybrid runs embed the same query). */
export function memoEmbedder(inner: Embedder): Embedder {
  const memo = new Map<string, Float32Array>();
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const missing = [...new Set(texts.filter((t) => !memo.has(t)))];
      if (missing.length > 0) (await inner.embed(missing)).forEach((v, i) => memo.set(missing[i]!, v));
      return texts.map((t) => memo.get(t)!);
    },
  };
}

export interface GrammarReport {
  /** Queries with a word the grammar reads as an exclusion (a leading '-'). */
  excluded: string[];
  /** Queries with a quoted phrase (required in keyword mode, a filter in the others). */
  phrases: string[];
  /** Queries with author:, cat: or year: fields. */
  fields: string[];
  /** Queries with a joined word ("COVID-19"): a phrase in 1-2 word queries, separate alternatives in longer ones. */
  hyphenated: string[];
  /** Queries the parser warned about. */
  errors: string[];
}

/** Which queries the product's search grammar reads differently from plain text. */
export function grammarReport(queries: BeirQuery[]): GrammarReport {
  const r: GrammarReport = { excluded: [], phrases: [], fields: [], hyphenated: [], errors: [] };
  for (const q of queries) {
    const p = parseQuery(q.text);
    if (p.excluded.length + p.excludedPhrases.length + p.excludedAuthors.length + p.excludedCategories.length > 0) r.excluded.push(q.id);
    if (p.phrases.length > 0) r.phrases.push(q.id);
    if (p.authors.length + p.categories.length > 0 || p.yearFrom !== null || p.yearTo !== null) r.fields.push(q.id);
    if (p.terms.some((t) => /[\p{L}\p{N}][^\p{L}\p{N}]+[\p{L}\p{N}]/u.test(t.text))) r.hyphenated.push(q.id);
    if (p.errors.length > 0) r.errors.push(q.id);
  }
  return r;
}

/** Makes the semantic side ready on the store that holds the corpus (its papers are stored when this is called). */
export type PrepareSemantic = (store: Store) => Promise<OpenedSemantic>;

/**
 * The semantic side from precomputed vectors: `corpusVectors` holds
 * docs.length rows of embedder.dimensions, computed from paperText(title,
 * text), the text the product embeds for a paper. Stored through
 * putEmbeddings; queries are embedded by `embedder`. No calibration.
 */
export function storedVectors(docs: BeirDoc[], embedder: Embedder, corpusVectors: Float32Array): PrepareSemantic {
  const dims = embedder.dimensions;
  if (corpusVectors.length !== docs.length * dims) throw new RangeError(`${corpusVectors.length / dims} vectors for ${docs.length} documents`);
  return async (store) => {
    let stored = 0;
    for (let i = 0; i < docs.length; i += 1000) {
      const rows = docs.slice(i, i + 1000).map((d, j) => {
        const { q, scale } = quantise(corpusVectors.slice((i + j) * dims, (i + j + 1) * dims));
        return { paperId: beirPaperId(i + j), title: d.title, abstract: d.text, textHash: paperTextHash(d.title, d.text), scale, vector: q };
      });
      stored += await store.putEmbeddings(embedder.id, rows);
    }
    // putEmbeddings skips a row whose title or abstract differ from the stored ones.
    if (stored !== docs.length) throw new Error(`the store kept ${stored} of ${docs.length} vectors (stored text differs from the corpus)`);
    const index = await openSemanticIndex(store, memoEmbedder(embedder), { kind: 'exact' });
    return { index: withCalibration(index, null), close: () => index.close() };
  };
}

export interface ProductOptions {
  /** Candidates per ranker (SearchService depth); default: the product's. */
  depth?: number;
  /** Results kept per query (evaluation cut-off). */
  limit: number;
  /** The keyword search's scoring bounds (sqlite-keyword.ts); default: the product's. Small values mimic a much larger collection. */
  keywordMaxScored?: number;
  keywordRareBudget?: number;
  /** The store backend (default sqlite). */
  backend?: Backend;
  /** Parent of the temporary store directory (default: the OS temp dir). */
  tmpDir?: string;
  onProgress?: (msg: string) => void;
}

/** Runs every query through the product's SearchService in each mode, with the semantic side `prepare` makes. */
export async function productRuns(docs: BeirDoc[], queries: BeirQuery[], prepare: PrepareSemantic, opts: ProductOptions): Promise<Map<SearchMode, Run>> {
  const log = opts.onProgress ?? (() => undefined);
  const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'paperboy-bench-'));
  // Bounds given: measure them as at a million papers, not exact scoring below keywordScoreAllBelow.
  const bounded = opts.keywordMaxScored !== undefined || opts.keywordRareBudget !== undefined;
  let opened: Awaited<ReturnType<typeof openBenchStore>> | null = null;
  try {
    opened = await openBenchStore(opts.backend ?? 'sqlite', dir, {
      keywordMaxScored: opts.keywordMaxScored,
      keywordRareBudget: opts.keywordRareBudget,
      keywordScoreAllBelow: bounded ? 0 : undefined,
    });
    const store = opened.store;
    const t0 = performance.now();
    const beirId = new Map(docs.map((d, i) => [beirPaperId(i), d.id]));
    const items: ImportItem[] = docs.map((d, i) => ({ paper: { id: beirPaperId(i), title: d.title, abstract: d.text, authors: ['BEIR'] } }));
    for (let i = 0; i < items.length; i += 1000) await store.upsertItems(items.slice(i, i + 1000));
    const loaded = (performance.now() - t0) / 1000;
    log(`${opts.backend ?? 'sqlite'} store loaded in ${loaded.toFixed(1)} s (${docs.length} papers, ${opened.where}); keyword ranker ${await opened.keywordRanker()}`);

    const semantic = await prepare(store);
    const service = new SearchService(store, { semantic: semantic.index, ...(opts.depth === undefined ? {} : { depth: opts.depth }) });
    const runs = new Map<SearchMode, Run>();
    for (const mode of PRODUCT_MODES) {
      const t1 = performance.now();
      const run: Run = new Map();
      const fellBack = new Set<string>();
      for (const q of queries) {
        const res = await service.search({ q: q.text, mode, limit: opts.limit });
        if (res.mode !== mode) fellBack.add(q.id);
        run.set(q.id, res.hits.map((h) => beirId.get(h.paper.id) ?? h.paper.id));
      }
      runs.set(mode, run);
      const note = fellBack.size > 0 ? `, ${fellBack.size} answered in another mode` : '';
      log(`  ${mode}: ${queries.length} queries in ${((performance.now() - t1) / 1000).toFixed(1)} s${note}`);
    }
    await semantic.close();
    return runs;
  } finally {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
