// Prometheus metrics of one server, in a registry of its own (never
// prom-client's global one), so that tests and several apps in one process
// keep their counts apart. Counts that need the database (papers, vectors)
// are read when Prometheus scrapes, at most once per COUNTS_TTL_MS.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats, Store } from '../store/store.js';

/** embedding: a background run that embeds papers lacking a vector (a failed run counts here whatever step failed); training: a learned model trained and made current. */
export type JobName = 'embedding' | 'training';

export interface JobRun {
  job: JobName;
  ok: boolean;
  seconds: number;
}

export interface CollectionCounts {
  papers: number;
  /** Papers with a vector under the embedder search uses; 0 without semantic search. */
  vectors: number;
}

export interface MetricsSources {
  counts?: () => Promise<CollectionCounts>;
  /** A pooled store's connections (absent for SQLite: no pool series then). */
  pool?: () => PoolStats;
  /** How long counts are reused (default COUNTS_TTL_MS). */
  countsTtlMs?: number;
  /** Node's own process metrics (CPU, memory, event-loop lag, GC): on for `serve`. */
  processMetrics?: boolean;
}

/** Papers and vectors are counted at most this often, however often scraped. */
export const COUNTS_TTL_MS = 5_000;

// Cached pages answer in tens of microseconds: the lowest buckets tell them apart from slow ones.
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.1, 1, 5, 15, 60, 300, 900, 3600, 10800];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export class Metrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'route' | 'method' | 'status_class'>;
  private readonly search: Histogram<'mode'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly jobLastSuccess: Gauge<'job'>;
  private countsAt = -Infinity;
  private counts: Promise<CollectionCounts> | null = null;

  constructor(private readonly sources: MetricsSources = {}) {
    const registers = [this.registry];
    this.http = new Histogram({
      name: 'paperboy_http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status class, until the response is sent',
      labelNames: ['route', 'method', 'status_class'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.search = new Histogram({ name: 'paperboy_search_duration_seconds', help: 'Searches by the mode that answered (keyword, semantic, hybrid)', labelNames: ['mode'], buckets: REQUEST_BUCKETS, registers });
    this.jobRuns = new Counter({ name: 'paperboy_job_runs_total', help: 'Background job runs by job and outcome (success, failure)', labelNames: ['job', 'outcome'], registers });
    this.jobSeconds = new Histogram({ name: 'paperboy_job_duration_seconds', help: 'Background job runs that succeeded, by job', labelNames: ['job'], buckets: JOB_BUCKETS, registers });
    this.jobLastSuccess = new Gauge({ name: 'paperboy_job_last_success_timestamp_seconds', help: 'When each background job last succeeded (Unix time)', labelNames: ['job'], registers });
    if (sources.counts) {
      const papers: Gauge = new Gauge({ name: 'paperboy_papers', help: 'Papers in the database', registers, collect: () => this.fill(papers, (c) => c.papers) });
      const vectors: Gauge = new Gauge({
        name: 'paperboy_vectors',
        help: 'Papers with a vector for semantic search under the current embedder',
        registers,
        collect: () => this.fill(vectors, (c) => c.vectors),
      });
    }
    const pool = sources.pool;
    if (pool) {
      new Gauge({
        name: 'paperboy_db_pool_connections',
        help: 'Database pool connections by state (in_use, idle)',
        labelNames: ['state'],
        registers,
        collect() {
          const p = pool();
          this.set({ state: 'in_use' }, p.total - p.idle);
          this.set({ state: 'idle' }, p.idle);
        },
      });
      new Gauge({
        name: 'paperboy_db_pool_waiting_queries',
        help: 'Queries waiting for a database pool connection',
        registers,
        collect() {
          this.set(pool().waiting);
        },
      });
    }
    if (sources.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.http.observe({ route, method: METHODS.has(method) ? method : 'OTHER', status_class: `${Math.floor(status / 100)}xx` }, seconds);
  }

  observeSearch(mode: string, seconds: number): void {
    this.search.observe({ mode }, seconds);
  }

  observeJob(run: JobRun): void {
    this.jobRuns.inc({ job: run.job, outcome: run.ok ? 'success' : 'failure' });
    if (!run.ok) return;
    this.jobSeconds.observe({ job: run.job }, run.seconds);
    this.jobLastSuccess.set({ job: run.job }, Date.now() / 1000);
  }

  /** The text Prometheus reads. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Sets a count gauge. When the counts cannot be read it keeps its last
   * value, so the rest of the scrape goes on (the store's failure shows in
   * /readyz and the logs).
   */
  private async fill(gauge: Gauge, pick: (c: CollectionCounts) => number): Promise<void> {
    const value = await this.currentCounts().then(pick, () => null);
    if (value !== null) gauge.set(value);
  }

  private currentCounts(): Promise<CollectionCounts> {
    const now = Date.now();
    if (this.counts === null || now - this.countsAt >= (this.sources.countsTtlMs ?? COUNTS_TTL_MS)) {
      this.countsAt = now;
      this.counts = this.sources.counts!();
      // Both gauges read this promise, a failed one too (fill() keeps the last values) until it expires.
      this.counts.catch(() => undefined);
    }
    return this.counts;
  }
}

/** Papers, and vectors under the embedder `embedderId()` names now: two counting queries. */
export function storeCounts(store: Store, embedderId: () => string | null): () => Promise<CollectionCounts> {
  return async () => {
    const id = embedderId();
    const [papers, vectors] = await Promise.all([store.countPapers(), id === null ? 0 : store.countEmbeddings(id)]);
    return { papers, vectors };
  };
}
