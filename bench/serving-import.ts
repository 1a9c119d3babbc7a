/**
 * Import while serving: `paperboy serve` on the demo data in a child process,
 * probed on /healthz and the daily page (/) at a steady rate while another
 * process imports a large file into the same data dir, and afterwards while
 * the server embeds the new papers in the background. Each phase is compared
 * with the same probes on the idle server, measured first in the same run.
 *
 *   npm run bench:serving-import -- [--papers 50000] [--idle-seconds 10] [--after-seconds 30] [--embedder NAME] [--smoke]
 *
 * Target: p99 < 100 ms for both routes during the import and after it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServe } from './load-server.js';
import { writeImportCorpus } from './serving-import-corpus.js';

const ROOT = resolve('.');
const DEMO = join(ROOT, 'demo/hf-daily-papers.jsonl.gz');
const SMOKE_DEMO = join(ROOT, 'test/fixtures/hf-daily/papers-sample.jsonl.gz');
const ROUTES = ['/healthz', '/'];
const PROBE_EVERY_MS = 50;
const TARGET_P99_MS = 100;

interface Options {
  papers: number;
  idleSeconds: number;
  afterSeconds: number;
  embedder: string | undefined;
  smoke: boolean;
  workDir: string;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      papers: { type: 'string' },
      'idle-seconds': { type: 'string' },
      'after-seconds': { type: 'string' },
      embedder: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      'work-dir': { type: 'string' },
    },
  });
  const smoke = values.smoke === true;
  const num = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got ${JSON.stringify(raw)})`);
    return n;
  };
  return {
    papers: num('papers', values.papers, smoke ? 1500 : 50_000),
    idleSeconds: num('idle-seconds', values['idle-seconds'], smoke ? 2 : 10),
    afterSeconds: num('after-seconds', values['after-seconds'], smoke ? 2 : 30),
    embedder: values.embedder ?? (smoke ? 'hash-test-cpu:200' : undefined),
    smoke,
    workDir: resolve(values['work-dir'] ?? 'data/bench-serving-import'),
  };
}

interface Sample {
  route: string;
  ms: number;
  ok: boolean;
}

/** Requests every route every PROBE_EVERY_MS (one at a time per route) until stop() is called. */
function probe(url: string): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loops = ROUTES.map(async (route) => {
    while (running) {
      const t0 = performance.now();
      let ok = false;
      try {
        const res = await fetch(url + route, { headers: { 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        ok = res.status === 200;
      } catch {
        ok = false;
      }
      const ms = performance.now() - t0;
      samples.push({ route, ms, ok });
      await new Promise((r) => setTimeout(r, Math.max(0, PROBE_EVERY_MS - ms)));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Stats {
  phase: string;
  route: string;
  n: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}

function stats(phase: string, samples: Sample[]): Stats[] {
  return ROUTES.map((route) => {
    const mine = samples.filter((s) => s.route === route);
    const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
    return { phase, route, n: mine.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) ?? NaN, failed: mine.filter((s) => !s.ok).length };
  });
}

function runImport(file: string, dataDir: string): Promise<{ code: number | null; seconds: number; output: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/paperboy.js', 'import', file], { cwd: ROOT, env: { ...process.env, PAPERBOY_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, seconds: (performance.now() - t0) / 1000, output })));
}

function printTable(rows: Stats[], idle: Stats[]): void {
  const header = ['phase', 'route', 'probes', 'p50 ms', 'p99 ms', 'max ms', 'p99 ÷ idle', 'failed'];
  const body = rows.map((r) => {
    const base = idle.find((i) => i.route === r.route)!;
    return [r.phase, r.route, String(r.n), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1), `${(r.p99 / base.p99).toFixed(2)}x`, String(r.failed)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  mkdirSync(opts.workDir, { recursive: true });
  const corpus = join(opts.workDir, `papers-${opts.papers}.jsonl`);
  const { dates } = writeImportCorpus(DEMO, corpus, opts.papers);
  const dataDir = join(opts.workDir, 'data');
  rmSync(dataDir, { recursive: true, force: true });

  console.log(`${cpus().length} CPU (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average ${loadavg()[0]?.toFixed(2)}`);
  console.log(`importing ${opts.papers} papers (${dates} list dates) into a serving data dir; embedder ${opts.embedder ?? 'default (PAPERBOY_EMBEDDER, else the learned model)'}`);
  console.log(`probes: ${ROUTES.join(' and ')}, each every ${PROBE_EVERY_MS} ms, one at a time, Accept-Encoding: gzip\n`);

  const server = await startServe({ root: ROOT, dataDir, demoData: opts.smoke ? SMOKE_DEMO : DEMO, embedder: opts.embedder, log: () => {} });
  const rows: Stats[] = [];
  let idle: Stats[] = [];
  try {
    let p = probe(server.url);
    await sleep(opts.idleSeconds * 1000);
    idle = stats('idle', await p.stop());
    rows.push(...idle);

    p = probe(server.url);
    const imported = await runImport(corpus, dataDir);
    rows.push(...stats('import', await p.stop()));
    if (imported.code !== 0) throw new Error(`the import failed (exit ${imported.code}):\n${imported.output}`);
    console.log(`import: ${opts.papers} papers in ${imported.seconds.toFixed(1)} s (${(opts.papers / imported.seconds).toFixed(0)}/s) while serving`);

    p = probe(server.url);
    await sleep(opts.afterSeconds * 1000);
    rows.push(...stats('after', await p.stop()));
  } finally {
    await server.stop();
  }
  console.log('');
  printTable(rows, idle);
  const busy = rows.filter((r) => r.phase !== 'idle');
  const worst = Math.max(...busy.map((r) => r.p99));
  const failed = busy.reduce((n, r) => n + r.failed, 0);
  const verdict = worst < TARGET_P99_MS && failed === 0 ? 'PASS' : 'FAIL';
  console.log(`\ntarget: p99 < ${TARGET_P99_MS} ms on every route during and after the import, no failed probe: worst p99 ${worst.toFixed(1)} ms, ${failed} failed ${verdict}`);
  if (opts.smoke) console.log('(smoke run: a tiny corpus and a test embedder; do not record these figures)');
}

main().catch((err: unknown) => {
  console.error(`bench:serving-import: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
