/**
 * Search speed benchmark: the product's keyword, semantic and hybrid search
 * against raw FTS5 SQL, Orama and MiniSearch, on the same documents and
 * queries, at several corpus sizes. Larger corpora recombine the demo papers'
 * real sentences (bench/search-speed-corpus.ts). Each corpus is stored through
 * the product's write path, then the learned model (the default embedder) is
 * trained on it with trainModel and every paper embedded with it, as
 * `paperboy` does: nothing pre-made is needed. Each engine runs in its own
 * child process, so its resident memory is its own. One line per engine on
 * stdout; progress on stderr.
 *
 * The default sizes include 1M papers: 5-20 min to store, ~15 min to train,
 * calibrate and embed, and on the first run the HNSW graph (more than an hour
 * over the learned model's vectors on 2 busy cores; cached in --work-dir
 * afterwards, so --reuse-corpus runs open it in seconds).
 *
 *   npm run bench:search -- [--sizes 10000,100000,1000000] [--queries 200]
 *     [--vector-index auto|exact|hnsw] [--seed N] [--work-dir DIR] [--passes N]
 *     [--max-library-size N] [--engines product,fts5,orama,minisearch] [--reuse-corpus]
 *     [--train-sample N] [--dimensions N] [--backends sqlite[,postgres]] [--smoke]
 *
 * --backends sqlite,postgres also loads each corpus into a PostgreSQL database
 * of its own (PAPERBOY_BENCH_DATABASE_URL, else the local server; dropped
 * afterwards), builds a process's local keyword index from its change log, and
 * times the product's keyword search there beside SQLite's, with the ratio and
 * issue 10's target (search-speed-postgres.ts).
 *
 * Semantic and hybrid queries are end to end: the learned model embeds each
 * query inside SearchService.search, on the calling thread. --smoke runs the
 * whole thing in seconds on test/fixtures/e2e/daily-sample.jsonl (65 papers)
 * recombined into 1,000, with a 64-d model, in a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseVectorIndexKind, type VectorIndexKind } from '../src/search/embedder-config.js';
import { loadModelFile, modelPath, saveModel } from '../src/search/model/model-file.js';
import { DEFAULT_DIMENSIONS, DEFAULT_SAMPLE } from '../src/search/model/train-model.js';
import { AUTO_COMPACT } from '../src/cli/compact.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { calibrationFor, describeCalibration, trainAndIndex } from './learned-model.js';
import { loadRealPapers, storeCorpus, makeQueries, type BenchQuery, type RealPaper } from './search-speed-corpus.js';
import { ENGINES, runEngine, type Engine, type EngineResult } from './search-speed-engines.js';
import { benchServerUrl, createBenchDatabase, parseBackends } from './bench-backends.js';
import { buildPostgres, runPostgresKeyword, type PostgresBuild } from './search-speed-postgres.js';
import { redactUrl } from '../test/support/postgres.js';

const PAPERS = 'demo/hf-daily-papers.jsonl.gz';
const SMOKE_PAPERS = 'test/fixtures/e2e/daily-sample.jsonl';
const BATCH = 2000;
const TARGETS = { keywordP99: 20, keywordVsFts5: 1.3, hybridP99: 60, memoryMb: 4096, postgresVsSqliteP99: 1.5 };
/** The store's state row naming the model a corpus was embedded with (its file is in <work dir>/models/). */
const MODEL_STATE = 'bench-search:model';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    queries: { type: 'string' },
    'vector-index': { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '42' },
    'work-dir': { type: 'string' },
    // Orama and MiniSearch keep everything on the V8 heap (~40 KB per paper at 10k); above this size they are skipped.
    'max-library-size': { type: 'string', default: '200000' },
    passes: { type: 'string' },
    // The learned model: trainModel's sample size and dimensions (the product's defaults unless given).
    'train-sample': { type: 'string' },
    dimensions: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    // Skip building a corpus that --work-dir already holds at this size (its build times are then not printed).
    'reuse-corpus': { type: 'boolean', default: false },
    engines: { type: 'string', default: ENGINES.join(',') },
    child: { type: 'string' },
    db: { type: 'string' },
    'query-file': { type: 'string' },
    model: { type: 'string' },
    // sqlite,postgres: also time the product's keyword search on PostgreSQL over the same corpus (search-speed-postgres.ts).
    backends: { type: 'string', default: 'sqlite' },
    'db-url': { type: 'string' },
  },
});

const smoke = args.smoke ?? false;
const settings = {
  sizes: args.sizes ?? (smoke ? '1000' : '10000,100000,1000000'),
  queries: args.queries ?? (smoke ? '20' : '200'),
  passes: args.passes ?? (smoke ? '1' : '3'),
  trainSample: args['train-sample'] ?? String(DEFAULT_SAMPLE),
  dimensions: args.dimensions ?? (smoke ? '64' : String(DEFAULT_DIMENSIONS)),
};

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

const log = (msg: string) => process.stderr.write(`[bench:search] ${msg}\n`);

/**
 * Brings a reused corpus to the current schema, then merges the keyword index
 * as `paperboy import` does after a large load (AUTO_COMPACT; a no-op on a
 * corpus merged before).
 */
async function compactLikeImport(store: SqliteStore): Promise<number> {
  const t0 = performance.now();
  await store.migrate();
  const migrated = (performance.now() - t0) / 1000;
  if (migrated > 1) log(`  migrated in ${migrated.toFixed(1)} s`);
  const r = await store.compactSearchIndex({ minSegments: AUTO_COMPACT.minSegments });
  log(`  keyword index: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s`);
  return r.seconds;
}

async function compactExisting(dbPath: string): Promise<number> {
  const store = await SqliteStore.open(dbPath);
  try {
    return await compactLikeImport(store);
  } finally {
    await store.close();
  }
}

/** What building a corpus cost, in seconds; null when the corpus was reused (--reuse-corpus). */
interface Build {
  upsertSeconds: number | null;
  compactSeconds: number;
  trainSeconds: number | null;
  calibrateSeconds: number | null;
  /** The learned model's arithmetic alone, over every paper. */
  embedSeconds: number | null;
  /** Reading papers, embedding and writing every vector (indexPendingPapers). */
  indexSeconds: number | null;
  papersPerSecond: number | null;
}

/**
 * Builds the product store at `dbPath`: the papers through upsertItems, the
 * keyword index compacted as an import would, then the learned model trained
 * on the stored papers and every paper embedded with it. The model is saved
 * under `workDir` and named in the store's state.
 */
async function buildStore(real: RealPaper[], size: number, dbPath: string, seed: number, workDir: string): Promise<Build> {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
  const store = await SqliteStore.open(dbPath);
  try {
    await store.migrate();
    const upsertSeconds = await storeCorpus(store, { real, size, batchSize: BATCH, seed }, '', log);
    const compactSeconds = await compactLikeImport(store);
    const sample = positiveInt('train-sample', settings.trainSample);
    const dimensions = positiveInt('dimensions', settings.dimensions);
    log(`  training the learned model (sample ${sample.toLocaleString('en')}, ${dimensions} dimensions) and embedding every paper`);
    const trained = await trainAndIndex(store, { sample, dimensions, log });
    if (trained.embedded !== size) throw new Error(`only ${trained.embedded} of ${size} papers got a vector`);
    // The calibration travels in the model file, as the product keeps it (ModelInfo.calibration).
    const t0 = performance.now();
    const calibration = await calibrationFor(store, trained.embedder);
    const calibrateSeconds = (performance.now() - t0) / 1000;
    trained.model.info.calibration = calibration === null ? null : { semanticWeight: calibration.semanticWeight, minSimilarity: calibration.minSimilarity, notes: calibration.notes ?? '' };
    log(`  calibration (${calibrateSeconds.toFixed(1)} s): ${describeCalibration(calibration)}`);
    saveModel(workDir, trained.model);
    await store.setState(MODEL_STATE, trained.model.info.id);
    log(`  model ${trained.model.info.id}: trained in ${trained.trainSeconds.toFixed(1)} s, ${size.toLocaleString('en')} papers embedded in ${trained.indexSeconds.toFixed(1)} s`);
    return {
      upsertSeconds,
      compactSeconds,
      trainSeconds: trained.trainSeconds,
      calibrateSeconds,
      embedSeconds: trained.embedSeconds,
      indexSeconds: trained.indexSeconds,
      papersPerSecond: size / trained.embedSeconds,
    };
  } finally {
    await store.close();
  }
}

/** The model of an existing corpus whose papers all have its vectors, or null (then the corpus is rebuilt). */
async function reusableModel(dbPath: string, workDir: string): Promise<{ size: number; modelFile: string } | null> {
  if (!existsSync(dbPath)) return null;
  const store = await SqliteStore.open(dbPath);
  try {
    const id = await store.getState(MODEL_STATE);
    if (id === null || !existsSync(modelPath(workDir, id))) return null;
    const papers = await store.countPapers();
    return (await store.countEmbeddings(id)) === papers ? { size: papers, modelFile: modelPath(workDir, id) } : null;
  } finally {
    await store.close();
  }
}

async function modelFileOf(dbPath: string, workDir: string): Promise<string> {
  const store = await SqliteStore.open(dbPath);
  try {
    const id = await store.getState(MODEL_STATE);
    if (id === null) throw new Error(`${dbPath} names no model`);
    return modelPath(workDir, id);
  } finally {
    await store.close();
  }
}

function runChild(engine: Engine, dbPath: string, queryFile: string, kind: VectorIndexKind, dataDir: string, modelFile: string): EngineResult[] {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=16384', '--import', 'tsx', script, '--child', engine, '--db', dbPath, '--query-file', queryFile, '--vector-index', kind,
      '--work-dir', dataDir, '--passes', settings.passes, '--model', modelFile,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as EngineResult[];
}

function runPostgresChild(url: string, indexDir: string, queryFile: string): EngineResult[] {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', script, '--child', 'postgres', '--db-url', url, '--query-file', queryFile, '--work-dir', indexDir, '--passes', settings.passes],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as EngineResult[];
}

/**
 * The corpus of `size` papers in a PostgreSQL database of its own (dropped
 * afterwards), its local index built, and the keyword timings of a child.
 */
async function measurePostgres(real: RealPaper[], size: number, seed: number, work: string, queryFile: string): Promise<{ build: PostgresBuild; results: EngineResult[] }> {
  const db = await createBenchDatabase('speed');
  const indexDir = join(work, `postgres-index-${size}-${process.pid}`);
  rmSync(indexDir, { recursive: true, force: true });
  mkdirSync(indexDir, { recursive: true });
  try {
    log(`  postgres: loading ${size.toLocaleString('en')} papers into ${redactUrl(db.url)}`);
    const build = await buildPostgres(real, size, BATCH, seed, db.url, indexDir, log);
    log('  postgres keyword');
    return { build, results: runPostgresChild(db.url, indexDir, queryFile) };
  } finally {
    await db.drop();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

function printPostgres(size: number, pg: { build: PostgresBuild; results: EngineResult[] }, by: Record<string, EngineResult>): void {
  const { build } = pg;
  for (const r of pg.results) {
    const buildSeconds = build.loadSeconds + build.indexSeconds + (r.buildSeconds ?? 0);
    console.log(
      `${size}\t${r.name.padEnd(10)}\tbuild_s ${f(buildSeconds, 1)}\trss_mb ${f(r.rssDeltaMb, 0)}\tpeak_mb ${f(r.peakRssMb, 0)}\tp50_ms ${f(r.p50)}\tp99_ms ${f(r.p99)}\tcold_p50 ${f(r.coldP50)}\tcold_p99 ${f(r.coldP99)}\thits ${f(r.meanHits, 1)}`,
    );
  }
  const served = pg.results.find((r) => r.name === 'pg-keyword');
  console.log(
    `${size}\tpostgres build: load (upsertItems: papers, authors, change log) ${f(build.loadSeconds, 1)} s, local keyword index from the change log ${f(build.indexSeconds, 1)} s ` +
      `(${build.segments} segments), compacted as serve does after a large catch-up ${f(served?.buildSeconds ?? null, 1)} s`,
  );
  const ratio = (a: EngineResult | undefined, b: EngineResult | undefined, key: 'p50' | 'p99' | 'coldP99') => (a && b ? f(a[key] / b[key]) : '-');
  const pgBy = Object.fromEntries(pg.results.map((r) => [r.name, r]));
  console.log(
    `${size}\tpostgres/sqlite: keyword p50 ${ratio(pgBy['pg-keyword'], by.keyword, 'p50')}x, p99 ${ratio(pgBy['pg-keyword'], by.keyword, 'p99')}x, cold p99 ${ratio(pgBy['pg-keyword'], by.keyword, 'coldP99')}x; ` +
      `uncompacted p99 ${ratio(pgBy['pg-keyword-uncompacted'], by.keyword, 'p99')}x; store ranker alone p99 ${ratio(pgBy['pg-store-kw20'], by['store-kw20'], 'p99')}x`,
  );
}

const f = (n: number | null, digits = 2) => (n === null ? '-' : n.toFixed(digits));

/** One line per result, printed as soon as its engine has finished. */
function printResults(size: number, results: EngineResult[], build: Build): void {
  for (const r of results) {
    const buildSeconds =
      r.name === 'keyword' || r.name === 'fts5' || r.name === 'store-kw20'
        ? build.upsertSeconds === null ? null : build.upsertSeconds + build.compactSeconds
        : r.name.startsWith('semantic') || r.name.startsWith('hybrid')
          ? build.indexSeconds === null || build.trainSeconds === null ? null : build.trainSeconds + build.indexSeconds + (r.buildSeconds ?? 0)
          : r.buildSeconds;
    console.log(
      `${size}\t${r.name.padEnd(10)}\tbuild_s ${f(buildSeconds, 1)}\trss_mb ${f(r.rssDeltaMb, 0)}\tpeak_mb ${f(r.peakRssMb, 0)}\tp50_ms ${f(r.p50)}\tp99_ms ${f(r.p99)}\tcold_p50 ${f(r.coldP50)}\tcold_p99 ${f(r.coldP99)}\thits ${f(r.meanHits, 1)}`,
    );
  }
}

function report(size: number, results: EngineResult[], build: Build): Record<string, EngineResult> {
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  const kw = by.keyword;
  const ratio = (other: EngineResult | undefined) => (kw && other ? f(kw.p99 / other.p99, 3) : '-');
  console.log(`${size}\tratios p99: keyword/fts5 ${ratio(by.fts5)}  keyword/orama ${ratio(by.orama)}  keyword/minisearch ${ratio(by.minisearch)}`);
  console.log(
    `${size}\tbuild: upsertItems ${f(build.upsertSeconds, 1)} s (papers + FTS5), compact ${f(build.compactSeconds, 1)} s, ` +
      `train ${f(build.trainSeconds, 1)} s, calibrate ${f(build.calibrateSeconds, 1)} s, embed + store vectors ${f(build.indexSeconds, 1)} s (embedding alone ${f(build.embedSeconds, 1)} s, ` +
      `${f(build.papersPerSecond, 0)} papers/s), semantic index open ${f(by.semantic?.buildSeconds ?? null, 1)} s`,
  );
  const embed = by['query-embed'];
  if (embed) console.log(`${size}\tlearned query embedding (inside every semantic/hybrid time): p50 ${f(embed.p50, 3)} ms, p99 ${f(embed.p99, 3)} ms`);
  return by;
}

function verdicts(size: number, by: Record<string, EngineResult>, pg: EngineResult | null): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const { keyword: kw, fts5, hybrid } = by;
  console.log(`targets at ${size} papers:`);
  if (pg && kw) {
    const r = pg.p99 / kw.p99;
    console.log(`  keyword p99 on PostgreSQL within ${TARGETS.postgresVsSqliteP99}x of SQLite's (${f(pg.p99)} ms vs ${f(kw.p99)} ms = ${f(r)}x): ${verdict(r <= TARGETS.postgresVsSqliteP99)}`);
  } else if (pg) {
    console.log(`  keyword p99 on PostgreSQL within ${TARGETS.postgresVsSqliteP99}x of SQLite's: NOT MEASURED (the product engine did not run on SQLite)`);
  }
  if (!kw || !hybrid) {
    console.log('  not checked: the product engine did not run');
    return;
  }
  const productPeak = Math.max(...['store-kw20', 'keyword', 'semantic', 'hybrid'].map((m) => by[m]?.peakRssMb ?? 0));
  console.log(`  keyword p99 ${f(kw.p99)} ms < ${TARGETS.keywordP99} ms: ${verdict(kw.p99 < TARGETS.keywordP99)}`);
  if (fts5) console.log(`  keyword p99 / fts5 p99 = ${f(kw.p99 / fts5.p99)} <= ${TARGETS.keywordVsFts5}: ${verdict(kw.p99 / fts5.p99 <= TARGETS.keywordVsFts5)}`);
  console.log(`  hybrid p99 ${f(hybrid.p99)} ms < ${TARGETS.hybridP99} ms (end to end, query embedded by the learned model): ${verdict(hybrid.p99 < TARGETS.hybridP99)}`);
  console.log(`  product peak RSS ${f(productPeak, 0)} MB < ${TARGETS.memoryMb} MB: ${verdict(productPeak < TARGETS.memoryMb)}`);
  for (const lib of ['orama', 'minisearch']) {
    const other = by[lib];
    if (!other) {
      console.log(`  keyword faster than ${lib}: NOT MEASURED at this size`);
      continue;
    }
    console.log(`  keyword search faster than ${lib} (p50 ${f(kw.p50)} vs ${f(other.p50)}, p99 ${f(kw.p99)} vs ${f(other.p99)}): ${verdict(kw.p50 < other.p50 && kw.p99 < other.p99)}`);
    // Like for like: the libraries return ids and scores; the service also fetches and highlights the papers.
    const r = by['store-kw20'];
    if (r) console.log(`  keyword ranker alone faster than ${lib} (p50 ${f(r.p50)} vs ${f(other.p50)}, p99 ${f(r.p99)} vs ${f(other.p99)}): ${verdict(r.p50 < other.p50 && r.p99 < other.p99)}`);
  }
}

async function child(engine: string): Promise<void> {
  if (engine === 'postgres') {
    if (!args['db-url'] || !args['query-file'] || !args['work-dir']) throw new Error('--child postgres needs --db-url, --query-file and --work-dir');
    const queries = JSON.parse(readFileSync(args['query-file'], 'utf8')) as BenchQuery[];
    const results = await runPostgresKeyword(args['db-url'], args['work-dir'], queries, positiveInt('passes', settings.passes));
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  if (!(ENGINES as readonly string[]).includes(engine)) throw new Error(`unknown engine "${engine}"`);
  if (!args.db || !args['query-file'] || !args['work-dir'] || !args.model) throw new Error('--child needs --db, --query-file, --work-dir and --model');
  const queries = JSON.parse(readFileSync(args['query-file'], 'utf8')) as BenchQuery[];
  const passes = positiveInt('passes', settings.passes);
  const results = await runEngine(engine as Engine, args.db, queries, parseVectorIndexKind(args['vector-index']), args['work-dir'], passes, args.model);
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

async function main(): Promise<void> {
  const sizes = settings.sizes.split(',').map((s) => positiveInt('sizes', s.trim()));
  const engines = args.engines.split(',').map((e) => {
    const name = e.trim();
    if (!(ENGINES as readonly string[]).includes(name)) throw new RangeError(`--engines: unknown engine "${name}" (known: ${ENGINES.join(', ')})`);
    return name as Engine;
  });
  const seed = positiveInt('seed', args.seed);
  const backends = parseBackends(args.backends);
  if (!backends.includes('sqlite')) throw new RangeError('--backends must include sqlite: the corpus and the baseline are built there');
  const kind = parseVectorIndexKind(args['vector-index']);
  // A smoke run works in a fresh temporary directory and removes it.
  const temporary = smoke && args['work-dir'] === undefined;
  const work = temporary ? mkdtempSync(join(tmpdir(), 'paperboy-search-speed-smoke-')) : resolve(args['work-dir'] ?? join(tmpdir(), 'paperboy-search-speed'));
  mkdirSync(work, { recursive: true });
  try {
    const papersFile = smoke ? SMOKE_PAPERS : PAPERS;
    const realDb = join(work, `real-${process.pid}.sqlite`);
    const real = await loadRealPapers(papersFile, realDb);
    for (const f of [realDb, `${realDb}-wal`, `${realDb}-shm`]) rmSync(f, { force: true });
    log(`${real.length} real papers from ${papersFile}`);
    const queries = makeQueries(real, positiveInt('queries', settings.queries), seed);
    const queryFile = join(work, 'queries.json');
    writeFileSync(queryFile, JSON.stringify(queries satisfies BenchQuery[]));
    const probe = await SqliteStore.open(':memory:');
    const ranker = probe.keywordRanker;
    await probe.close();
    if (smoke) console.log(`# smoke run: ${papersFile} recombined, a ${settings.dimensions}-d model; the figures mean nothing against the targets`);
    console.log(
      `# ${queries.length} queries, limit 20, 1 warm-up (cold) + ${settings.passes} timed passes, vector index ${kind}, keyword ranker ${ranker}, ` +
        `learned model (train sample ${settings.trainSample}, ${settings.dimensions} dimensions); node ${process.version}`,
    );
    if (backends.includes('postgres')) console.log(`# backends ${backends.join(', ')}: PostgreSQL at ${redactUrl(benchServerUrl())}, keyword search only (a database per size, dropped afterwards)`);
    let last: { size: number; by: Record<string, EngineResult>; pg: EngineResult | null } | null = null;
    for (const size of sizes) {
      if (size < real.length) throw new RangeError(`sizes must be at least ${real.length} (the real papers)`);
      const dbPath = join(work, `corpus-${size}.sqlite`);
      let build: Build;
      const reusable = args['reuse-corpus'] ? await reusableModel(dbPath, work) : null;
      if (reusable?.size === size) {
        log(`reusing ${dbPath} and its model ${reusable.modelFile}`);
        build = { upsertSeconds: null, compactSeconds: await compactExisting(dbPath), trainSeconds: null, calibrateSeconds: null, embedSeconds: null, indexSeconds: null, papersPerSecond: null };
      } else {
        log(`building ${size.toLocaleString('en')} papers in ${dbPath}`);
        build = await buildStore(real, size, dbPath, seed, work);
      }
      const modelFile = await modelFileOf(dbPath, work);
      const { info } = loadModelFile(modelFile);
      console.log(`${size}\tmodel ${info.id} (trained on ${info.trainedOn.sample} of ${info.trainedOn.papers} papers), calibration: ${describeCalibration(info.calibration)}`);
      const results: EngineResult[] = [];
      const maxLibrary = positiveInt('max-library-size', args['max-library-size']);
      for (const engine of engines) {
        if ((engine === 'orama' || engine === 'minisearch') && size > maxLibrary) {
          log(`  ${engine} skipped: ${size} papers > --max-library-size ${maxLibrary}`);
          continue;
        }
        log(`  ${engine}`);
        let found: EngineResult[];
        try {
          found = runChild(engine, dbPath, queryFile, kind, work, modelFile);
        } catch (err) {
          // A library that runs out of memory at this size is a result too.
          console.log(`${size}\t${engine.padEnd(10)}\tFAILED: ${(err as Error).message.split('\n')[0]}`);
          continue;
        }
        printResults(size, found, build);
        results.push(...found);
      }
      const by = report(size, results, build);
      let pgKeyword: EngineResult | null = null;
      if (backends.includes('postgres')) {
        const pg = await measurePostgres(real, size, seed, work, queryFile);
        printPostgres(size, pg, by);
        pgKeyword = pg.results.find((r) => r.name === 'pg-keyword') ?? null;
      }
      last = { size, by, pg: pgKeyword };
    }
    if (last) verdicts(last.size, last.by, last.pg);
  } finally {
    if (temporary) rmSync(work, { recursive: true, force: true });
  }
}

(args.child ? child(args.child) : main()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
