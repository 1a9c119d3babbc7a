/**
 * Search-quality benchmark on a BEIR data set (default: SciFact, read in place
 * from ../shared/data; evaluation-only, never copied into the repository).
 * Keyword = SQLite FTS5 bm25, semantic = USE-lite vectors (int8, exact scan),
 * hybrid = fusion of both. Prints one line per mode on stdout, then the
 * published nDCG@10 baselines; progress and timings go to stderr.
 *
 *   npm run bench:search-quality -- [--data DIR] [--qrels FILE] [--cache-dir DIR]
 *     [--title-weight N] [--fusion rrf|convex] [--rrf-k N] [--normalisation minmax|zscore]
 *     [--keyword-weight N] [--semantic-weight N] [--depth N]
 *
 * Corpus vectors are cached in --cache-dir (default data/cache) by embedder id
 * and corpus hash: the first run embeds for ~15 minutes, later runs take seconds.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { paperText } from '../src/search/embedder.js';
import { evaluateRun, type Run } from '../src/search/eval-metrics.js';
import type { Ranking } from '../src/search/rank-fusion.js';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.js';
import { cachedEmbeddings, loadCorpus, loadQrels, loadQueries } from './scifact-data.js';
import { DEFAULT_KEYWORD, KeywordIndex, SemanticIndex, fuse, type HybridSettings } from './scifact-rankers.js';

// shared/ sits beside the repository checkout (../shared from the repository root).
const DEFAULT_DATA = '../shared/data/beir-scifact';

/** Chosen on the SciFact train qrels only: keyword OR-query, title x3; z-score fusion, semantic 0.25. */
const CHOSEN: HybridSettings & { titleWeight: number } = {
  titleWeight: 3,
  fusion: 'convex',
  rrfK: 60,
  normalisation: 'zscore',
  keywordWeight: 0.75,
  semanticWeight: 0.25,
  depth: 1000,
};

function num(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      qrels: { type: 'string' },
      'cache-dir': { type: 'string' },
      'title-weight': { type: 'string' },
      fusion: { type: 'string' },
      'rrf-k': { type: 'string' },
      normalisation: { type: 'string' },
      'keyword-weight': { type: 'string' },
      'semantic-weight': { type: 'string' },
      depth: { type: 'string' },
    },
    strict: true,
  });
  const data = resolve(values.data ?? process.env.PAPERBOY_BEIR_DIR ?? DEFAULT_DATA);
  const fusion = values.fusion ?? CHOSEN.fusion;
  if (fusion !== 'rrf' && fusion !== 'convex') throw new Error(`--fusion must be rrf or convex (got ${JSON.stringify(fusion)})`);
  const normalisation = values.normalisation ?? CHOSEN.normalisation;
  if (normalisation !== 'minmax' && normalisation !== 'zscore') {
    throw new Error(`--normalisation must be minmax or zscore (got ${JSON.stringify(normalisation)})`);
  }
  return {
    data,
    qrels: resolve(values.qrels ?? join(data, 'qrels', 'train.tsv')),
    cacheDir: resolve(values['cache-dir'] ?? 'data/cache'),
    titleWeight: num('title-weight', values['title-weight'], CHOSEN.titleWeight),
    hybrid: {
      fusion,
      rrfK: num('rrf-k', values['rrf-k'], CHOSEN.rrfK),
      normalisation,
      keywordWeight: num('keyword-weight', values['keyword-weight'], CHOSEN.keywordWeight),
      semanticWeight: num('semantic-weight', values['semantic-weight'], CHOSEN.semanticWeight),
      depth: num('depth', values.depth, CHOSEN.depth, 1),
    } satisfies HybridSettings,
  };
}

const fmt = (x: number): string => x.toFixed(3);
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

async function printBaselines(dir: string, qrelsPath: string): Promise<void> {
  let parsed: { dataset?: string; results?: { system?: string; scifact?: number }[] };
  try {
    parsed = JSON.parse(await readFile(join(dir, 'published-ndcg10.json'), 'utf8')) as typeof parsed;
  } catch {
    log(`(no readable published-ndcg10.json in ${dir})`);
    return;
  }
  console.log(`published nDCG@10 (figures above use ${qrelsPath}), ${parsed.dataset ?? 'test split'}:`);
  for (const r of parsed.results ?? []) if (typeof r.scifact === 'number') console.log(`  ${fmt(r.scifact)}  ${r.system ?? '?'}`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const [docs, queries, qrels] = await Promise.all([loadCorpus(opts.data), loadQueries(opts.data), loadQrels(opts.qrels)]);
  const evalQueries = queries.filter((q) => qrels.has(q.id));
  if (evalQueries.length === 0) throw new Error(`no query in ${opts.data}/queries.jsonl has judgements in ${opts.qrels}`);
  log(`${docs.length} documents, ${evalQueries.length} judged queries (${opts.qrels})`);

  const keywordIndex = new KeywordIndex(docs);
  const keywordOpts = { ...DEFAULT_KEYWORD, titleWeight: opts.titleWeight };
  const depth = Math.max(opts.hybrid.depth, 100);
  const keyword = new Map(evalQueries.map((q) => [q.id, keywordIndex.search(q.text, depth, keywordOpts)]));
  keywordIndex.close();

  let lastLog = 0;
  const embedder = new UseLiteEmbedder({
    batchSize: 32,
    onProgress: (done, total) => {
      if (performance.now() - lastLog < 10_000 && done !== total) return;
      lastLog = performance.now();
      log(`  embedded ${done}/${total}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    },
  });
  const docIds = docs.map((d) => d.id);
  const corpus = await cachedEmbeddings(embedder, docIds, docs.map((d) => paperText(d.title, d.text)), opts.cacheDir);
  log(
    corpus.fromCache
      ? `corpus vectors read from cache in ${corpus.seconds.toFixed(2)} s`
      : `corpus embedded in ${corpus.seconds.toFixed(0)} s (${(docs.length / corpus.seconds).toFixed(2)} docs/s)`,
  );
  const queryVecs = await cachedEmbeddings(embedder, evalQueries.map((q) => q.id), evalQueries.map((q) => q.text), opts.cacheDir);
  const semanticIndex = new SemanticIndex(docIds, corpus.matrix, embedder.dimensions);
  const dims = embedder.dimensions;
  const semantic = new Map(
    evalQueries.map((q, i) => [q.id, semanticIndex.search(queryVecs.matrix.slice(i * dims, (i + 1) * dims), depth)]),
  );

  const runs: [string, Run][] = [
    ['keyword', new Map([...keyword].map(([q, r]) => [q, r.ids]))],
    ['semantic', new Map([...semantic].map(([q, r]) => [q, r.ids]))],
    [
      'hybrid',
      new Map(
        evalQueries.map((q) => {
          const cut = (r: Ranking): Ranking => ({ ids: r.ids.slice(0, opts.hybrid.depth), scores: r.scores.slice(0, opts.hybrid.depth) });
          return [q.id, fuse(cut(keyword.get(q.id)!), cut(semantic.get(q.id)!), opts.hybrid, 100).ids];
        }),
      ),
    ],
  ];
  for (const [mode, run] of runs) {
    const e = evaluateRun(run, qrels);
    console.log(`${mode} nDCG@10=${fmt(e.ndcg10)} Recall@100=${fmt(e.recall100)}`);
  }
  await printBaselines(opts.data, opts.qrels);
  log(`settings: title weight ${opts.titleWeight}, ${JSON.stringify(opts.hybrid)}; peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:search-quality: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
