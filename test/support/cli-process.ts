// The `paperboy` command as a real child process, for tests of what only a
// process shows: start-up messages, signals, several processes on one data dir.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const PAPERBOY_BIN = resolve('bin/paperboy.js');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: the test's own, without settings that would leak in, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAPERBOY_') && k !== 'PORT' && k !== 'HOST' && k !== 'NODE_OPTIONS'));
  return { ...base, PAPERBOY_DEMO_DATA: 'off', ...env };
}

function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

// Children still running when the test process ends (a failed test, or
// --test-force-exit) are killed with it instead of living on as orphans.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Starts `paperboy ARGS`; `onOutput` sees stdout as it grows (to kill it at a chosen moment, say). */
export function spawnPaperboy(args: string[], env: Record<string, string>, onOutput: (stdout: string, child: ChildProcess) => void): Promise<Finished> {
  const child = track(spawn(process.execPath, [PAPERBOY_BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
  let seen = '';
  child.stdout!.on('data', (d: Buffer) => onOutput((seen += d.toString()), child));
  return collect(child);
}

/** Runs `paperboy ARGS` to completion (killed after `timeoutMs`). */
export function runPaperboy(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Finished> {
  const child = track(spawn(process.execPath, [PAPERBOY_BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return collect(child).finally(() => clearTimeout(timer));
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with how it ended. */
  finished: Promise<Finished>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<Finished>;
}

/** Starts `paperboy serve` on a free port and waits for its "serving" line. */
export async function startServe(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = track(spawn(process.execPath, [PAPERBOY_BIN, 'serve'], { env: childEnv({ PORT: '0', ...env }), stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const finished = new Promise<Finished>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start in ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
    const check = () => {
      const m = /serving \d+ papers at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void finished.then((f) => {
      clearTimeout(timer);
      fail(new Error(`serve exited (${f.code ?? f.signal}) before serving:\n${f.stdout}\n${f.stderr}`));
    });
  });
  return {
    child,
    url,
    output: () => ({ stdout, stderr }),
    finished,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const f = await finished;
      clearTimeout(timer);
      return f;
    },
  };
}
