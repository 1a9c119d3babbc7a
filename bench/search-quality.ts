/**
 * Search-quality benchmark on a BEIR data set (default: SciFact, read in place
 * from ../shared/data; evaluation-only, never copied into the repository).
 * Keyword = SQLite FTS5 bm25, semantic = USE-lite vectors (int8, exact scan),
 * hybrid = fusion of both. Prints one line per mode on stdout, then the
 * published nDCG@10 baselines; progress and timings go to stderr.
 *
 * --engine product (default) measures the product end to end: the corpus is
 * loaded into a temporary SQLite store and each query goes through
 * SearchService.search (bench/search-quality-product.ts). --engine reference
 * runs the bench-side rankers (bench/scifact-rankers.ts), whose settings the
 * --title-weight ... --semantic-weight flags change; --depth applies to both.
 *
 *   npm run bench:search-quality -- [--engine product|reference] [--data DIR] [--qrels FILE]
 *     [--cache-dir DIR] [--title-weight N] [--fusion rrf|convex] [--rrf-k N]
 *     [--normalisation minmax|zscore] [--keyword-weight N] [--semantic-weight N] [--depth N]
 *     [--max-scored N] [--rare-budget N]   (product engine: the keyword scoring bounds, see src/store/sqlite-keyword.ts)
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
import { cachedEmbeddings, loadCorpus, loadQrels, loadQueries, type BeirDoc, type BeirQuery } from './scifact-data.js';
import { grammarReport, productRuns } from './search-quality-product.js';
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
      engine: { type: 'string' },
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
      'max-scored': { type: 'string' },
      'rare-budget': { type: 'string' },
    },
    strict: true,
  });
  const engine = values.engine ?? 'product';
  if (engine !== 'product' && engine !== 'reference') throw new Error(`--engine must be product or reference (got ${JSON.stringify(engine)})`);
  const data = resolve(values.data ?? process.env.PAPERBOY_BEIR_DIR ?? DEFAULT_DATA);
  const fusion = values.fusion ?? CHOSEN.fusion;
  if (fusion !== 'rrf' && fusion !== 'convex') throw new Error(`--fusion must be rrf or convex (got ${JSON.stringify(fusion)})`);
  const normalisation = values.normalisation ?? CHOSEN.normalisation;
  if (normalisation !== 'minmax' && normalisation !== 'zscore') {
    throw new Error(`--normalisation must be minmax or zscore (got ${JSON.stringify(normalisation)})`);
  }
  return {
    engine,
    data,
    qrels: resolve(values.qrels ?? join(data, 'qrels', 'train.tsv')),
    cacheDir: resolve(values['cache-dir'] ?? 'data/cache'),
    keywordMaxScored: values['max-scored'] === undefined ? undefined : num('max-scored', values['max-scored'], 0, 1),
    keywordRareBudget: values['rare-budget'] === undefined ? undefined : num('rare-budget', values['rare-budget'], 0, 0),
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

type Options = ReturnType<typeof parseOptions>;

function referenceRuns(opts: Options, docs: BeirDoc[], evalQueries: BeirQuery[], corpus: Float32Array, queryVecs: Float32Array, dims: number): [string, Run][] {
  const keywordIndex = new KeywordIndex(docs);
  const keywordOpts = { ...DEFAULT_KEYWORD, titleWeight: opts.titleWeight };
  const depth = Math.max(opts.hybrid.depth, 100);
  const keyword = new Map(evalQueries.map((q) => [q.id, keywordIndex.search(q.text, depth, keywordOpts)]));
  keywordIndex.close();
  const semanticIndex = new SemanticIndex(docs.map((d) => d.id), corpus, dims);
  const semantic = new Map(evalQueries.map((q, i) => [q.id, semanticIndex.search(queryVecs.slice(i * dims, (i + 1) * dims), depth)]));
  const cut = (r: Ranking): Ranking => ({ ids: r.ids.slice(0, opts.hybrid.depth), scores: r.scores.slice(0, opts.hybrid.depth) });
  return [
    ['keyword', new Map([...keyword].map(([q, r]) => [q, r.ids]))],
    ['semantic', new Map([...semantic].map(([q, r]) => [q, r.ids]))],
    ['hybrid', new Map(evalQueries.map((q) => [q.id, fuse(cut(keyword.get(q.id)!), cut(semantic.get(q.id)!), opts.hybrid, 100).ids]))],
  ];
}

function logGrammar(queries: BeirQuery[]): void {
  const g = grammarReport(queries);
  const show = (ids: string[]) => `${ids.length}${ids.length > 0 ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''})` : ''}`;
  log(`query grammar: ${show(g.excluded)} with exclusions, ${show(g.phrases)} with phrases, ${show(g.fields)} with fields, ` +
    `${show(g.hyphenated)} with joined words (phrases in 1-2 word queries, separate words in longer ones), ${show(g.errors)} with parser warnings`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const [docs, queries, qrels] = await Promise.all([loadCorpus(opts.data), loadQueries(opts.data), loadQrels(opts.qrels)]);
  const evalQueries = queries.filter((q) => qrels.has(q.id));
  if (evalQueries.length === 0) throw new Error(`no query in ${opts.data}/queries.jsonl has judgements in ${opts.qrels}`);
  log(`${docs.length} documents, ${evalQueries.length} judged queries (${opts.qrels}), engine ${opts.engine}`);

  let lastLog = 0;
  const embedder = new UseLiteEmbedder({
    batchSize: 32,
    onProgress: (done, total) => {
      // Single query embeddings (product engine) are not worth a line each.
      if (total < 32 || (performance.now() - lastLog < 10_000 && done !== total)) return;
      lastLog = performance.now();
      log(`  embedded ${done}/${total}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    },
  });
  // paperText(title, text) is exactly what the product embeds for a paper (abstract = text), so one cache serves both engines.
  const corpus = await cachedEmbeddings(embedder, docs.map((d) => d.id), docs.map((d) => paperText(d.title, d.text)), opts.cacheDir);
  log(
    corpus.fromCache
      ? `corpus vectors read from cache in ${corpus.seconds.toFixed(2)} s`
      : `corpus embedded in ${corpus.seconds.toFixed(0)} s (${(docs.length / corpus.seconds).toFixed(2)} docs/s)`,
  );

  let runs: [string, Run][];
  if (opts.engine === 'product') {
    logGrammar(evalQueries);
    const product = await productRuns(docs, evalQueries, embedder, corpus.matrix, {
      depth: opts.hybrid.depth,
      limit: 100,
      keywordMaxScored: opts.keywordMaxScored,
      keywordRareBudget: opts.keywordRareBudget,
      onProgress: log,
    });
    runs = [...product];
  } else {
    const queryVecs = await cachedEmbeddings(embedder, evalQueries.map((q) => q.id), evalQueries.map((q) => q.text), opts.cacheDir);
    runs = referenceRuns(opts, docs, evalQueries, corpus.matrix, queryVecs.matrix, embedder.dimensions);
  }
  for (const [mode, run] of runs) {
    const e = evaluateRun(run, qrels);
    console.log(`${mode} nDCG@10=${fmt(e.ndcg10)} Recall@100=${fmt(e.recall100)}`);
  }
  await printBaselines(opts.data, opts.qrels);
  const settings = opts.engine === 'product' ? `depth ${opts.hybrid.depth}` : `title weight ${opts.titleWeight}, ${JSON.stringify(opts.hybrid)}`;
  log(`settings: ${settings}; peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:search-quality: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
