/** The load benchmark's table and targets: pure functions of the measured rows. */

export interface Row {
  phase: 'alone' | 'mix';
  /** Short name, such as `search`; the route column shows `label`. */
  name: string;
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Mean response size on the wire (after compression). */
  bytesPerRequest: number;
  /** Server CPU time per request, all threads and the main thread; null when unknown (the mix, or no /proc). */
  cpuMsPerRequest: number | null;
  mainMsPerRequest: number | null;
  /** CPU the load generator itself used, in cores: near 1 (or its worker count), it, not the server, set the pace. */
  generatorCores: number;
  /** Mix only: p99 of the requests sent after the run's first seconds (null when unknown). */
  p99Steady?: number | null;
}

export interface Target {
  text: string;
  pass: boolean;
  /** The measured figure, as printed. */
  got: string;
}

/** The mix's p99 is also given without the requests sent in its first seconds, while its connections open. */
export const MIX_STARTUP_S = 5;

export const TARGETS = {
  mixP99Ms: 1000,
  cachedRoutesRps: 1000,
  hybridSearchRps: 60,
  /** Issue 9: the search page, on every core the machine has (--processes). */
  searchPageRps: 300,
} as const;

/** The routes held to the 1,000 req/s target, and the hybrid-search ones held to 60 req/s (the page also to 300), by name. */
export const CACHED_ROUTES = ['api-daily', 'feed'] as const;
export const SEARCH_ROUTES = ['search', 'api-search'] as const;

const HEADER = ['phase', 'route', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'timeouts', 'non-2xx', 'KB/req', 'cpu ms/req', 'main ms/req', 'gen cores', 'ratio'];

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function formatTable(rows: readonly Row[], baselineRps: number): string {
  const body = rows.map((r) => [
    r.phase,
    r.label,
    String(r.connections),
    r.rps === 0 ? 'none done' : fixed(r.rps, r.rps < 100 ? 1 : 0),
    fixed(r.p50, 1),
    fixed(r.p99, 1),
    String(r.errors),
    String(r.timeouts),
    String(r.non2xx),
    fixed(r.bytesPerRequest / 1024, 1),
    r.cpuMsPerRequest === null ? '-' : fixed(r.cpuMsPerRequest, 2),
    r.mainMsPerRequest === null ? '-' : fixed(r.mainMsPerRequest, 2),
    fixed(r.generatorCores, 2),
    `${fixed(r.rps / baselineRps, 3)}x`,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

export function evaluateTargets(rows: readonly Row[]): Target[] {
  const mix = rows.filter((r) => r.phase === 'mix');
  const alone = (name: string) => rows.find((r) => r.phase === 'alone' && r.name === name);
  const out: Target[] = [];
  if (mix.length > 0) {
    const errors = mix.reduce((n, r) => n + r.errors, 0);
    const timeouts = mix.reduce((n, r) => n + r.timeouts, 0);
    out.push({ text: 'mix: 0 errors and 0 time-outs', pass: errors === 0 && timeouts === 0, got: `${errors} errors, ${timeouts} time-outs` });
    const worst = mix.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const steady = mix.map((r) => r.p99Steady ?? null);
    const steadyWorst = steady.every((x) => x !== null) ? Math.max(...(steady as number[])) : null;
    const without = steadyWorst === null ? '' : `; without the first ${MIX_STARTUP_S} s: worst ${fixed(steadyWorst, 0)} ms`;
    out.push({ text: `mix: p99 < ${TARGETS.mixP99Ms} ms on every route`, pass: worst.p99 < TARGETS.mixP99Ms, got: `worst ${fixed(worst.p99, 0)} ms (${worst.label})${without}` });
  }
  for (const name of CACHED_ROUTES) {
    const r = alone(name);
    if (r) out.push({ text: `${r.label} >= ${TARGETS.cachedRoutesRps} req/s at ${r.connections} connections`, pass: r.rps >= TARGETS.cachedRoutesRps, got: `${fixed(r.rps, 0)} req/s` });
  }
  for (const name of SEARCH_ROUTES) {
    const r = alone(name);
    if (r) out.push({ text: `hybrid search ${r.label} >= ${TARGETS.hybridSearchRps} req/s at ${r.connections} connections`, pass: r.rps >= TARGETS.hybridSearchRps, got: `${fixed(r.rps, 1)} req/s` });
  }
  const page = alone('search');
  if (page) out.push({ text: `hybrid search page ${page.label} >= ${TARGETS.searchPageRps} req/s at ${page.connections} connections`, pass: page.rps >= TARGETS.searchPageRps, got: `${fixed(page.rps, 1)} req/s` });
  return out;
}

/** The mix's p99 per route without its first seconds; empty when not measured (autocannon workers). */
export function formatSteadyP99(rows: readonly Row[]): string {
  const mix = rows.filter((r) => r.phase === 'mix' && r.p99Steady != null);
  if (mix.length === 0) return '';
  return `mix p99 without requests sent in the first ${MIX_STARTUP_S} s (connections opening): ${mix.map((r) => `${r.label} ${fixed(r.p99Steady as number, 0)} ms`).join(', ')}`;
}

export function formatTargets(targets: readonly Target[]): string {
  return targets.map((t) => `target: ${t.text}: ${t.got} ${verdict(t.pass)}`).join('\n');
}
