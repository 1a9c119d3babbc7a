// The semantic index: paper vectors from the store, searched in memory.
//
// The store's paper_embeddings table is the source of truth. Below
// `hnswThreshold` vectors (default 200k) the index is an exact int8 scan,
// loaded from the table at open (1M vectors read in ~3 s, 100k in ~0.3 s);
// above it, an HNSW graph cached in `<dataDir>/vectors-<embedder>.json` +
// `.usearch`, because building one costs ~1 ms per vector. A graph missing
// many vectors (none yet, or a cache far behind) is built in a child process
// on every core (hnsw-build.ts); a cached graph is brought up to date from the
// table at open (vectors written since, papers deleted since), and saved
// again after changes.
//
// New vectors (from `paperboy index` in any process, or the background indexer)
// are picked up by seq: each query first checks the newest seq (one b-tree
// descent) and reads what is new. Small catch-ups finish before the query
// answers; large ones run in the background while queries use what is loaded.
import { join } from 'node:path';
import type { RankedIds, Store } from '../store/store.js';
import type { VectorIndexKind } from './embedder-config.js';
import type { Embedder } from './embedder.js';
import { ExactVectors, type VectorSet } from './exact-vectors.js';
import { buildHnswInChild } from './hnsw-build.js';
import { HnswVectors } from './hnsw-vectors.js';
import type { SemanticIndex } from './types.js';
import { dequantise } from './vector-math.js';

export interface SemanticIndexOptions {
  /** Directory for the HNSW cache file; null or absent: never written. */
  dataDir?: string | null;
  kind?: VectorIndexKind;
  /** With kind "auto", collections of at least this many vectors get an HNSW graph. */
  hnswThreshold?: number;
  /** A catch-up of more vectors than this runs in the background instead of delaying a query. */
  inlineCatchUp?: number;
  /** Seconds between changes and saving the HNSW cache (it is saved on close too). */
  saveDelaySeconds?: number;
  /** Problems in background work (a failed catch-up or save). */
  onError?: (err: unknown) => void;
  /** A graph missing at least this many vectors is built in a child process on every core (needs dataDir; default CHILD_BUILD_FROM). */
  childBuildFrom?: number;
  /** Progress of a graph built in a child process, for the logs. */
  onProgress?: (line: string) => void;
}

/** Below this many missing vectors a graph catches up on the calling thread, ~1 ms each. */
export const CHILD_BUILD_FROM = 10_000;

export const DEFAULT_HNSW_THRESHOLD = 200_000;
const READ_BATCH = 2000;
// Adding to a graph costs ~1 ms per vector on the request thread: 32 at a time keeps each step near 30 ms.
const HNSW_ADD_BATCH = 32;
export const MAX_K = 1000;

const safeName = (embedderId: string) => embedderId.replace(/[^\w.-]+/g, '_');

/** Path of the HNSW cache's meta file for an embedder. */
export function hnswMetaPath(dataDir: string, embedderId: string): string {
  return join(dataDir, `vectors-${safeName(embedderId)}.json`);
}

export class VectorSemanticIndex implements SemanticIndex {
  readonly embedderId: string;
  private lastSeq = 0;
  private catchingUp: Promise<number> | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    private readonly vectors: VectorSet,
    private readonly opts: SemanticIndexOptions,
  ) {
    this.embedderId = embedder.id;
  }

  /** Loads the vectors of `embedder` from the store (or the HNSW cache) and returns a ready index. */
  static async open(store: Store, embedder: Embedder, opts: SemanticIndexOptions = {}): Promise<VectorSemanticIndex> {
    const count = await store.countEmbeddings(embedder.id);
    const kind = opts.kind ?? 'auto';
    const hnsw = kind === 'hnsw' || (kind === 'auto' && count >= (opts.hnswThreshold ?? DEFAULT_HNSW_THRESHOLD));
    if (!hnsw) {
      const index = new VectorSemanticIndex(store, embedder, new ExactVectors(embedder.dimensions, Math.max(1024, count)), opts);
      await index.refresh();
      return index;
    }
    const metaPath = opts.dataDir ? hnswMetaPath(opts.dataDir, embedder.id) : null;
    let cached = metaPath ? HnswVectors.load(metaPath, embedder.id, embedder.dimensions) : null;
    if (metaPath && count - (cached?.vectors.size() ?? 0) >= (opts.childBuildFrom ?? CHILD_BUILD_FROM)) {
      const started = performance.now();
      let lastLine = 0;
      await buildHnswInChild(store, embedder.id, embedder.dimensions, metaPath, (added, total) => {
        if (added < total && performance.now() - lastLine < 30_000) return;
        lastLine = performance.now();
        opts.onProgress?.(`vector graph: ${added.toLocaleString('en')} of ${total.toLocaleString('en')} vectors added in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      });
      cached = HnswVectors.load(metaPath, embedder.id, embedder.dimensions);
      if (!cached) throw new Error(`the vector graph built at ${metaPath} could not be loaded`);
    }
    const index = new VectorSemanticIndex(store, embedder, cached?.vectors ?? HnswVectors.create(embedder.dimensions), opts);
    index.lastSeq = cached?.maxSeq ?? 0;
    const added = await index.refresh();
    let changed = !cached || added > 0;
    if (index.vectors.size() !== (await store.countEmbeddings(embedder.id))) {
      await index.dropDeleted(index.vectors as HnswVectors);
      changed = true;
    }
    if (changed) index.save();
    return index;
  }

  get kind(): 'exact' | 'hnsw' {
    return this.vectors.kind;
  }

  size(): number {
    return this.vectors.size();
  }

  /** Reads vectors written since the last catch-up; returns how many. One catch-up at a time. */
  refresh(): Promise<number> {
    this.catchingUp ??= this.catchUp().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async catchUp(): Promise<number> {
    const latest = await this.store.latestEmbeddingSeq();
    let added = 0;
    const batchSize = this.vectors.kind === 'hnsw' ? HNSW_ADD_BATCH : READ_BATCH;
    for await (const batch of this.store.embeddingBatches(this.embedderId, { afterSeq: this.lastSeq, batchSize })) {
      this.vectors.upsert(batch);
      added += batch.length;
      this.lastSeq = batch.at(-1)!.seq;
      // Let requests through between batches of a long catch-up.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Seqs up to `latest` are all read, including other embedders' ones.
    this.lastSeq = Math.max(this.lastSeq, latest);
    if (added > 0 && this.vectors.kind === 'hnsw') this.scheduleSave();
    return added;
  }

  /** Removes papers whose vectors left the store (their papers were deleted). */
  private async dropDeleted(vectors: HnswVectors): Promise<void> {
    const present = new Set<string>();
    for await (const batch of this.store.embeddingBatches(this.embedderId, { batchSize: READ_BATCH })) for (const r of batch) present.add(r.paperId);
    vectors.remove(vectors.paperIds().filter((id) => !present.has(id)));
  }

  /** Before a query: small catch-ups are awaited, large ones run in the background. */
  private async beforeQuery(): Promise<void> {
    if (this.catchingUp) return;
    const latest = await this.store.latestEmbeddingSeq();
    if (latest <= this.lastSeq) return;
    const work = this.refresh();
    if (latest - this.lastSeq <= (this.opts.inlineCatchUp ?? 2000)) await work;
    else work.catch((err: unknown) => this.opts.onError?.(err));
  }

  private checkK(k: number): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    return Math.min(k, MAX_K);
  }

  async searchText(text: string, k: number): Promise<RankedIds> {
    const n = this.checkK(k);
    if (typeof text !== 'string') throw new TypeError('query text must be a string');
    if (n === 0 || text.trim() === '') return { ids: [], scores: [] };
    await this.beforeQuery();
    if (this.vectors.size() === 0) return { ids: [], scores: [] };
    const [query] = await this.embedder.embed([text]);
    return this.vectors.search(query!, n);
  }

  async similarTo(paperId: string, k: number): Promise<RankedIds> {
    const n = this.checkK(k);
    if (n === 0) return { ids: [], scores: [] };
    await this.beforeQuery();
    let v = this.vectors.vectorOf(paperId);
    if (!v && this.vectors.has(paperId)) {
      const stored = await this.store.getEmbedding(this.embedderId, paperId);
      if (stored) v = dequantise(stored.vector, stored.scale);
    }
    if (!v) return { ids: [], scores: [] };
    const found = this.vectors.search(v, n + 1);
    const out: RankedIds = { ids: [], scores: [] };
    found.ids.forEach((id, i) => {
      if (id === paperId || out.ids.length === n) return;
      out.ids.push(id);
      out.scores.push(found.scores[i]!);
    });
    return out;
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.saveTimer || this.closed || !this.opts.dataDir) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      try {
        this.save();
      } catch (err) {
        this.opts.onError?.(err);
      }
    }, (this.opts.saveDelaySeconds ?? 60) * 1000);
    this.saveTimer.unref();
  }

  /** Writes the HNSW cache now (nothing to do for an exact index or without a dataDir). */
  save(): void {
    if (!(this.vectors instanceof HnswVectors) || !this.opts.dataDir) return;
    this.vectors.save(hnswMetaPath(this.opts.dataDir, this.embedderId), this.embedderId, this.lastSeq);
    this.dirty = false;
  }

  /** Waits for a running catch-up and saves unsaved changes. The store stays open. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.catchingUp?.catch(() => undefined);
    if (this.dirty) this.save();
  }
}

/** Opens the semantic index of an embedder (see VectorSemanticIndex.open). */
export function openSemanticIndex(store: Store, embedder: Embedder, opts: SemanticIndexOptions = {}): Promise<VectorSemanticIndex> {
  return VectorSemanticIndex.open(store, embedder, opts);
}
