/**
 * Load benchmark: the real `paperboy serve` in a child process over the full
 * demo data set and its shipped vectors (so hybrid search is real), driven by
 * autocannon from this process. First /healthz alone (the baseline), then each
 * route alone, then all routes at once (the mix), with per-route figures and
 * the targets of issues 8 and 9 (the search page at 300 req/s: run it with
 * --processes set to the machine's cores).
 *
 *   npm run bench:load -- [--duration S] [--connections N] [--mix-duration S] [--mix-connections N]
 *                         [--workers N] [--data-dir DIR] [--embedder NAME] [--only NAMES] [--skip-mix]
 *                         [--queries N] [--processes N] [--cpu-prof] [--smoke]
 *
 * --processes N starts serve with PAPERBOY_WEB_PROCESSES=N; CPU figures then
 * sum the primary and its serving processes (main ms/req: their main threads).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, summariseProfile } from './cpu-profile.js';
import { LatencyLog } from './load-latency.js';
import { buildQueries, readCorpus } from './load-queries.js';
import { evaluateTargets, formatSteadyP99, formatTable, formatTargets, MIX_STARTUP_S } from './load-report.js';
import type { Row } from './load-report.js';
import { startServe } from './load-server.js';
import { readProcessTreeCpuTimes } from './proc-cpu.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROTATE = fileURLToPath(new URL('./load-rotate.cjs', import.meta.url));
const CLIENT = fileURLToPath(new URL('./load-client.cjs', import.meta.url));
const DEMO = 'demo/hf-daily-papers.jsonl.gz';
const SMOKE_CORPUS = 'test/fixtures/e2e/daily-sample.jsonl';
const REQUEST_TIMEOUT_S = 10;
// Browsers and feed readers always ask for compressed responses; so does the load generator.
const HEADERS = { 'accept-encoding': 'gzip' };
const PAPER_PAGES = 2000;

interface AutocannonResult {
  duration: number;
  requests: { total: number };
  throughput: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  workers?: number;
  headers: Record<string, string>;
  setupClient: string;
  requests: { paths: string[]; setupRequest: string }[];
}
/** A running autocannon instance: the result when it ends; a 'response' event per answer (not with workers). */
interface Instance extends Promise<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
}
// autocannon ships no types; this is the part of its API we use.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Instance;


interface Options {
  smoke: boolean;
  duration: number;
  connections: number;
  mixDuration: number;
  mixConnections: number;
  workers: number;
  warmup: number;
  dataDir: string | null;
  corpus: string;
  embedder: string | undefined;
  only: string[] | null;
  skipMix: boolean;
  queries: number;
  processes: number;
  cpuProf: boolean;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got ${JSON.stringify(raw)})`);
  return n;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'mix-duration': { type: 'string' },
      'mix-connections': { type: 'string' },
      workers: { type: 'string' },
      'data-dir': { type: 'string' },
      embedder: { type: 'string' },
      only: { type: 'string' },
      'skip-mix': { type: 'boolean', default: false },
      queries: { type: 'string' },
      processes: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke ?? false;
  return {
    smoke,
    duration: positiveInt('duration', values.duration, smoke ? 1 : 10),
    connections: positiveInt('connections', values.connections, smoke ? 4 : 20),
    mixDuration: positiveInt('mix-duration', values['mix-duration'], smoke ? 2 : 60),
    mixConnections: positiveInt('mix-connections', values['mix-connections'], smoke ? 14 : 200),
    workers: values.workers === undefined || values.workers === '0' ? 0 : positiveInt('workers', values.workers, 0),
    warmup: smoke ? 0 : 1,
    // The smoke run starts from an empty temporary directory each time.
    dataDir: smoke && values['data-dir'] === undefined ? null : resolve(values['data-dir'] ?? 'data/bench-load'),
    corpus: smoke ? SMOKE_CORPUS : DEMO,
    // The tiny corpus has no shipped vectors: embedding it would race the measurements.
    embedder: values.embedder ?? (smoke ? 'off' : undefined),
    only: values.only ? values.only.split(',').map((s) => s.trim()) : null,
    skipMix: values['skip-mix'] ?? false,
    queries: positiveInt('queries', values.queries, smoke ? 200 : 3000),
    processes: positiveInt('processes', values.processes, 1),
    cpuProf: values['cpu-prof'] ?? false,
  };
}

interface LoadRoute {
  name: string;
  label: string;
  paths: string[];
  /** Share of the mix's connections, out of 200. */
  mixWeight: number;
}

function buildRoutes(opts: Options): LoadRoute[] {
  const papers = readCorpus(resolve(ROOT, opts.corpus));
  const queries = buildQueries(papers, opts.queries);
  const q = (path: string) => queries.map((text) => `${path}?q=${encodeURIComponent(text)}`);
  const ids = papers.slice(-PAPER_PAGES).map((p) => `/papers/${p.id}`);
  const routes: LoadRoute[] = [
    { name: 'daily', label: '/', paths: ['/'], mixWeight: 40 },
    { name: 'paper', label: `/papers/ID (${ids.length} papers)`, paths: ids, mixWeight: 40 },
    { name: 'api-daily', label: '/api/daily_papers', paths: ['/api/daily_papers'], mixWeight: 30 },
    { name: 'feed', label: '/feed.xml', paths: ['/feed.xml'], mixWeight: 30 },
    { name: 'search', label: `/papers/search?q= (${queries.length} queries)`, paths: q('/papers/search'), mixWeight: 25 },
    { name: 'api-search', label: `/api/papers/search?q= (${queries.length} queries)`, paths: q('/api/papers/search'), mixWeight: 25 },
  ];
  const known = ['healthz', ...routes.map((r) => r.name)];
  const unknown = opts.only?.filter((n) => !known.includes(n)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown route ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return opts.only ? routes.filter((r) => opts.only!.includes(r.name)) : routes;
}

const HEALTHZ: LoadRoute = { name: 'healthz', label: '/healthz', paths: ['/healthz'], mixWeight: 10 };

/** The first request of a route must answer 200 before it is worth loading; returns the search mode when it says. */
async function check(url: string, route: LoadRoute): Promise<string | null> {
  const path = route.paths[0] as string;
  const res = await fetch(url + path, { headers: HEADERS });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}; fix it before benchmarking`);
  return res.headers.get('x-search-mode');
}

function load(url: string, route: LoadRoute, connections: number, duration: number, workers: number): Instance {
  return autocannon({
    url,
    connections,
    duration,
    timeout: REQUEST_TIMEOUT_S,
    headers: HEADERS,
    setupClient: CLIENT,
    requests: [{ paths: route.paths, setupRequest: ROTATE }],
    ...(workers ? { workers } : {}),
  });
}

function toRow(phase: Row['phase'], route: LoadRoute, connections: number, r: AutocannonResult, generatorCores: number, cpu: CpuUsed | null = null): Row {
  const done = r.requests.total;
  const perRequest = (ms: number | undefined) => (ms === undefined || done === 0 ? null : ms / done);
  return {
    phase,
    name: route.name,
    label: route.label,
    connections,
    rps: r.duration > 0 ? done / r.duration : 0,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    bytesPerRequest: done > 0 ? r.throughput.total / done : 0,
    cpuMsPerRequest: perRequest(cpu?.processMs),
    mainMsPerRequest: perRequest(cpu?.mainMs),
    generatorCores,
  };
}

type CpuUsed = NonNullable<ReturnType<typeof readProcessTreeCpuTimes>>;

/** Runs `work`; returns the server CPU time it took (null without /proc) and the cores this process used meanwhile. */
async function withCpu<T>(pid: number, work: () => Promise<T>): Promise<[T, CpuUsed | null, number]> {
  const before = readProcessTreeCpuTimes(pid);
  const started = performance.now();
  const own = process.cpuUsage();
  const out = await work();
  const used = process.cpuUsage(own);
  const generatorCores = (used.user + used.system) / 1000 / (performance.now() - started);
  const after = readProcessTreeCpuTimes(pid);
  if (!before || !after) return [out, null, generatorCores];
  return [out, { processMs: after.processMs - before.processMs, mainMs: after.mainMs - before.mainMs }, generatorCores];
}

async function measureAlone(url: string, pid: number, route: LoadRoute, opts: Options): Promise<Row> {
  // A short unrecorded run warms the JIT and SQLite's page cache.
  if (opts.warmup > 0) await load(url, route, opts.connections, opts.warmup, opts.workers);
  const [result, cpu, generatorCores] = await withCpu(pid, () => load(url, route, opts.connections, opts.duration, opts.workers));
  return toRow('alone', route, opts.connections, result, generatorCores, cpu);
}

/** The mix's connections split by weight, at least one each. */
function splitConnections(routes: readonly LoadRoute[], total: number): number[] {
  const weights = routes.reduce((n, r) => n + r.mixWeight, 0);
  return routes.map((r) => Math.max(1, Math.round((total * r.mixWeight) / weights)));
}

async function measureMix(url: string, pid: number, routes: readonly LoadRoute[], opts: Options): Promise<{ rows: Row[]; cpu: CpuUsed | null }> {
  const conns = splitConnections(routes, opts.mixConnections);
  const logs = routes.map(() => new LatencyLog());
  const started = performance.now();
  const run = () =>
    Promise.all(
      routes.map((r, i) => load(url, r, conns[i] as number, opts.mixDuration, opts.workers).on('response', (_c, _s, _b, ms) => (logs[i] as LatencyLog).record(ms))),
    );
  const [results, cpu, generatorCores] = await withCpu(pid, run);
  const rows = results.map((res, i) => {
    const log = logs[i] as LatencyLog;
    // Worker threads report no single responses.
    const p99Steady = log.size > 0 && opts.mixDuration > MIX_STARTUP_S ? log.percentileSince(99, started + MIX_STARTUP_S * 1000) : null;
    return { ...toRow('mix', routes[i] as LoadRoute, conns[i] as number, res, generatorCores), p99Steady };
  });
  return { rows, cpu };
}

/** Wait until the server has worked off requests still queued from the last run (slow routes leave a backlog). */
async function drain(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    if (performance.now() - started < 20) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} CPU (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function printProfile(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`no CPU profile in ${dir} (the server did not exit cleanly)`);
    return;
  }
  for (const f of files) {
    console.log(`\nserver CPU profile ${join(dir, f)} (whole server run, start-up included; the profiler slows the server: do not record these figures)\n`);
    console.log(formatSummary(summariseProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')), ROOT)));
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const routes = buildRoutes(opts);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'paperboy-load-'));
  mkdirSync(dataDir, { recursive: true });
  const profDir = opts.cpuProf ? join(ROOT, 'data', 'bench-load-prof', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });

  console.log(machine());
  console.log(`code: commit ${commit()}`);
  console.log(`load average before start: ${loadavg()[0]?.toFixed(2)} (other work on the machine skews the figures)`);
  const client = opts.workers ? `${opts.workers} autocannon worker threads per route` : 'autocannon on this thread';
  console.log(`load generator: ${client}, on the same machine as the server: it takes CPU the server would otherwise use`);
  console.log(`every request: Accept-Encoding: gzip, ${REQUEST_TIMEOUT_S} s time-out; search and paper routes take a different query or paper per request`);
  if (opts.smoke) console.log(`smoke run: tiny corpus ${SMOKE_CORPUS}, seconds-long runs; the figures mean nothing against the targets`);
  console.log(`starting paperboy serve on ${dataDir} (${opts.corpus}, PAPERBOY_EMBEDDER=${opts.embedder ?? process.env.PAPERBOY_EMBEDDER ?? 'default'}, PAPERBOY_WEB_PROCESSES=${opts.processes}) ...`);

  const server = await startServe({
    root: ROOT,
    dataDir,
    demoData: opts.corpus,
    embedder: opts.embedder,
    processes: opts.processes,
    cpuProfDir: profDir,
    log: (line) => console.log(`  server: ${line}`),
  });
  const rows: Row[] = [];
  let mixCpu: CpuUsed | null = null;
  try {
    for (const route of [HEALTHZ, ...routes]) {
      const mode = await check(server.url, route);
      if (mode !== null) console.log(`  ${route.label} answers in mode ${mode}`);
      if (mode !== null && mode !== 'hybrid') console.log('  note: search is not hybrid on this server, so the hybrid-search target does not apply');
    }
    const phase1 = [HEALTHZ, ...routes, HEALTHZ];
    console.log(`\n${server.papers} papers. Each route alone: ${opts.connections} connections, ${opts.duration} s${opts.warmup ? ` (+${opts.warmup} s warm-up)` : ''}; /healthz first and last`);
    for (const route of phase1) {
      process.stdout.write(`  measuring ${route.label} ...\n`);
      rows.push(await measureAlone(server.url, server.pid, route, opts));
      await drain(server.url);
    }
    if (!opts.skipMix) {
      const mix = [HEALTHZ, ...routes];
      const conns = splitConnections(mix, opts.mixConnections);
      console.log(`\nmix: ${opts.mixConnections} connections for ${opts.mixDuration} s, all routes at once: ${mix.map((r, i) => `${r.name} ${conns[i]}`).join(', ')}`);
      const measured = await measureMix(server.url, server.pid, mix, opts);
      rows.push(...measured.rows);
      mixCpu = measured.cpu;
    }
  } finally {
    await server.stop();
    if (opts.dataDir === null) rmSync(dataDir, { recursive: true, force: true });
  }

  const alone = rows.filter((r) => r.phase === 'alone');
  const first = alone[0] as Row;
  const last = alone[alone.length - 1] as Row;
  const baseline = (first.rps + last.rps) / 2;
  console.log('');
  console.log(formatTable(rows, baseline));
  console.log(`ratio = req/s ÷ mean /healthz req/s alone (${baseline.toFixed(0)}); KB/req on the wire; cpu ms/req: server CPU time per request, all threads / main thread`);
  console.log('gen cores: CPU the load generator used (the whole mix for mix rows); near 1 per thread it ran on, the generator, not the server, set the pace');
  if (mixCpu) {
    const cores = (ms: number) => (ms / 1000 / opts.mixDuration).toFixed(2);
    console.log(`mix: the server used ${cores(mixCpu.processMs)} cores (main thread ${cores(mixCpu.mainMs)}) of ${cpus().length}; the load generator shares them`);
  }
  const drift = Math.abs(first.rps - last.rps) / baseline;
  const steady = formatSteadyP99(rows);
  if (steady) console.log(steady);
  if (drift > 0.15) console.log(`warning: the baseline moved ${(drift * 100).toFixed(0)}% during the run; the machine was busy, rerun when idle`);
  console.log('');
  console.log(formatTargets(evaluateTargets(rows)));
  if (profDir) printProfile(profDir);
}

main().catch((err: unknown) => {
  console.error(`bench:load: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
