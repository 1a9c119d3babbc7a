/**
 * Where a V8 CPU profile (`node --cpu-prof`) spends its time: self time by
 * function and by file, and total time (self + callees) by function.
 *
 *   node --import tsx bench/cpu-profile.ts FILE.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of all sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  selfByFunction: Share[];
  selfByFile: Share[];
  totalByFunction: Share[];
}

/** A short file name: repository-relative, or the package for files under node_modules. */
function fileOf(url: string, root: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return `npm:${pkg[1]}`;
  return path.startsWith('/') ? relative(root, path) : path;
}

function functionOf(node: ProfileNode, root: string): string {
  const f = node.callFrame;
  const name = f.functionName || '(anonymous)';
  return f.url === '' ? name : `${name} ${fileOf(f.url, root)}:${f.lineNumber + 1}`;
}

function top(map: Map<string, number>, totalMs: number, n: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: totalMs > 0 ? (us / 1000 / totalMs) * 100 : 0 }));
}

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);

export function summariseProfile(profile: Profile, root: string, n = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    all += us;
    if (node.callFrame.functionName === '(idle)') idle += us;
    add(self, functionOf(node, root), us);
    add(files, node.callFrame.url === '' ? node.callFrame.functionName : fileOf(node.callFrame.url, root), us);
    // Each function once per sample, however often it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = functionOf(byId.get(at) as ProfileNode, root);
      if (!seen.has(key)) add(total, key, us);
      seen.add(key);
    }
  });
  const totalMs = all / 1000;
  return {
    totalMs,
    idleMs: idle / 1000,
    selfByFunction: top(self, totalMs, n),
    selfByFile: top(files, totalMs, n),
    totalByFunction: top(total, totalMs, n),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const list = (title: string, shares: Share[]) => [title, ...shares.map((x) => `${x.ms.toFixed(0).padStart(8)} ms ${x.percent.toFixed(1).padStart(5)}%  ${x.name}`)].join('\n');
  return [
    `profile: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${((s.idleMs / Math.max(s.totalMs, 1)) * 100).toFixed(1)}% idle`,
    list('self time by file:', s.selfByFile),
    list('self time by function:', s.selfByFunction),
    list('total time (self + callees) by function:', s.totalByFunction),
  ].join('\n\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const file = positionals[0];
  if (!file) {
    console.error('usage: node --import tsx bench/cpu-profile.ts FILE.cpuprofile [--top N]');
    process.exit(1);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  console.log(formatSummary(summariseProfile(profile, process.cwd(), Number(values.top))));
}
