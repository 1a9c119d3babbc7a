/**
 * Search-quality benchmark, two sets, every query through SearchService.search
 * in each mode (keyword, semantic, hybrid), so the figures are what users get:
 *
 * - meaning: the hand-written queries of bench/meaning-queries.json (100
 *   paraphrases avoiding their paper's title words, 30 keyword-style) over the
 *   demo corpus; Recall@1, Recall@10 and MRR@10 per mode, for the default
 *   learned model (trained in the run on the demo corpus with trainModel's
 *   defaults, then calibrated) beside USE-lite (its shipped demo vectors),
 *   dev and test halves separately and together (bench/meaning-set.ts);
 * - scifact: a BEIR data set (default SciFact, read in place from
 *   ../shared/data; evaluation-only, never copied into the repository), train
 *   qrels; nDCG@10 and Recall@100, with the learned model trained on the BEIR
 *   corpus itself (--scifact-models learned,use-lite adds USE-lite: ~15 min
 *   to embed the corpus the first time, cached in --cache-dir after that).
 *
 * --backends sqlite,postgres runs SciFact's product engine on each store
 * backend (PostgreSQL: a database created for the run on
 * PAPERBOY_BENCH_DATABASE_URL or the local server, dropped at the end; keyword
 * search from the process's local index, as `paperboy serve` answers it),
 * prints the figures side by side with how many rankings are identical, and
 * issue 10's target (nDCG@10 within 0.01 of SQLite's).
 *
 * Then issue 9's targets with PASS/FAIL. Figures on stdout; progress on stderr.
 *
 * --engine reference runs the bench-side rankers of SciFact with USE-lite
 * (bench/scifact-rankers.ts), whose settings the --title-weight ...
 * --semantic-weight flags change; --depth applies to both engines (default:
 * the product's candidate depth for the product engine).
 *
 * The options: USAGE below (--help prints it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { importFiles } from '../src/ingest/import-files.js';
import { loadDemoVectors } from '../src/search/demo-vectors.js';
import { paperText } from '../src/search/embedder.js';
import { evaluateRun, type Run } from '../src/search/eval-metrics.js';
import { parseQuery } from '../src/search/query-parser.js';
import type { Ranking } from '../src/search/rank-fusion.js';
import { SearchService } from '../src/search/search-service.js';
import { openSemanticIndex } from '../src/search/semantic-index.js';
import type { SearchMode, SemanticIndex as SemanticIndexContract } from '../src/search/types.js';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { describeCalibration, openLearnedSemantic, queriesPerSecond, withCalibration, type LearnedSemantic } from './learned-model.js';
import { firstOfEachGroup, formatTable, loadMeaningQueries, MODES, rankNearest, rankQueries, scoresOf, type MeaningQuery, type Ranked } from './meaning-set.js';
import { cachedEmbeddings, loadCorpus, loadQrels, loadQueries, type BeirDoc, type BeirQuery } from './scifact-data.js';
import { grammarReport, memoEmbedder, productRuns, storedVectors } from './search-quality-product.js';
import { benchServerUrl, parseBackends, type Backend } from './bench-backends.js';
import { redactUrl } from '../test/support/postgres.js';
import { DEFAULT_KEYWORD, KeywordIndex, SemanticIndex, fuse, type HybridSettings } from './scifact-rankers.js';

// shared/ sits beside the repository checkout (../shared from the repository root).
const DEFAULT_DATA = '../shared/data/beir-scifact';
const SMOKE_DATA = 'test/fixtures/search/mini-beir';
const DEMO = 'demo/hf-daily-papers.jsonl.gz';
/** The demo's shipped USE-lite vectors (named as `serve` finds them: demo/X.jsonl.gz -> demo/X.<embedder>.vectors.jsonl.gz). */
const DEMO_USE_LITE = 'demo/hf-daily-papers.use-lite-512-v1.vectors.jsonl.gz';
const MODELS = ['learned', 'use-lite'] as const;
type Model = (typeof MODELS)[number];
const SETS = ['meaning', 'scifact'] as const;
/** Issue 9's targets. */
const TARGETS = { paraphraseSemanticR10: 0.6, paraphraseHybridGain: 0.12, scifactHybridNdcg: 0.72 };
/** Issue 10's: SciFact nDCG@10 on PostgreSQL within this of SQLite's, every mode. */
const BACKEND_NDCG_TOLERANCE = 0.01;

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

function list<T extends string>(name: string, raw: string, known: readonly T[]): T[] {
  const items = raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const x of items) if (!(known as readonly string[]).includes(x)) throw new Error(`--${name}: unknown "${x}" (known: ${known.join(', ')})`);
  return [...new Set(items)] as T[];
}

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
      sets: { type: 'string' },
      models: { type: 'string' },
      'scifact-models': { type: 'string' },
      backends: { type: 'string' },
      smoke: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const smoke = values.smoke ?? false;
  const engine = values.engine ?? 'product';
  if (engine !== 'product' && engine !== 'reference') throw new Error(`--engine must be product or reference (got ${JSON.stringify(engine)})`);
  const data = resolve(values.data ?? (smoke ? SMOKE_DATA : (process.env.PAPERBOY_BEIR_DIR ?? DEFAULT_DATA)));
  const fusion = values.fusion ?? CHOSEN.fusion;
  if (fusion !== 'rrf' && fusion !== 'convex') throw new Error(`--fusion must be rrf or convex (got ${JSON.stringify(fusion)})`);
  const normalisation = values.normalisation ?? CHOSEN.normalisation;
  if (normalisation !== 'minmax' && normalisation !== 'zscore') {
    throw new Error(`--normalisation must be minmax or zscore (got ${JSON.stringify(normalisation)})`);
  }
  const models = list('models', values.models ?? MODELS.join(','), MODELS);
  const scifactModels = list('scifact-models', values['scifact-models'] ?? 'learned', MODELS);
  if (models.length === 0 || scifactModels.length === 0) throw new Error('--models and --scifact-models need at least one model');
  const backends = parseBackends(values.backends ?? 'sqlite');
  if (engine === 'reference' && values.backends !== undefined) throw new Error('--backends applies to the product engine only');
  return {
    smoke,
    backends,
    // The reference rankers exist for SciFact only.
    sets: engine === 'reference' ? ['scifact' as const] : list('sets', values.sets ?? SETS.join(','), SETS),
    models,
    scifactModels,
    // A smoke run's learned models are small: the point is that every step runs.
    dimensions: smoke ? 64 : undefined,
    productDepth: values.depth === undefined ? undefined : num('depth', values.depth, CHOSEN.depth, 1),
    engine,
    data,
    dataGiven: values.data !== undefined || smoke || process.env.PAPERBOY_BEIR_DIR !== undefined,
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

function referenceRuns(opts: Options, docs: BeirDoc[], evalQueries: BeirQuery[], corpus: Float32Array, queryVecs: Float32Array, dims: number): [SearchMode, Run][] {
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

function logGrammar(queries: BeirQuery[], log: Log): void {
  const g = grammarReport(queries);
  const show = (ids: string[]) => `${ids.length}${ids.length > 0 ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''})` : ''}`;
  log(`query grammar: ${show(g.excluded)} with exclusions, ${show(g.phrases)} with phrases, ${show(g.fields)} with fields, ` +
    `${show(g.hyphenated)} with joined words (phrases in 1-2 word queries, separate words in longer ones), ${show(g.errors)} with parser warnings`);
}

type Log = (msg: string) => void;
const kps = (n: number) => Math.round(n).toLocaleString('en');

/** The learned model's costs, on stdout: what a user's instance spends on it. */
function printModel(where: string, learned: LearnedSemantic, queryRate: number, queries: number): void {
  const { trained, calibration, calibrateSeconds } = learned;
  const info = trained.model.info;
  console.log(
    `model learned (${where}): ${info.id}, trained in ${trained.trainSeconds.toFixed(1)} s on ${info.trainedOn.sample} of ${info.trainedOn.papers} papers ` +
      `(${info.dimensions} dimensions, ${trained.model.table.stems.length} stems); embeds ${kps(trained.embedded / trained.embedSeconds)} abstracts/s ` +
      `(${trained.embedded} in ${trained.embedSeconds.toFixed(2)} s; ${kps(trained.embedded / trained.indexSeconds)}/s with reading and storing) ` +
      `and ${kps(queryRate)} queries/s (${queries} queries, one at a time)`,
  );
  console.log(`model learned (${where}): calibrated in ${calibrateSeconds.toFixed(1)} s: ${describeCalibration(calibration)}`);
}

type Scores = { ndcg10: number; recall100: number };
type ScifactScores = Map<Model | 'reference', Map<SearchMode, Scores>>;
/** SciFact scores per store backend (the reference engine's under 'sqlite'). */
type ScifactByBackend = Map<Backend, ScifactScores>;

async function runScifact(opts: Options, log: Log): Promise<ScifactByBackend> {
  const [docs, queries, qrels] = await Promise.all([loadCorpus(opts.data), loadQueries(opts.data), loadQrels(opts.qrels)]);
  const evalQueries = queries.filter((q) => qrels.has(q.id));
  if (evalQueries.length === 0) throw new Error(`no query in ${opts.data}/queries.jsonl has judgements in ${opts.qrels}`);
  const backends: Backend[] = opts.engine === 'product' ? opts.backends : ['sqlite'];
  const several = backends.length > 1 || backends[0] !== 'sqlite';
  log(`scifact: ${docs.length} documents, ${evalQueries.length} judged queries (${opts.qrels}), engine ${opts.engine}, backends ${backends.join(', ')}`);
  if (backends.includes('postgres')) log(`scifact: PostgreSQL databases are created on ${redactUrl(benchServerUrl())} and dropped after each run`);
  const byBackend: ScifactByBackend = new Map(backends.map((b) => [b, new Map()]));
  const evaluate = (runs: Iterable<[SearchMode, Run]>) => new Map([...runs].map(([mode, run]) => [mode, evaluateRun(run, qrels)] as const));
  // One line per mode; with several backends (or one that is not SQLite), their figures side by side on it.
  const record = (model: Model | 'reference', runsBy: Map<Backend, Map<SearchMode, Run>>) => {
    const perBackend = new Map([...runsBy].map(([b, runs]) => [b, evaluate(runs)] as const));
    const modes = [...perBackend.values().next().value!.keys()];
    for (const mode of modes) {
      const cells = [...perBackend].map(([b, m]) => `${several ? `${b.padEnd(8)} ` : ''}nDCG@10=${fmt(m.get(mode)!.ndcg10)} Recall@100=${fmt(m.get(mode)!.recall100)}`);
      console.log(`scifact  ${model.padEnd(9)}  ${mode.padEnd(8)}  ${cells.join('  |  ')}`);
    }
    const [lite, pg] = [runsBy.get('sqlite'), runsBy.get('postgres')];
    if (lite && pg) {
      // Not only the figures: the same papers in the same order, query by query.
      for (const mode of modes) {
        const a = lite.get(mode)!;
        const b = pg.get(mode)!;
        const same = evalQueries.filter((q) => JSON.stringify(a.get(q.id)) === JSON.stringify(b.get(q.id))).length;
        console.log(`scifact  ${model.padEnd(9)}  ${mode.padEnd(8)}  same top 100 on sqlite and postgres: ${same} of ${evalQueries.length} queries`);
      }
    }
    for (const [b, m] of perBackend) byBackend.get(b)!.set(model, m);
  };
  const productOptions = {
    depth: opts.productDepth,
    limit: 100,
    keywordMaxScored: opts.keywordMaxScored,
    keywordRareBudget: opts.keywordRareBudget,
    onProgress: log,
  };
  if (opts.engine === 'product') logGrammar(evalQueries, log);
  for (const model of opts.engine === 'reference' ? (['use-lite'] as const) : opts.scifactModels) {
    if (model === 'learned') {
      const runsBy = new Map<Backend, Map<SearchMode, Run>>();
      for (const backend of backends) {
        log(`scifact: learned model on ${backend}`);
        const runs = await productRuns(
          docs,
          evalQueries,
          async (store) => {
            const learned = await openLearnedSemantic(store, { dimensions: opts.dimensions, log: (line) => log(`scifact${line}`) });
            const semanticTexts = evalQueries.map((q) => parseQuery(q.text).semanticText);
            const where = `BEIR corpus ${opts.data}${several ? `, ${backend}` : ''}`;
            printModel(where, learned, await queriesPerSecond(learned.trained.embedder, semanticTexts), semanticTexts.length);
            return learned;
          },
          { ...productOptions, backend },
        );
        runsBy.set(backend, runs);
      }
      record('learned', runsBy);
      continue;
    }
    const embedder = useLiteEmbedder(log);
    // paperText(title, text) is exactly what the product embeds for a paper (abstract = text), so one cache serves both engines.
    const corpus = await cachedEmbeddings(embedder, docs.map((d) => d.id), docs.map((d) => paperText(d.title, d.text)), opts.cacheDir);
    log(
      corpus.fromCache
        ? `scifact: USE-lite corpus vectors read from cache in ${corpus.seconds.toFixed(2)} s`
        : `scifact: USE-lite corpus embedded in ${corpus.seconds.toFixed(0)} s (${(docs.length / corpus.seconds).toFixed(2)} docs/s)`,
    );
    if (opts.engine === 'product') {
      const runsBy = new Map<Backend, Map<SearchMode, Run>>();
      for (const backend of backends) {
        runsBy.set(backend, await productRuns(docs, evalQueries, storedVectors(docs, embedder, corpus.matrix), { ...productOptions, backend }));
      }
      record('use-lite', runsBy);
    } else {
      const queryVecs = await cachedEmbeddings(embedder, evalQueries.map((q) => q.id), evalQueries.map((q) => q.text), opts.cacheDir);
      record('reference', new Map([['sqlite', new Map(referenceRuns(opts, docs, evalQueries, corpus.matrix, queryVecs.matrix, embedder.dimensions))]]));
    }
  }
  await printBaselines(opts.data, opts.qrels);
  const settings = opts.engine === 'product' ? `depth ${opts.productDepth ?? 'the product default'}` : `title weight ${opts.titleWeight}, ${JSON.stringify(opts.hybrid)}`;
  log(`scifact settings: ${settings}`);
  return byBackend;
}

function useLiteEmbedder(log: Log): UseLiteEmbedder {
  let lastLog = 0;
  return new UseLiteEmbedder({
    batchSize: 32,
    onProgress: (done, total) => {
      // Single query embeddings are not worth a line each.
      if (total < 32 || (performance.now() - lastLog < 10_000 && done !== total)) return;
      lastLog = performance.now();
      log(`  embedded ${done}/${total}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    },
  });
}

/** A smoke run's slice of the demo: the papers of its queries and every 40th other paper, as a JSONL file in `dir`. */
async function demoSlice(queries: MeaningQuery[], dir: string): Promise<string> {
  const wanted = new Set(queries.map((q) => q.id));
  const lines = gunzipSync(await readFile(DEMO)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const kept = lines.filter((line, i) => i % 40 === 0 || wanted.has((JSON.parse(line) as { id: string }).id));
  const path = join(dir, 'demo-slice.jsonl');
  await writeFile(path, `${kept.join('\n')}\n`);
  return path;
}

async function runMeaning(opts: Options, log: Log): Promise<Ranked[]> {
  const all = loadMeaningQueries();
  const queries = opts.smoke ? firstOfEachGroup(all, 3) : all;
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-bench-meaning-'));
  const store = await SqliteStore.open(join(dir, 'meaning.db'));
  const closers: (() => Promise<void>)[] = [];
  try {
    await store.migrate();
    const corpus = opts.smoke ? await demoSlice(queries, dir) : DEMO;
    const t0 = performance.now();
    const imported = await importFiles(store, [corpus]);
    const papers = await store.countPapers();
    log(`meaning: ${papers} papers imported from ${corpus} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${imported.total.new} new)`);
    const wanted = queries.map((q) => q.id);
    const present = new Set((await store.getPapers(wanted)).map((p) => p.id));
    const absent = wanted.filter((id) => !present.has(id));
    if (absent.length > 0) throw new Error(`meaning: ${absent.length} query papers are not in ${corpus} (${absent.slice(0, 3).join(', ')})`);
    const semanticTexts = queries.map((q) => parseQuery(q.query).semanticText);
    const ranked: Ranked[] = [];
    for (const [i, model] of opts.models.entries()) {
      // Keyword mode does not depend on the model: the first model's run measures it.
      const modes = i === 0 ? MODES : MODES.filter((m) => m !== 'keyword');
      let service: SearchService;
      let index: SemanticIndexContract;
      if (model === 'learned') {
        const learned = await openLearnedSemantic(store, { dimensions: opts.dimensions, log: (line) => log(`meaning${line}`) });
        closers.push(() => learned.close());
        printModel(`demo corpus, ${papers} papers`, learned, await queriesPerSecond(learned.trained.embedder, semanticTexts), semanticTexts.length);
        service = new SearchService(store, { semantic: learned.index });
        index = learned.index;
      } else {
        const use = new UseLiteEmbedder();
        const report = await loadDemoVectors(store, DEMO_USE_LITE, use.id);
        if (report.stored === 0) throw new Error(`meaning: no USE-lite vectors loaded from ${DEMO_USE_LITE} (${report.skippedBecause ?? JSON.stringify(report)})`);
        const opened = await openSemanticIndex(store, memoEmbedder(use), { kind: 'exact' });
        closers.push(() => opened.close());
        index = withCalibration(opened, null);
        console.log(
          `model use-lite (demo corpus): ${report.stored} shipped vectors of ${DEMO_USE_LITE} (${report.textChanged} papers changed since, ${report.unknown} not in the store); ` +
            `${kps(await queriesPerSecond(new UseLiteEmbedder(), semanticTexts))} queries/s (${semanticTexts.length} queries, one at a time, on this thread); no calibration (SearchService defaults)`,
        );
        service = new SearchService(store, { semantic: index });
      }
      const t1 = performance.now();
      const run = await rankQueries(service, queries, modes, model);
      const note = run.fellBack > 0 ? `; ${run.fellBack} answered in another mode` : '';
      log(`meaning: ${model}: ${queries.length} queries x ${modes.length} modes in ${((performance.now() - t1) / 1000).toFixed(1)} s${note}`);
      ranked.push(...run.ranked, ...(await rankNearest(index, queries, model)));
    }
    for (const line of formatTable(ranked, opts.models)) console.log(line);
    console.log('(nearest: the model\'s own 10 nearest papers to the query, the semantic index asked directly, before search applies its join threshold; a diagnostic, not a search mode)');
    return ranked;
  } finally {
    for (const close of closers) await close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function printTargets(ranked: Ranked[] | null, byBackend: ScifactByBackend | null, smoke: boolean): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(`targets (issue 9${byBackend?.has('postgres') ? ' and 10' : ''})${smoke ? ' -- smoke run: a handful of queries, the verdicts mean nothing' : ''}:`);
  const learnedRan = ranked?.some((r) => r.model === 'learned' && r.mode === 'semantic') ?? false;
  if (ranked === null || !learnedRan) {
    console.log('  meaning-set targets: NOT RUN (needs the meaning set with the learned model)');
  } else {
    const first = ranked.find((r) => r.mode === 'keyword')!.model;
    const of = (list: 'paraphrase' | 'keyword', model: string, mode: SearchMode) => scoresOf(ranked, (r) => r.query.list === list && r.model === model && r.mode === mode);
    const pSem = of('paraphrase', 'learned', 'semantic');
    const pHyb = of('paraphrase', 'learned', 'hybrid');
    const pKw = of('paraphrase', first, 'keyword');
    console.log(`  learned semantic alone, paraphrases (${pSem.queries}): R@10 ${fmt(pSem.recall10)} >= ${TARGETS.paraphraseSemanticR10}: ${verdict(pSem.recall10 >= TARGETS.paraphraseSemanticR10)}`);
    console.log(
      `  learned hybrid, paraphrases (${pHyb.queries}): R@10 ${fmt(pHyb.recall10)} >= keyword ${fmt(pKw.recall10)} + ${TARGETS.paraphraseHybridGain}: ` +
        `${verdict(pHyb.recall10 >= pKw.recall10 + TARGETS.paraphraseHybridGain - 1e-9)}`,
    );
    const kHyb = of('keyword', 'learned', 'hybrid');
    const kKw = of('keyword', first, 'keyword');
    console.log(
      `  learned hybrid, keyword-style queries (${kHyb.queries}): R@10 ${fmt(kHyb.recall10)} and MRR@10 ${fmt(kHyb.mrr10)} not below keyword mode's ${fmt(kKw.recall10)} and ${fmt(kKw.mrr10)}: ` +
        `${verdict(kHyb.recall10 >= kKw.recall10 - 1e-9 && kHyb.mrr10 >= kKw.mrr10 - 1e-9)}`,
    );
  }
  // Issue 9's target is SQLite's figure (the first backend's when SQLite did not run).
  const scifact = byBackend === null ? null : (byBackend.get('sqlite') ?? [...byBackend.values()][0]!);
  const learned = scifact?.get('learned');
  if (!learned) {
    console.log('  SciFact target: NOT RUN (needs --sets scifact with the learned model)');
  } else {
    const h = learned.get('hybrid')!.ndcg10;
    const k = learned.get('keyword')!.ndcg10;
    console.log(
      `  SciFact train, learned model trained on its corpus: hybrid nDCG@10 ${fmt(h)} >= ${TARGETS.scifactHybridNdcg} and >= keyword ${fmt(k)}: ` +
        `${verdict(h >= TARGETS.scifactHybridNdcg && h >= k - 1e-9)}`,
    );
  }
  if (byBackend?.has('postgres')) printBackendTarget(byBackend);

}

/** Issue 10's target: the same SciFact nDCG@10 on PostgreSQL as on SQLite (every mode of every model run on both). */
function printBackendTarget(byBackend: ScifactByBackend): void {
  const sqlite = byBackend.get('sqlite');
  const postgres = byBackend.get('postgres')!;
  if (!sqlite || postgres.size === 0) {
    console.log(`  PostgreSQL SciFact nDCG@10 within ${BACKEND_NDCG_TOLERANCE} of SQLite's: NOT RUN (needs --backends sqlite,postgres and --sets scifact)`);
    return;
  }
  const parts: string[] = [];
  let worst = 0;
  for (const [model, modes] of postgres) {
    for (const [mode, pg] of modes) {
      const lite = sqlite.get(model)?.get(mode);
      if (!lite) continue;
      worst = Math.max(worst, Math.abs(pg.ndcg10 - lite.ndcg10));
      parts.push(`${model} ${mode} ${fmt(pg.ndcg10)} vs ${fmt(lite.ndcg10)}`);
    }
  }
  const ok = worst <= BACKEND_NDCG_TOLERANCE + 1e-9;
  console.log(`  PostgreSQL SciFact nDCG@10 within ${BACKEND_NDCG_TOLERANCE} of SQLite's: ${ok ? 'PASS' : 'FAIL'} (largest difference ${worst.toFixed(4)}; ${parts.join(', ')})`);
}

const USAGE = `Usage: npm run bench:search-quality -- [--sets meaning,scifact] [--models learned,use-lite]
  [--scifact-models learned[,use-lite]] [--engine product|reference] [--data DIR] [--qrels FILE]
  [--cache-dir DIR] [--title-weight N] [--fusion rrf|convex] [--rrf-k N]
  [--normalisation minmax|zscore] [--keyword-weight N] [--semantic-weight N] [--depth N]
  [--max-scored N] [--rare-budget N]   (product engine: the keyword scoring bounds, see src/store/sqlite/sqlite-keyword.ts)
  [--backends sqlite[,postgres]]   (product engine, SciFact: the same corpus and queries on each store backend, side by side;
                                    PostgreSQL on PAPERBOY_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432, a database
                                    created for the run and dropped)
  [--smoke]   (seconds: the mini BEIR fixture, a few meaning queries over a slice of the demo, 64-d model)
`;

async function main(): Promise<void> {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const opts = parseOptions(process.argv.slice(2));
  const started = performance.now();
  if (opts.smoke) console.log(`smoke run: ${opts.data} and a slice of the demo with a few meaning queries, 64-d learned models; the figures mean nothing`);
  const ranked = opts.sets.includes('meaning') ? await runMeaning(opts, log) : null;
  let scifact: ScifactByBackend | null = null;
  if (opts.sets.includes('scifact')) {
    // The BEIR data is not in the repository: without it (and without --data) the rest still runs.
    if (!opts.dataGiven && !existsSync(join(opts.data, 'corpus.jsonl'))) console.log(`scifact: NOT RUN: no BEIR data set at ${opts.data} (give --data DIR)`);
    else scifact = await runScifact(opts, log);
  }
  printTargets(ranked, scifact, opts.smoke);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:search-quality: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
