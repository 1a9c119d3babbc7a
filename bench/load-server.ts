/**
 * The real `paperboy serve` in a child process, as users start it: the demo
 * data and its shipped vectors are loaded by serve itself on the first start
 * into an empty data directory, and reused later.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServeOptions {
  /** The repository root: serve runs there, so the demo paths resolve as they do for users. */
  root: string;
  dataDir: string;
  /** The JSON-lines file serve loads into an empty database. */
  demoData: string;
  /** PAPERBOY_EMBEDDER; undefined keeps the environment's (USE-lite by default). */
  embedder?: string;
  /** PAPERBOY_WEB_PROCESSES (default 1): ready once every serving process says so. */
  processes?: number;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfDir?: string;
  /** Each line the server prints. */
  log: (line: string) => void;
}

export interface RunningServe {
  url: string;
  papers: number;
  pid: number;
  stop(): Promise<void>;
}

const READY = /Paperboy is serving (\d+) papers at (\S+)/;
// Written after the first start finished loading: a data dir without it holds a load that was interrupted.
const MARKER = 'bench-load-ready';
const START_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 30_000;

export function startServe(opts: ServeOptions): Promise<RunningServe> {
  const marker = join(opts.dataDir, MARKER);
  if (existsSync(join(opts.dataDir, 'paperboy.db')) && !existsSync(marker)) {
    throw new Error(`${opts.dataDir} holds a database from an interrupted first start; delete the directory and run again`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PAPERBOY_DATA_DIR: opts.dataDir, PORT: '0', HOST: '127.0.0.1', PAPERBOY_DEMO_DATA: opts.demoData };
  if (opts.embedder !== undefined) env.PAPERBOY_EMBEDDER = opts.embedder;
  env.PAPERBOY_WEB_PROCESSES = String(opts.processes ?? 1);
  let waitingFor = opts.processes ?? 1;
  const prof = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const child = spawn(process.execPath, [...prof, 'bin/paperboy.js', 'serve'], { cwd: opts.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stderr! }).on('line', (line) => opts.log(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it was serving`));
    };
    child.once('exit', early);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      opts.log(line);
      const ready = READY.exec(line);
      if (!ready || --waitingFor > 0) return;
      clearTimeout(timer);
      child.off('exit', early);
      writeFileSync(marker, `${ready[1]} papers\n`);
      resolve({ url: ready[2] as string, papers: Number(ready[1]), pid: child.pid as number, stop: () => stopChild(child) });
    });
  });
}

/** SIGTERM lets serve shut down cleanly (and write its CPU profile); SIGKILL if it hangs. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
