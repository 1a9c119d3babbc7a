/**
 * Web benchmark: the server in a child process over the full demo data set,
 * autocannon in this process, each route compared with the do-nothing
 * /healthz route measured in the same run.
 *
 *   npm run bench:web -- [--duration S] [--connections N] [--workers N] [--data-dir DIR] [--cpu-prof] [--smoke]
 *
 * --smoke: seconds, on test/fixtures/e2e/daily-sample.jsonl (65 papers) in a
 * temporary data directory, 1 s per route at 4 connections; the test suite
 * runs it (bench/web.test.ts). Its figures mean nothing against the target.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { importFiles } from '../src/ingest/import-files.js';
import { openStore } from '../src/store/open-store.js';
import { startServer } from '../src/web/server.js';

const DEMO = resolve('demo/hf-daily-papers.jsonl.gz');
const SMOKE_CORPUS = resolve('test/fixtures/e2e/daily-sample.jsonl');
const LOADED_KEY = 'bench-web:demo-loaded';
const TARGET = { route: '/', minRatio: 0.4 };

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; workers?: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;

// autocannon ships no types; this is the part of its API we use.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Options {
  duration: number;
  connections: number;
  /** autocannon worker threads; 0 runs the load generator on this thread. */
  workers: number;
  dataDir: string;
  cpuProf: boolean;
  /** The papers loaded into the data dir. */
  corpus: string;
  /** Seconds of unrecorded load before each measured run. */
  warmup: number;
  smoke: boolean;
  /** Remove the data dir afterwards (a smoke run's temporary one). */
  temporary: boolean;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got ${JSON.stringify(raw)})`);
  return n;
}

function parseOptions(argv: string[]): Options & { serve: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      workers: { type: 'string' },
      'data-dir': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke ?? false;
  const serve = values.serve ?? false;
  const temporary = smoke && !serve && values['data-dir'] === undefined;
  return {
    duration: positiveInt('duration', values.duration, smoke ? 1 : 10),
    connections: positiveInt('connections', values.connections, smoke ? 4 : 50),
    workers: values.workers === '0' ? 0 : positiveInt('workers', values.workers, 0),
    dataDir: temporary ? mkdtempSync(join(tmpdir(), 'paperboy-bench-web-smoke-')) : resolve(values['data-dir'] ?? 'data/bench-web'),
    cpuProf: values['cpu-prof'] ?? false,
    corpus: smoke ? SMOKE_CORPUS : DEMO,
    warmup: smoke ? 0 : 1,
    smoke,
    temporary,
    serve,
  };
}

function configFor(dataDir: string) {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', PAPERBOY_DATA_DIR: dataDir, PAPERBOY_DEMO_DATA: 'off' });
}

/** Load the papers once (marker in the store's state); return a paper id from the latest day. */
async function prepareData(dataDir: string, corpus: string): Promise<{ paperId: string; latest: string; papers: number }> {
  const store = await openStore(configFor(dataDir));
  try {
    await store.migrate();
    const file = statSync(corpus);
    const marker = `${corpus}:${file.size}:${file.mtimeMs}`;
    if ((await store.getState(LOADED_KEY)) !== marker) {
      console.log(`loading ${corpus} into ${dataDir} ...`);
      const started = performance.now();
      await importFiles(store, [corpus]);
      await store.setState(LOADED_KEY, marker);
      console.log(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const latest = await store.latestDailyDate();
    if (!latest) throw new Error(`${dataDir} has no daily entries after loading ${corpus}`);
    const page = await store.listDaily({ from: latest, to: latest, limit: 1 });
    const first = page.items[0];
    if (!first) throw new Error(`no paper on the latest day ${latest}`);
    return { paperId: first.paper.id, latest, papers: await store.countPapers() };
  } finally {
    await store.close();
  }
}

/** Child mode: serve the data dir and tell the parent the URL. */
async function serveChild(dataDir: string): Promise<void> {
  const config = configFor(dataDir);
  const store = await openStore(config);
  await store.migrate();
  const server = await startServer({ store, config });
  const stop = async () => {
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.send?.({ url: server.url });
}

function startChild(opts: Options): Promise<{ child: ChildProcess; url: string }> {
  const execArgv = ['--import', 'tsx', ...(opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', resolve('data/bench-web-prof')] : [])];
  const child = fork(process.argv[1] as string, ['--serve', '--data-dir', opts.dataDir], { execArgv, stdio: 'inherit' });
  return new Promise((ok, fail) => {
    child.once('message', (msg) => ok({ child, url: (msg as { url: string }).url }));
    child.once('exit', (code) => fail(new Error(`server process exited early with code ${code}`)));
    child.once('error', fail);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

interface Row {
  route: string;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

async function measure(url: string, route: string, opts: Options): Promise<Row> {
  const res = await fetch(url + route);
  if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}; fix it before benchmarking`);
  await res.arrayBuffer();
  // One short unrecorded run warms the JIT and SQLite's page cache.
  // Browsers and feed readers always ask for compressed responses; so does the load generator.
  const headers = { 'accept-encoding': 'gzip' };
  const load = { url: url + route, connections: opts.connections, headers, ...(opts.workers ? { workers: opts.workers } : {}) };
  if (opts.warmup > 0) await autocannon({ ...load, duration: opts.warmup });
  const r = await autocannon({ ...load, duration: opts.duration });
  return { route, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, failures: r.errors + r.timeouts + r.non2xx };
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

function printTable(rows: Row[], baseline: number): void {
  const header = ['route', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'failed'];
  const body = rows.map((r) => [r.route, r.rps === 0 ? 'none done' : r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), `${(r.rps / baseline).toFixed(2)}x`, String(r.failures)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} CPU (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.serve) return serveChild(opts.dataDir);
  try {
    await run(opts);
  } finally {
    if (opts.temporary) rmSync(opts.dataDir, { recursive: true, force: true });
  }
}

async function run(opts: Options): Promise<void> {
  if (!existsSync(opts.corpus)) throw new Error(`data not found at ${opts.corpus}; run from the repository root`);

  const { paperId, latest, papers } = await prepareData(opts.dataDir, opts.corpus);
  // The dated API call is what clients make day to day; the bare one spans every date and goes last because
  // it is slow. The baseline is measured first and last so a change in machine load shows up.
  const routes = ['/healthz', '/', `/papers/${paperId}`, `/api/daily_papers?date=${latest}`, '/api/daily_papers', '/healthz'];
  console.log(machine());
  console.log(`load average before start: ${loadavg()[0]?.toFixed(2)} (other work on the machine skews the figures)`);
  const client = opts.workers ? `${opts.workers} autocannon workers` : 'autocannon on one thread';
  if (opts.smoke) console.log(`smoke run: tiny corpus ${opts.corpus}, seconds-long runs; the figures mean nothing against the target`);
  console.log(`${papers} papers; ${opts.connections} connections, ${client}, Accept-Encoding: gzip, ${opts.duration} s per route (+${opts.warmup} s warm-up)\n`);

  const { child, url } = await startChild(opts);
  const rows: Row[] = [];
  try {
    for (const route of routes) {
      process.stdout.write(`measuring ${route} ...\n`);
      rows.push(await measure(url, route, opts));
      await drain(url);
    }
  } finally {
    await stopChild(child);
  }

  const first = rows[0] as Row;
  const last = rows[rows.length - 1] as Row;
  const baseline = (first.rps + last.rps) / 2;
  console.log('');
  printTable(rows, baseline);
  console.log(`ratio = req/s ÷ mean /healthz req/s (${baseline.toFixed(0)})`);
  const drift = Math.abs(first.rps - last.rps) / baseline;
  if (drift > 0.15) console.log(`warning: the baseline moved ${(drift * 100).toFixed(0)}% during the run; the machine was busy, rerun when idle`);
  if (rows.some((r) => r.failures > 0)) console.log('failed = connection errors + timeouts (10 s) + non-2xx answers');
  const target = rows.find((r) => r.route === TARGET.route) as Row;
  const ratio = target.rps / baseline;
  const verdict = ratio >= TARGET.minRatio ? 'PASS' : 'FAIL';
  console.log(`\ntarget: daily page ${TARGET.route} >= ${TARGET.minRatio}x baseline (/healthz): ${ratio.toFixed(2)}x ${verdict}`);
  if (opts.cpuProf) {
    console.log(`server CPU profile written to ${join('data', 'bench-web-prof')}/`);
    console.log('(the profiler slows the server unevenly: do not record these figures)');
  }
}

main().catch((err: unknown) => {
  console.error(`bench:web: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
