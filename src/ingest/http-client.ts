/**
 * A polite HTTP client for arXiv: one request at a time, each starting at
 * least `delayMs` after the previous one finished, retries with exponential backoff and jitter on 429,
 * 408, 5xx, network errors and time-outs, honouring Retry-After. A response
 * body larger than `maxResponseBytes` is refused without being read whole.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { MiB, formatBytes } from './byte-size.js';

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
  /** Largest response body read, in bytes (after any Content-Encoding is undone). Default 64 MiB. */
  maxResponseBytes?: number;
  /** What sets maxResponseBytes (e.g. an environment variable), named in the error so the user knows what to raise. */
  maxResponseBytesName?: string;
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

/** A response body was larger than the limit: it is not retried, the next attempt would be just as large. */
export class ResponseTooLargeError extends HttpClientError {
  constructor(
    message: string,
    url: string,
    status: number,
    attempts: number,
    readonly limitBytes: number,
  ) {
    super(message, url, status, null, attempts);
    this.name = 'ResponseTooLargeError';
  }
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * MiB;
/** Error bodies are kept for messages only: this much is read, the rest is dropped. */
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

type Attempt =
  | { ok: true; text: string }
  | { ok: false; tooLarge: true; status: number; declaredBytes: number | null }
  | { ok: false; tooLarge?: false; retryable: boolean; reason: string; status: number | null; body: string | null; retryAfterMs: number | null };

/**
 * Read a body as UTF-8 (a BOM dropped, as Response.text() does), at most `maxBytes` of it. As soon as
 * more arrives the rest is cancelled, so memory stays bounded by the limit, and the result is either
 * the text read so far ('truncate') or null ('refuse').
 */
async function readBody(body: ReadableStream<Uint8Array> | null, maxBytes: number, overflow: 'truncate' | 'refuse'): Promise<string | null> {
  if (body === null) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      // Not awaited: cancelling closes the connection, and nothing more is wanted from it.
      reader.cancel().catch(() => undefined);
      if (overflow === 'refuse') return null;
      parts.push(decoder.decode(value.subarray(0, value.byteLength - (bytes - maxBytes))));
      return parts.join('');
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** Content-Length when it counts the bytes the body will have, else null (absent, or the body is compressed). */
function declaredLength(res: Response): number | null {
  const encoding = res.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return null;
  const raw = res.headers.get('content-length');
  return raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw) : null;
}

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
    const maxBytes = options.maxResponseBytes;
    if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) throw new RangeError(`maxResponseBytes must be a positive whole number, got ${maxBytes}`);
    this.opts = {
      delayMs: options.delayMs,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      backoffBaseMs: options.backoffBaseMs ?? Math.max(10, options.delayMs),
      maxBackoffMs: options.maxBackoffMs ?? 120_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
      maxResponseBytes: maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxResponseBytesName: options.maxResponseBytesName ?? '',
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
      if (result.tooLarge) throw this.tooLargeError(url, result.status, result.declaredBytes, attempt);

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
      const status = res.status;
      if (res.ok) {
        const declared = declaredLength(res);
        if (declared !== null && declared > this.opts.maxResponseBytes) {
          res.body?.cancel().catch(() => undefined);
          return { ok: false, tooLarge: true, status, declaredBytes: declared };
        }
        const text = await readBody(res.body, this.opts.maxResponseBytes, 'refuse');
        return text === null ? { ok: false, tooLarge: true, status, declaredBytes: null } : { ok: true, text };
      }
      const text = await readBody(res.body, MAX_ERROR_BODY, 'truncate');
      return {
        ok: false,
        retryable: status === 429 || status === 408 || status >= 500,
        reason: `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`,
        status,
        body: text,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      };
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      const reason = timeout.aborted ? `timed out after ${this.opts.timeoutMs} ms` : `network error: ${describeNetworkError(err)}`;
      return { ok: false, retryable: true, reason, status: null, body: null, retryAfterMs: null };
    }
  }

  private tooLargeError(url: string, status: number, declaredBytes: number | null, attempts: number): ResponseTooLargeError {
    const limit = this.opts.maxResponseBytes;
    const name = this.opts.maxResponseBytesName ? ` (${this.opts.maxResponseBytesName})` : '';
    const detail = declaredBytes !== null ? `its Content-Length is ${formatBytes(declaredBytes)}, so it was not downloaded` : `the download was stopped at the limit`;
    return new ResponseTooLargeError(`GET ${url}: the response is larger than the ${formatBytes(limit)} limit${name}; ${detail}`, url, status, attempts, limit);
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
