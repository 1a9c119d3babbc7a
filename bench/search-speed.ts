/**
 * Search speed benchmark: the product's keyword, semantic and hybrid search
 * against raw FTS5 SQL, Orama and MiniSearch, on the same documents and
 * queries, at several corpus sizes. Larger corpora recombine the demo papers'
 * real sentences (bench/search-speed-corpus.ts). Each engine runs in its own
 * child process, so its resident memory is its own. One line per engine on
 * stdout; progress on stderr.
 *
 * The default sizes include 1M papers: ~5 min to build and, on the first
 * run, ~10 min for its HNSW graph (cached in --work-dir afterwards).
 *
 *   npm run bench:search -- [--sizes 10000,100000,1000000] [--queries 200]
 *     [--vector-index auto|exact|hnsw] [--seed N] [--work-dir DIR] [--no-embed-timing]
 *     [--passes N] [--max-library-size N] [--engines product,fts5,orama,minisearch] [--reuse-corpus]
 *
 * Query vectors come from an Embedder test double (the real vector of the
 * paper a query was drawn from); the real USE-lite query embedding is timed
 * separately and adds its cost to every semantic or hybrid query.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseVectorIndexKind, type VectorIndexKind } from '../src/search/embedder-config.js';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.js';
import { AUTO_COMPACT } from '../src/cli/compact.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { BENCH_EMBEDDER_ID, corpusBatches, loadRealPapers, makeQueries, type BenchQuery, type RealPaper } from './search-speed-corpus.js';
import { ENGINES, runEngine, type Engine, type EngineResult } from './search-speed-engines.js';

const PAPERS = 'demo/hf-daily-papers.jsonl.gz';
const VECTORS = 'data/cache/demo-vectors.f32.jsonl';
const BATCH = 2000;
const TARGETS = { keywordP99: 20, keywordVsFts5: 1.3, hybridP99: 60, memoryMb: 4096 };

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    queries: { type: 'string', default: '200' },
    'vector-index': { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '42' },
    'work-dir': { type: 'string' },
    'no-embed-timing': { type: 'boolean', default: false },
    // Orama and MiniSearch keep everything on the V8 heap (~40 KB per paper at 10k); above this size they are skipped.
    'max-library-size': { type: 'string', default: '200000' },
    passes: { type: 'string', default: '3' },
    // Skip building a corpus that --work-dir already holds at this size (its build times are then not printed).
    'reuse-corpus': { type: 'boolean', default: false },
    engines: { type: 'string', default: ENGINES.join(',') },
    child: { type: 'string' },
    db: { type: 'string' },
    'query-file': { type: 'string' },
  },
});

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
async function compactLikeImport(dbPath: string): Promise<number> {
  const store = await SqliteStore.open(dbPath);
  try {
    const t0 = performance.now();
    await store.migrate();
    const migrated = (performance.now() - t0) / 1000;
    if (migrated > 1) log(`  migrated in ${migrated.toFixed(1)} s`);
    const r = await store.compactSearchIndex({ minSegments: AUTO_COMPACT.minSegments });
    log(`  keyword index: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s`);
    return r.seconds;
  } finally {
    await store.close();
  }
}

/** Builds the product store at `dbPath` through upsertItems and putEmbeddings; returns seconds. */
async function buildStore(real: RealPaper[], size: number, dbPath: string, seed: number): Promise<{ upsertSeconds: number; embedSeconds: number }> {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  const store = await SqliteStore.open(dbPath);
  await store.migrate();
  let upsert = 0;
  let embed = 0;
  let done = 0;
  for (const batch of corpusBatches(real, size, BATCH, seed)) {
    let t0 = performance.now();
    await store.upsertItems(batch.items);
    upsert += performance.now() - t0;
    t0 = performance.now();
    const stored = await store.putEmbeddings(BENCH_EMBEDDER_ID, batch.embeddings);
    embed += performance.now() - t0;
    if (stored !== batch.embeddings.length) throw new Error(`only ${stored} of ${batch.embeddings.length} vectors stored`);
    done += batch.items.length;
    if (done % 100_000 === 0) log(`  ${done.toLocaleString('en')} papers stored`);
  }
  const count = await store.countPapers();
  await store.close();
  if (count !== size) throw new Error(`store holds ${count} papers, expected ${size}`);
  return { upsertSeconds: upsert / 1000, embedSeconds: embed / 1000 };
}

/** Papers and vectors in an existing corpus file, or null when there is none. */
async function corpusSize(dbPath: string): Promise<number | null> {
  if (!existsSync(dbPath)) return null;
  const store = await SqliteStore.open(dbPath);
  try {
    const papers = await store.countPapers();
    return (await store.countEmbeddings(BENCH_EMBEDDER_ID)) === papers ? papers : null;
  } finally {
    await store.close();
  }
}

function runChild(engine: Engine, dbPath: string, queryFile: string, kind: VectorIndexKind, dataDir: string): EngineResult[] {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=16384', '--import', 'tsx', script, '--child', engine, '--db', dbPath, '--query-file', queryFile, '--vector-index', kind,
      '--work-dir', dataDir, '--passes', args.passes, ...(args['no-embed-timing'] ? ['--no-embed-timing'] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as EngineResult[];
}

async function embedTiming(queries: BenchQuery[]): Promise<{ p50: number; p99: number }> {
  const embedder = new UseLiteEmbedder();
  await embedder.embed(['warm up']);
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await embedder.embed([q.text]);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const f = (n: number | null, digits = 2) => (n === null ? '-' : n.toFixed(digits));

/** Null: the corpus was reused (--reuse-corpus), so there is no build time. */
type Build = { upsertSeconds: number | null; embedSeconds: number | null; compactSeconds: number };

/** One line per result, printed as soon as its engine has finished. */
function printResults(size: number, results: EngineResult[], build: Build): void {
  for (const r of results) {
    const buildSeconds =
      r.name === 'keyword' || r.name === 'fts5' || r.name === 'store-kw20'
        ? build.upsertSeconds === null ? null : build.upsertSeconds + build.compactSeconds
        : r.name.startsWith('semantic') || r.name.startsWith('hybrid')
          ? build.embedSeconds === null ? null : build.embedSeconds + (r.buildSeconds ?? 0)
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
  console.log(`${size}\tbuild: upsertItems ${f(build.upsertSeconds, 1)} s (papers + FTS5), compact ${f(build.compactSeconds, 1)} s, putEmbeddings ${f(build.embedSeconds, 1)} s, semantic index open ${f(by.semantic?.buildSeconds ?? null, 1)} s`);
  return by;
}

function verdicts(size: number, by: Record<string, EngineResult>, embed: { p50: number; p99: number } | null): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const { keyword: kw, fts5, hybrid } = by;
  console.log(`targets at ${size} papers:`);
  if (!kw || !hybrid) {
    console.log('  not checked: the product engine did not run');
    return;
  }
  const productPeak = Math.max(...['keyword', 'semantic', 'hybrid', 'semantic+use', 'hybrid+use'].map((m) => by[m]?.peakRssMb ?? 0));
  console.log(`  keyword p99 ${f(kw.p99)} ms < ${TARGETS.keywordP99} ms: ${verdict(kw.p99 < TARGETS.keywordP99)}`);
  if (fts5) console.log(`  keyword p99 / fts5 p99 = ${f(kw.p99 / fts5.p99)} <= ${TARGETS.keywordVsFts5}: ${verdict(kw.p99 / fts5.p99 <= TARGETS.keywordVsFts5)}`);
  console.log(`  hybrid p99 ${f(hybrid.p99)} ms < ${TARGETS.hybridP99} ms (query vector given): ${verdict(hybrid.p99 < TARGETS.hybridP99)}`);
  const endToEnd = by['hybrid+use'];
  if (endToEnd) console.log(`  hybrid p99 ${f(endToEnd.p99)} ms < ${TARGETS.hybridP99} ms (end to end, query embedded by USE-lite): ${verdict(endToEnd.p99 < TARGETS.hybridP99)}`);
  else if (embed) console.log(`  hybrid p99 + USE-lite query embedding p99 = ${f(hybrid.p99 + embed.p99)} ms (an upper bound; not measured end to end)`);
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
  if (!(ENGINES as readonly string[]).includes(engine)) throw new Error(`unknown engine "${engine}"`);
  if (!args.db || !args['query-file'] || !args['work-dir']) throw new Error('--child needs --db, --query-file and --work-dir');
  const queries = JSON.parse(readFileSync(args['query-file'], 'utf8')) as BenchQuery[];
  const passes = positiveInt('passes', args.passes);
  const results = await runEngine(engine as Engine, args.db, queries, parseVectorIndexKind(args['vector-index']), args['work-dir'], passes, !args['no-embed-timing']);
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

async function main(): Promise<void> {
  const sizes = args.sizes.split(',').map((s) => positiveInt('sizes', s.trim()));
  const engines = args.engines.split(',').map((e) => {
    const name = e.trim();
    if (!(ENGINES as readonly string[]).includes(name)) throw new RangeError(`--engines: unknown engine "${name}" (known: ${ENGINES.join(', ')})`);
    return name as Engine;
  });
  const seed = positiveInt('seed', args.seed);
  const kind = parseVectorIndexKind(args['vector-index']);
  const work = resolve(args['work-dir'] ?? join(tmpdir(), 'paperboy-search-speed'));
  mkdirSync(work, { recursive: true });
  const real = await loadRealPapers(PAPERS, VECTORS, join(work, `real-${process.pid}.sqlite`));
  log(`${real.length} real papers with vectors`);
  const queries = makeQueries(real, positiveInt('queries', args.queries), seed);
  const queryFile = join(work, 'queries.json');
  writeFileSync(queryFile, JSON.stringify(queries));
  const probe = await SqliteStore.open(':memory:');
  const ranker = probe.keywordRanker;
  await probe.close();
  console.log(`# ${queries.length} queries, limit 20, 1 warm-up (cold) + ${args.passes} timed passes, vector index ${kind}, keyword ranker ${ranker}; node ${process.version}`);
  let last: { size: number; by: Record<string, EngineResult> } | null = null;
  for (const size of sizes) {
    if (size < real.length) throw new RangeError(`sizes must be at least ${real.length} (the real papers)`);
    const dbPath = join(work, `corpus-${size}.sqlite`);
    let build: Build;
    if (args['reuse-corpus'] && (await corpusSize(dbPath)) === size) {
      log(`reusing ${dbPath}`);
      build = { upsertSeconds: null, embedSeconds: null, compactSeconds: await compactLikeImport(dbPath) };
    } else {
      log(`building ${size.toLocaleString('en')} papers in ${dbPath}`);
      const built = await buildStore(real, size, dbPath, seed);
      build = { ...built, compactSeconds: await compactLikeImport(dbPath) };
    }
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
        found = runChild(engine, dbPath, queryFile, kind, work);
      } catch (err) {
        // A library that runs out of memory at this size is a result too.
        console.log(`${size}\t${engine.padEnd(10)}\tFAILED: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      printResults(size, found, build);
      results.push(...found);
    }
    last = { size, by: report(size, results, build) };
  }
  let embed: { p50: number; p99: number } | null = null;
  if (!args['no-embed-timing']) {
    embed = await embedTiming(queries.slice(0, 50));
    console.log(`USE-lite query embedding (added to every semantic/hybrid query): p50 ${f(embed.p50)} ms, p99 ${f(embed.p99)} ms`);
  }
  if (last) verdicts(last.size, last.by, embed);
}

(args.child ? child(args.child) : main()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
