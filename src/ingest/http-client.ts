/**
 * A polite HTTP client for arXiv: one request at a time, each starting at
 * least `delayMs` after the previous one finished, retries with exponential backoff and jitter on 429,
 * 408, 5xx, network errors and time-outs, honouring Retry-After.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';

export const USER_AGENT = 'Paperboy/0.1.0 (self-hosted research-paper discovery; arXiv harvester)';

export interface PoliteClientOptions {
  /** Minimum pause between the end of one request and the start of the next. arXiv asks for 3000. */
  delayMs: number;
  /** Per-attempt time-out, covering headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request before giving up (1 = no retries). Default 5. */
  maxAttempts?: number;
  /** First retry waits about this long, doubling each time. Default: delayMs (at least 10 ms). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this makes the request fail instead of waiting. Default 10 min. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  fetch?: typeof fetch;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  url: string;
  attempt: number;
  reason: string;
  waitMs: number;
}

/** A request that failed for good: after its last attempt, or at once for a non-retryable status. */
export class HttpClientError extends Error {
  constructor(
    message: string,
    readonly url: string,
    /** The last HTTP status, or null for network errors and time-outs. */
    readonly status: number | null,
    /** The last response body (truncated), when there was one. */
    readonly body: string | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpClientError';
  }
}

const MAX_ERROR_BODY = 64 * 1024;

/** Retry-After as milliseconds from `nowMs` (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Exponential backoff for the n-th retry (1-based) with up to 50% added jitter, capped at maxMs. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.min(maxMs, Math.round(exp + exp * 0.5 * random()));
}

type Attempt = { ok: true; text: string } | { ok: false; retryable: boolean; reason: string; status: number | null; body: string | null; retryAfterMs: number | null };

export class PoliteClient {
  private readonly opts: Required<Omit<PoliteClientOptions, 'onRetry'>> & Pick<PoliteClientOptions, 'onRetry'>;
  private queue: Promise<unknown> = Promise.resolve();
  private lastDone = -Infinity;
  /** Requests actually sent, retries included. */
  requestCount = 0;

  constructor(options: PoliteClientOptions) {
    for (const [name, v] of Object.entries({ delayMs: options.delayMs, timeoutMs: options.timeoutMs, maxAttempts: options.maxAttempts })) {
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
    }
    this.opts = {
      delayMs: options.delayMs,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      backoffBaseMs: options.backoffBaseMs ?? Math.max(10, options.delayMs),
      maxBackoffMs: options.maxBackoffMs ?? 120_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
      userAgent: options.userAgent ?? USER_AGENT,
      fetch: options.fetch ?? globalThis.fetch,
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
    };
  }

  /** GET `url` and return the body of a 2xx response. Calls are queued: never two at once. */
  getText(url: string, signal?: AbortSignal): Promise<string> {
    const run = this.queue.then(() => this.getWithRetries(url, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async getWithRetries(url: string, signal: AbortSignal | undefined): Promise<string> {
    let notBefore = 0;
    for (let attempt = 1; ; attempt++) {
      const wait = Math.max(notBefore, this.lastDone + this.opts.delayMs) - performance.now();
      if (wait > 0) await sleep(wait, signal);
      signal?.throwIfAborted();
      this.requestCount++;
      const result = await this.attempt(url, signal);
      // Measured from the end, so the server sees the gap even when connecting took a while.
      this.lastDone = performance.now();
      if (result.ok) return result.text;

      const message = `GET ${url} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${result.reason}`;
      if (!result.retryable || attempt >= this.opts.maxAttempts) throw new HttpClientError(message, url, result.status, result.body, attempt);
      if (result.retryAfterMs !== null && result.retryAfterMs > this.opts.maxRetryAfterMs) {
        const secs = Math.ceil(result.retryAfterMs / 1000);
        throw new HttpClientError(`${message}; the server asked to retry after ${secs} s, which is longer than allowed, try again later`, url, result.status, result.body, attempt);
      }
      const backoff = backoffDelay(attempt, this.opts.backoffBaseMs, this.opts.maxBackoffMs, this.opts.random);
      const waitMs = Math.max(backoff, result.retryAfterMs ?? 0);
      this.opts.onRetry?.({ url, attempt, reason: result.reason, waitMs });
      notBefore = performance.now() + waitMs;
    }
  }

  private async attempt(url: string, outer: AbortSignal | undefined): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      const res = await this.opts.fetch(url, { signal, headers: { 'user-agent': this.opts.userAgent, accept: 'application/atom+xml, application/xml, text/xml;q=0.9, */*;q=0.1' } });
      const text = await res.text();
      if (res.ok) return { ok: true, text };
      const status = res.status;
      return {
        ok: false,
        retryable: status === 429 || status === 408 || status >= 500,
        reason: `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`,
        status,
        body: text.slice(0, MAX_ERROR_BODY),
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      };
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      const reason = timeout.aborted ? `timed out after ${this.opts.timeoutMs} ms` : `network error: ${describeNetworkError(err)}`;
      return { ok: false, retryable: true, reason, status: null, body: null, retryAfterMs: null };
    }
  }
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleepTimer(ms, undefined, { signal });
  } catch (err) {
    throw signal?.aborted ? signal.reason : err;
  }
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return err.message;
}
