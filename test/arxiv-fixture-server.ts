/**
 * A local stand-in for export.arxiv.org and oaipmh.arxiv.org that answers with
 * recorded responses from test/fixtures/arxiv. Any test may use it:
 *
 *   const server = await startArxivFixtureServer({ oaiPages: ['hepcrawl-arxiv-physics-hep-th.xml'] });
 *   ... harvest against server.url ...
 *   await server.close();
 *
 * /api/query: an id_list is answered from the recorded id_* file; any
 *   search_query is answered from the recorded all:testing pages by start and
 *   max_results (q_testing_s<start>_m<max>_*); a page that was not recorded
 *   is that feed with its entries removed (arXiv's spurious empty page).
 * /oai2: ListRecords is answered from `oaiPages` in order; the server injects
 *   resumptionTokens "page-1", "page-2"... between them and an empty token on
 *   the last page of a flow, as arXiv does. No pages -> noRecordsMatch.
 * `queue(...)` scripts the next responses (errors, Retry-After, hangs), and
 * `handler` can override any request; both win over the recorded files.
 */
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ARXIV_FIXTURES = new URL('./fixtures/arxiv/', import.meta.url);

export function readArxivFixture(relPath: string): string {
  return readFileSync(new URL(relPath, ARXIV_FIXTURES), 'utf8');
}

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to test time-outs). */
  hang?: boolean;
  /** Answer after this long. */
  delayMs?: number;
}

export interface RecordedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  /** performance.now() when the answer was sent (null while pending or hanging). */
  answeredAt: number | null;
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface ArxivFixtureServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: RecordedRequest[];
  /** OAI-PMH ListRecords pages, file names under oai-pmh/. */
  oaiPages: string[];
  /** Override for any request; return null to fall through to the recorded files. */
  handler: ((url: URL, n: number) => FixtureResponse | null) | null;
  /** Responses for the next requests, used once each, before anything else. */
  queue(...responses: FixtureResponse[]): void;
  /** Forget requests, overrides, queued responses and OAI pages: a fresh server for the next test. */
  reset(): void;
  close(): Promise<void>;
}

const XML = { 'content-type': 'application/atom+xml; charset=utf-8' };

function apiFile(prefix: string): string | null {
  const names = readdirSync(new URL('api-atom/', ARXIV_FIXTURES));
  return names.find((n) => n.startsWith(prefix)) ?? null;
}

/** The recorded feed without its entries: an empty page whose totalResults still claims more. */
export function emptyPageOf(feed: string): string {
  return feed.replace(/\s*<entry>[\s\S]*?<\/entry>/g, '');
}

function apiResponse(url: URL): FixtureResponse {
  const start = url.searchParams.get('start') ?? '0';
  const max = url.searchParams.get('max_results') ?? '10';
  const idList = url.searchParams.get('id_list');
  if (idList) {
    const file = apiFile(`id_${idList.replace(/[/,]/g, '_')}_s${start}_m${max}_`);
    return file ? { body: readArxivFixture(`api-atom/${file}`), headers: XML } : { status: 404, body: 'no recorded response' };
  }
  const file = apiFile(`q_testing_s${start}_m${max}_`);
  if (file) return { body: readArxivFixture(`api-atom/${file}`), headers: XML };
  const template = apiFile(`q_testing_s0_m${max}_`) ?? apiFile('q_testing_s0_m10_');
  return { body: emptyPageOf(readArxivFixture(`api-atom/${template}`)), headers: XML };
}

function oaiError(code: string, message: string): FixtureResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2017-12-14T13:00:41Z</responseDate>
<request verb="ListRecords">http://export.arxiv.org/oai2</request>
<error code="${code}">${message}</error>
</OAI-PMH>`;
  return { body, headers: { 'content-type': 'text/xml; charset=utf-8' } };
}

function oaiResponse(url: URL, pages: string[]): FixtureResponse {
  if (url.searchParams.get('verb') !== 'ListRecords') return oaiError('badVerb', 'Illegal verb');
  const token = url.searchParams.get('resumptionToken');
  let index = 0;
  if (token !== null) {
    const m = /^page-(\d+)$/.exec(token);
    index = m ? Number(m[1]) : -1;
    if (index < 1 || index >= pages.length) return oaiError('badResumptionToken', 'Invalid or expired resumptionToken');
  } else if (url.searchParams.get('metadataPrefix') !== 'arXiv') {
    return oaiError('badArgument', 'metadataPrefix missing or unsupported');
  }
  const name = pages[index];
  if (name === undefined) return oaiError('noRecordsMatch', 'The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.');
  let body = readArxivFixture(`oai-pmh/${name}`);
  if (pages.length > 1) {
    const size = `completeListSize="${pages.length * 1000}" cursor="${index * 1000}"`;
    const tokenXml = index + 1 < pages.length ? `<resumptionToken ${size}>page-${index + 1}</resumptionToken>` : `<resumptionToken ${size}/>`;
    body = body.replace('</ListRecords>', `${tokenXml}\n</ListRecords>`);
  }
  return { body, headers: { 'content-type': 'text/xml; charset=utf-8' } };
}

export async function startArxivFixtureServer(options: { oaiPages?: string[] } = {}): Promise<ArxivFixtureServer> {
  const scripted: FixtureResponse[] = [];
  const state: ArxivFixtureServer = {
    url: '',
    requests: [],
    oaiPages: options.oaiPages ?? [],
    handler: null,
    queue: (...responses) => {
      scripted.push(...responses);
    },
    reset: () => {
      state.requests.length = 0;
      state.handler = null;
      state.oaiPages = [];
      scripted.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = { at: performance.now(), answeredAt: null, url, headers: req.headers };
    state.requests.push(record);
    const answer =
      scripted.shift() ??
      state.handler?.(url, state.requests.length) ??
      (url.pathname === '/api/query' ? apiResponse(url) : url.pathname === '/oai2' ? oaiResponse(url, state.oaiPages) : { status: 404, body: 'not found' });
    if (answer.hang) return;
    const send = () => {
      record.answeredAt = performance.now();
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '');
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
