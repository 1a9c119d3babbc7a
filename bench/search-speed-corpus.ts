// Corpus and queries of the search speed benchmark (bench/search-speed.ts).
// Larger corpora recombine the demo papers' real text: the title of one paper,
// abstract sentences of several, authors, categories and dates of others.
// Everything follows from one seed. Vectors are not made here: the benchmark
// trains the learned model on the stored corpus and embeds every paper with
// it, as `paperboy` does.
import type { ImportItem, Paper } from '../src/model.js';
import { importFiles } from '../src/ingest/import-files.js';
import { STOPWORDS } from '../src/search/stopwords.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { mulberry32 } from '../src/random.js';

/**
 * Random draws each synthetic paper once spent on a 512-d noise vector (the
 * corpus then carried USE-lite vectors); still drawn, so that a seed gives the
 * same papers as in the runs recorded in BENCHMARKS.md.
 */
const RETIRED_DRAWS = 1024;

export interface RealPaper {
  paper: Paper;
}

export interface BenchQuery {
  text: string;
}

/** The corpus generator's PRNG (the product's mulberry32). */
export const rng = mulberry32;

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

/** The papers of a demo-format file, imported through the product's importer into `tmpDb` (removed afterwards by the caller). */
export async function loadRealPapers(papersPath: string, tmpDb: string): Promise<RealPaper[]> {
  const store = await SqliteStore.open(tmpDb);
  try {
    await store.migrate();
    const report = await importFiles(store, [papersPath]);
    if (report.total.new === 0) throw new Error(`${papersPath}: no papers imported (${report.files[0]?.error ?? 'empty'})`);
    const out: RealPaper[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listPapers({ cursor, limit: 2000 });
      for (const paper of page.items) out.push({ paper });
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  } finally {
    await store.close();
  }
}

function syntheticId(i: number): string {
  const month = Math.floor(i / 90_000);
  const yy = 30 + Math.floor(month / 12);
  const mm = String((month % 12) + 1).padStart(2, '0');
  return `${yy}${mm}.${String((i % 90_000) + 1).padStart(5, '0')}`;
}

export interface CorpusBatch {
  items: ImportItem[];
}

/** `size` papers in batches: the real papers first (as they are), then recombined ones. */
export function* corpusBatches(real: RealPaper[], size: number, batchSize: number, seed: number): Generator<CorpusBatch> {
  const r = rng(seed);
  const sentences = real.flatMap((p) => p.paper.abstract.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20));
  let batch: CorpusBatch = { items: [] };
  for (let i = 0; i < size; i++) {
    let paper: Paper;
    if (i < real.length) {
      paper = real[i]!.paper;
    } else {
      const source = pick(real, r);
      const n = 3 + Math.floor(r() * 6);
      const abstract = Array.from({ length: n }, () => pick(sentences, r)).join(' ');
      const meta = pick(real, r).paper;
      paper = { ...meta, id: syntheticId(i), title: source.paper.title, abstract, authors: pick(real, r).paper.authors };
      for (let d = 0; d < RETIRED_DRAWS; d++) r();
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
    if (batch.items.length === batchSize) {
      yield batch;
      batch = { items: [] };
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

/**
 * `count` keyword queries of 1-4 consecutive title words, then natural-language
 * ones. (The random stream still picks the paper it once took a stand-in
 * query vector from, so a seed gives the queries of the recorded runs.)
 */
/**
 * Stores the generated corpus through the product's write path, batch by
 * batch, logging every 100,000 papers with `label` ("" or "postgres: "), and
 * checks the count. Returns the seconds spent in upsertItems.
 */
export async function storeCorpus(
  store: Pick<Store, 'upsertItems' | 'countPapers'>,
  corpus: { real: RealPaper[]; size: number; batchSize: number; seed: number },
  label: string,
  log: (msg: string) => void,
): Promise<number> {
  let spent = 0;
  let done = 0;
  for (const b of corpusBatches(corpus.real, corpus.size, corpus.batchSize, corpus.seed)) {
    const t0 = performance.now();
    await store.upsertItems(b.items);
    spent += performance.now() - t0;
    done += b.items.length;
    if (done % 100_000 === 0) log(`  ${label}${done.toLocaleString('en')} papers stored`);
  }
  const count = await store.countPapers();
  if (count !== corpus.size) throw new Error(`${label}the store holds ${count} papers, expected ${corpus.size}`);
  log(`  ${label}${corpus.size.toLocaleString('en')} papers stored in ${(spent / 1000).toFixed(1)} s`);
  return spent / 1000;
}

export function makeQueries(real: RealPaper[], count: number, seed: number): BenchQuery[] {
  const r = rng(seed);
  const out: BenchQuery[] = [];
  while (out.length < count) {
    const source = pick(real, r);
    const words = (source.paper.title.toLowerCase().match(/[a-z][a-z0-9-]+/g) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !w.includes('-'));
    if (words.length === 0) continue;
    const n = Math.min(words.length, 1 + Math.floor(r() * 4));
    const start = Math.floor(r() * (words.length - n + 1));
    out.push({ text: words.slice(start, start + n).join(' ') });
  }
  for (const text of NATURAL_LANGUAGE) {
    pick(real, r);
    out.push({ text });
  }
  return out;
}
