import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import type { ArxivFixtureServer } from '../../test/arxiv-fixture-server.js';
import { HttpClientError, PoliteClient, ResponseTooLargeError, backoffDelay, parseRetryAfter } from './http-client.js';
import type { RetryInfo } from './http-client.js';

let server: ArxivFixtureServer;
const page = (start: number) => `${server.url}/api/query?search_query=all:testing&start=${start}&max_results=10`;

async function rejection(p: Promise<unknown>): Promise<HttpClientError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HttpClientError, `expected HttpClientError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the request to fail');
}

before(async () => {
  server = await startArxivFixtureServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.handler = null;
});

describe('PoliteClient', () => {
  it('returns the recorded body and names Paperboy in the User-Agent', async () => {
    const client = new PoliteClient({ delayMs: 0 });
    const xml = await client.getText(page(0));
    assert.match(xml, /<opensearch:totalResults>214881<\/opensearch:totalResults>/);
    assert.match(String(server.requests[0]?.headers['user-agent']), /^Paperboy\//);
  });

  it('leaves at least delayMs between requests, also across concurrent callers, one connection at a time', async () => {
    const delayMs = 50;
    server.handler = () => ({ body: 'ok', delayMs: 20 });
    const client = new PoliteClient({ delayMs });
    const bodies = await Promise.all([0, 10, 20, 30].map((s) => client.getText(page(s))));
    assert.deepEqual(bodies, ['ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(
      server.requests.map((r) => r.url.searchParams.get('start')),
      ['0', '10', '20', '30'],
    );
    for (let i = 1; i < server.requests.length; i++) {
      const prev = server.requests[i - 1]!;
      const cur = server.requests[i]!;
      assert.ok(prev.answeredAt !== null && cur.at >= prev.answeredAt, 'a request started before the previous one was answered');
      assert.ok(cur.at - prev.answeredAt >= delayMs, `gap ${cur.at - prev.answeredAt} ms < ${delayMs} ms`);
    }
  });

  it('retries a 503 and then succeeds', async () => {
    server.queue({ status: 503, body: 'busy' });
    const retries: RetryInfo[] = [];
    const client = new PoliteClient({ delayMs: 10, onRetry: (r) => retries.push(r) });
    const xml = await client.getText(page(10));
    assert.match(xml, /<opensearch:startIndex>10<\/opensearch:startIndex>/);
    assert.equal(server.requests.length, 2);
    assert.equal(client.requestCount, 2);
    assert.equal(retries.length, 1);
    assert.match(retries[0]!.reason, /HTTP 503/);
  });

  it('honours Retry-After on 429', async () => {
    server.queue({ status: 429, headers: { 'retry-after': '1' } });
    const client = new PoliteClient({ delayMs: 10 });
    await client.getText(page(0));
    assert.equal(server.requests.length, 2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 1000, `retried after ${gap} ms, before Retry-After`);
  });

  it('fails at once when Retry-After is longer than allowed', async () => {
    server.queue({ status: 503, headers: { 'retry-after': '3600' } });
    const client = new PoliteClient({ delayMs: 10, maxRetryAfterMs: 5000 });
    const err = await rejection(client.getText(page(0)));
    assert.match(err.message, /retry after 3600 s/);
    assert.equal(server.requests.length, 1);
  });

  it('times out a hanging request, retries, and gives up with a clear error', async () => {
    server.queue({ hang: true }, { hang: true });
    const client = new PoliteClient({ delayMs: 10, timeoutMs: 150, maxAttempts: 2 });
    const err = await rejection(client.getText(page(0)));
    assert.match(err.message, /^GET http:\/\/127\.0\.0\.1:\d+\/api\/query\?.* failed after 2 attempts: timed out after 150 ms$/);
    assert.equal(err.status, null);
    assert.equal(err.attempts, 2);
    assert.equal(server.requests.length, 2);
  });

  it('recovers when a hang is followed by an answer', async () => {
    server.queue({ hang: true });
    const client = new PoliteClient({ delayMs: 10, timeoutMs: 150 });
    assert.match(await client.getText(page(20)), /<opensearch:startIndex>20</);
  });

  it('gives up on persistent 5xx after maxAttempts, with growing waits', async () => {
    server.handler = () => ({ status: 502, body: 'bad gateway' });
    const retries: RetryInfo[] = [];
    const client = new PoliteClient({ delayMs: 10, maxAttempts: 3, random: () => 0, onRetry: (r) => retries.push(r) });
    const err = await rejection(client.getText(page(0)));
    assert.match(err.message, /failed after 3 attempts: HTTP 502 Bad Gateway$/);
    assert.equal(err.status, 502);
    assert.equal(err.body, 'bad gateway');
    assert.deepEqual(
      retries.map((r) => r.waitMs),
      [10, 20],
    );
    assert.equal(server.requests.length, 3);
  });

  it('does not retry other 4xx answers and keeps the body', async () => {
    server.queue({ status: 400, body: 'bad query' });
    const client = new PoliteClient({ delayMs: 10 });
    const err = await rejection(client.getText(page(0)));
    assert.equal(err.status, 400);
    assert.equal(err.body, 'bad query');
    assert.equal(server.requests.length, 1);
  });

  it('retries network errors and names them', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const client = new PoliteClient({ delayMs: 5, maxAttempts: 2 });
    const err = await rejection(client.getText(`http://127.0.0.1:${port}/api/query`));
    assert.match(err.message, /failed after 2 attempts: network error: ECONNREFUSED/);
  });

  it('stops waiting when the caller aborts', async () => {
    server.handler = () => ({ status: 503 });
    const client = new PoliteClient({ delayMs: 10, backoffBaseMs: 10_000 });
    const controller = new AbortController();
    const pending = client.getText(page(0), controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 50);
    await assert.rejects(pending, /stopped/);
    assert.equal(server.requests.length, 1);
  });
});

describe('PoliteClient response size limit', () => {
  const MiB = 1024 * 1024;
  const limited = () => new PoliteClient({ delayMs: 0, maxResponseBytes: MiB, maxResponseBytesName: 'PAPERBOY_ARXIV_MAX_RESPONSE_MB' });
  const tooLarge = (detail: string) => new RegExp(`^GET http://127\\.0\\.0\\.1:\\d+/api/query\\?\\S+: the response is larger than the 1 MiB limit \\(PAPERBOY_ARXIV_MAX_RESPONSE_MB\\); ${detail}$`);

  /** A server whose answers the test writes itself (streamed, compressed, endless); counts requests and closed connections. */
  async function rawServer(answer: (req: IncomingMessage, res: ServerResponse) => void) {
    const srv = createHttpServer((req, res) => {
      raw.requests++;
      res.on('close', () => raw.closed++);
      answer(req, res);
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const raw = {
      url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/query?search_query=all:x`,
      requests: 0,
      closed: 0,
      close: async () => {
        srv.closeAllConnections();
        srv.close();
        await once(srv, 'close');
      },
    };
    return raw;
  }

  async function tooLargeRejection(p: Promise<unknown>): Promise<ResponseTooLargeError> {
    const err = await rejection(p);
    assert.ok(err instanceof ResponseTooLargeError, `expected ResponseTooLargeError, got ${err.message}`);
    return err;
  }

  it('refuses a Content-Length above the limit at once, in one request', async () => {
    server.handler = () => ({ body: 'x'.repeat(5 * MiB), headers: { 'content-length': String(5 * MiB) } });
    const client = limited();
    const err = await tooLargeRejection(client.getText(page(0)));
    assert.match(err.message, tooLarge('its Content-Length is 5 MiB, so it was not downloaded'));
    assert.deepEqual([server.requests.length, client.requestCount, err.attempts, err.status, err.limitBytes], [1, 1, 1, 200, MiB]);
  });

  it('stops a body without Content-Length (chunked) at the limit, in one request', async () => {
    server.handler = () => ({ body: 'x'.repeat(5 * MiB) });
    const client = limited();
    const err = await tooLargeRejection(client.getText(page(0)));
    assert.match(err.message, tooLarge('the download was stopped at the limit'));
    assert.equal(server.requests.length, 1);
  });

  it('accepts a body of exactly the limit, and refuses one byte more', async () => {
    server.queue({ body: 'x'.repeat(MiB) }, { body: 'x'.repeat(MiB + 1) }, { body: 'x'.repeat(MiB + 1), headers: { 'content-length': String(MiB + 1) } });
    const client = limited();
    assert.equal((await client.getText(page(0))).length, MiB);
    await tooLargeRejection(client.getText(page(0)));
    await tooLargeRejection(client.getText(page(0)));
    assert.equal(server.requests.length, 3);
  });

  it('stops reading an endless body and closes the connection', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      const err = await tooLargeRejection(limited().getText(raw.url));
      assert.match(err.message, /the download was stopped at the limit$/);
      assert.equal(raw.requests, 1);
      while (raw.closed < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await raw.close();
    }
  });

  it('counts the bytes after decompression: a small gzip body that inflates past the limit is refused', async () => {
    const packed = gzipSync('x'.repeat(5 * MiB));
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.end(packed);
    });
    try {
      assert.ok(packed.length < MiB / 100);
      const err = await tooLargeRejection(limited().getText(raw.url));
      assert.match(err.message, /the download was stopped at the limit$/);
      assert.equal(raw.requests, 1);
    } finally {
      await raw.close();
    }
  });

  it('reads at most 64 KiB of an error body, even an endless one', async () => {
    const raw = await rawServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      const pump = () => {
        while (!res.destroyed && res.write('bad query '));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      const err = await rejection(new PoliteClient({ delayMs: 0 }).getText(raw.url));
      assert.ok(!(err instanceof ResponseTooLargeError));
      assert.equal(err.status, 400);
      assert.equal(err.body?.length, 64 * 1024);
      assert.ok(err.body?.startsWith('bad query bad query'));
    } finally {
      await raw.close();
    }
  });

  it('decodes UTF-8 split across chunks and drops a BOM, as Response.text() does', async () => {
    const bytes = Buffer.from('\ufeff<title>Schrödinger’s café</title>');
    const raw = await rawServer((_req, res) => {
      res.writeHead(200);
      let i = 0;
      const next = () => (i < bytes.length ? res.write(bytes.subarray(i, ++i), () => setImmediate(next)) : res.end());
      next();
    });
    try {
      assert.equal(await limited().getText(raw.url), '<title>Schrödinger’s café</title>');
    } finally {
      await raw.close();
    }
  });
});

describe('parseRetryAfter and backoffDelay', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2024-06-01T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sat, 01 Jun 2024 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Jun 2024 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
  });

  it('doubles, adds at most 50% jitter, and caps', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, () => 0)),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(backoffDelay(2, 1000, 60_000, () => 0.999), 2999);
    assert.equal(backoffDelay(10, 1000, 60_000, () => 0.5), 60_000);
  });

  it('rejects nonsense options', () => {
    assert.throws(() => new PoliteClient({ delayMs: -1 }), /delayMs must be a non-negative number/);
    assert.throws(() => new PoliteClient({ delayMs: 0, maxResponseBytes: 0 }), /maxResponseBytes must be a positive whole number/);
  });
});
