// Corpus and queries of the search speed benchmark (bench/search-speed.ts).
// Larger corpora recombine the demo papers' real text: the title of one paper,
// abstract sentences of several, authors, categories and dates of others. A
// synthetic paper's vector is its title paper's real vector plus small
// Gaussian noise, re-normalised. Everything follows from one seed.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ImportItem, Paper } from '../src/model.js';
import { importFiles } from '../src/ingest/import-files.js';
import { l2normalise } from '../src/search/embedder.js';
import { paperTextHash } from '../src/search/index-papers.js';
import { STOPWORDS } from '../src/search/stopwords.js';
import { quantise } from '../src/search/vector-math.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { NewEmbedding } from '../src/store/store.js';

export const DIMENSIONS = 512;
export const BENCH_EMBEDDER_ID = 'use-lite-512-v1';
/** Per-component noise: a synthetic vector has cosine ~0.9 with its source. */
const NOISE_SIGMA = 0.02;

export interface RealPaper {
  paper: Paper;
  vector: Float32Array;
}

export interface BenchQuery {
  text: string;
  /** Stand-in for the query's embedding: the vector of the real paper it came from. */
  vector: number[];
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

async function readVectors(path: string): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const { id, v } = JSON.parse(line) as { id: string; v: string };
    const b = Buffer.from(v, 'base64');
    if (b.length !== DIMENSIONS * 4) throw new Error(`${path}: vector of ${id} has ${b.length} bytes, expected ${DIMENSIONS * 4}`);
    out.set(id, new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  }
  return out;
}

/** The demo papers (imported through the product's importer) that have a real vector. */
export async function loadRealPapers(papersPath: string, vectorsPath: string, tmpDb: string): Promise<RealPaper[]> {
  const store = await SqliteStore.open(tmpDb);
  await store.migrate();
  const report = await importFiles(store, [papersPath]);
  if (report.total.new === 0) throw new Error(`${papersPath}: no papers imported (${report.files[0]?.error ?? 'empty'})`);
  const vectors = await readVectors(vectorsPath);
  const out: RealPaper[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listPapers({ cursor, limit: 2000 });
    for (const paper of page.items) {
      const vector = vectors.get(paper.id);
      if (vector) out.push({ paper, vector });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  await store.close();
  return out;
}

function syntheticId(i: number): string {
  const month = Math.floor(i / 90_000);
  const yy = 30 + Math.floor(month / 12);
  const mm = String((month % 12) + 1).padStart(2, '0');
  return `${yy}${mm}.${String((i % 90_000) + 1).padStart(5, '0')}`;
}

export interface CorpusBatch {
  items: ImportItem[];
  embeddings: NewEmbedding[];
}

/**
 * `size` papers in batches: the real papers first (as they are), then
 * recombined ones. Vectors come along, quantised as the store keeps them.
 */
export function* corpusBatches(real: RealPaper[], size: number, batchSize: number, seed: number): Generator<CorpusBatch> {
  const r = rng(seed);
  const sentences = real.flatMap((p) => p.paper.abstract.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20));
  let batch: CorpusBatch = { items: [], embeddings: [] };
  for (let i = 0; i < size; i++) {
    let paper: Paper;
    let vector: Float32Array;
    if (i < real.length) {
      ({ paper, vector } = real[i]!);
    } else {
      const source = pick(real, r);
      const n = 3 + Math.floor(r() * 6);
      const abstract = Array.from({ length: n }, () => pick(sentences, r)).join(' ');
      const meta = pick(real, r).paper;
      paper = { ...meta, id: syntheticId(i), title: source.paper.title, abstract, authors: pick(real, r).paper.authors };
      vector = new Float32Array(DIMENSIONS);
      for (let d = 0; d < DIMENSIONS; d++) vector[d] = source.vector[d]! + NOISE_SIGMA * gaussian(r);
      l2normalise(vector);
    }
    batch.items.push({
      paper: {
        id: paper.id,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors,
        categories: paper.categories,
        publishedAt: paper.publishedAt,
        updatedAt: paper.updatedAt,
        githubRepo: paper.githubRepo,
      },
    });
    const { q, scale } = quantise(vector);
    batch.embeddings.push({ paperId: paper.id, title: paper.title, abstract: paper.abstract, textHash: paperTextHash(paper.title, paper.abstract), scale, vector: q });
    if (batch.items.length === batchSize) {
      yield batch;
      batch = { items: [], embeddings: [] };
    }
  }
  if (batch.items.length > 0) yield batch;
}

const NATURAL_LANGUAGE = [
  'how to make large language models reason step by step',
  'reducing hallucinations in vision language models',
  'fast text to image generation with fewer diffusion steps',
  'reinforcement learning from human feedback for chat assistants',
  'efficient attention for very long context windows',
  'benchmarks for evaluating code generation models',
  'robots learning manipulation from video demonstrations',
  'compressing neural networks with quantization',
  'retrieval augmented generation for question answering',
  'generating 3d scenes from a single image',
  'speech recognition for low resource languages',
  'mixture of experts scaling laws',
  'agents that use tools and browse the web',
  'video generation with temporal consistency',
  'detecting machine generated text',
  'privacy attacks on language models',
];

/** `count` keyword queries of 1-4 consecutive title words, then natural-language ones. */
export function makeQueries(real: RealPaper[], count: number, seed: number): BenchQuery[] {
  const r = rng(seed);
  const out: BenchQuery[] = [];
  while (out.length < count) {
    const source = pick(real, r);
    const words = (source.paper.title.toLowerCase().match(/[a-z][a-z0-9-]+/g) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !w.includes('-'));
    if (words.length === 0) continue;
    const n = Math.min(words.length, 1 + Math.floor(r() * 4));
    const start = Math.floor(r() * (words.length - n + 1));
    out.push({ text: words.slice(start, start + n).join(' '), vector: [...source.vector] });
  }
  for (const text of NATURAL_LANGUAGE) out.push({ text, vector: [...pick(real, r).vector] });
  return out;
}

/** Query text -> vector, for the Embedder test double. */
export function queryVectors(queries: BenchQuery[]): Map<string, Float32Array> {
  return new Map(queries.map((q) => [q.text, Float32Array.from(q.vector)]));
}
