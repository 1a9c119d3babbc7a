/**
 * paperboy ingest arxiv --category C [--category C2] [--since YYYY-MM-DD] [--oai] ...
 * Exit code: 0 new or updated papers stored, 3 nothing new (a scheduler can
 * skip the next stage), 1 error.
 */
import { parseArgs } from 'node:util';
import { isDate } from '../calendar.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { DEFAULT_API_BASE_URL, HarvestError, harvestArxivApi } from '../ingest/arxiv-api-harvest.js';
import { compactAfterLargeLoad } from './compact.js';
import type { HarvestSummary, PageProgress } from '../ingest/arxiv-api-harvest.js';
import { HttpClientError, PoliteClient, ResponseTooLargeError } from '../ingest/http-client.js';
import { DEFAULT_OAI_BASE_URL, categoryProblem, harvestOaiPmh } from '../ingest/oai-pmh-harvest.js';
import type { Store } from '../store/store.js';

export const EXIT_NOTHING_NEW = 3;

export const INGEST_USAGE = `Usage: paperboy ingest arxiv --category C [--category C2 ...] [--since YYYY-MM-DD] [options]

Harvest new papers from arXiv, politely (one request at a time, 3 s apart).
Without --since, continues from where the last completed harvest ended.
Interrupted harvests resume at their stored cursor.

  --category C      arXiv category or archive (cs.CV, cs.LG, hep-th, cs); repeat or comma-separate
  --since DATE      harvest papers submitted (API) or changed (--oai) on or after DATE
  --oai             use OAI-PMH (ListRecords) instead of the search API
  --base-url URL    API or OAI-PMH server (default ${DEFAULT_API_BASE_URL} / ${DEFAULT_OAI_BASE_URL})
  --delay-ms N      pause between requests (default 3000, or PAPERBOY_ARXIV_DELAY_MS)
  --max-pages N     stop after N responses; run again to continue
  --page-size N     results per API request (default 100, at most 2000)
  --timeout-ms N    time-out per request (default 30000)
  --max-attempts N  attempts per request before giving up (default 5)

A response larger than PAPERBOY_ARXIV_MAX_RESPONSE_MB (default 64 MiB) stops
the harvest with an error instead of being retried.

Exit status: 0 new or updated papers stored, 3 nothing new, 1 error.
`;

export interface IngestContext {
  store: Store;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Defaults to loadConfig(env). */
  config?: Pick<Config, 'arxivMaxResponseBytes' | 'arxivDelayMs'>;
  /** The environment loadConfig reads when no config is given; defaults to the process's. */
  env?: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

interface IngestOptions {
  categories: string[];
  since: string | null;
  oai: boolean;
  baseUrl: string | null;
  /** --delay-ms; null: the configured delay (PAPERBOY_ARXIV_DELAY_MS). */
  delayMs: number | null;
  maxPages: number | null;
  pageSize: number;
  timeoutMs: number;
  maxAttempts: number;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function parseIngestArgs(args: string[]): IngestOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      category: { type: 'string', multiple: true },
      since: { type: 'string' },
      oai: { type: 'boolean' },
      'base-url': { type: 'string' },
      'delay-ms': { type: 'string' },
      'max-pages': { type: 'string' },
      'page-size': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-attempts': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [source, ...extra] = positionals;
  if (source !== 'arxiv') throw new UsageError(source ? `unknown source "${source}" (only "arxiv" is supported)` : 'missing source: paperboy ingest arxiv ...');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const categories = [...new Set((values.category ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean))];
  if (categories.length === 0) throw new UsageError('at least one --category is required, e.g. --category cs.CV');
  for (const c of categories) {
    const problem = categoryProblem(c);
    if (problem) throw new UsageError(problem);
  }

  const since = values.since ?? null;
  if (since !== null) {
    if (!isDate(since)) throw new UsageError(`--since must be a date written YYYY-MM-DD, got "${since}"`);
    if (since > new Date().toISOString().slice(0, 10)) throw new UsageError(`--since ${since} is in the future`);
  }

  const baseUrl = values['base-url'] ?? null;
  if (baseUrl !== null && !/^https?:\/\/[^/\s]+/.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got "${baseUrl}"`);

  return {
    categories,
    since,
    oai: values.oai ?? false,
    baseUrl,
    delayMs: values['delay-ms'] !== undefined ? integer('--delay-ms', values['delay-ms'], 3000, 0) : null,
    maxPages: values['max-pages'] !== undefined ? integer('--max-pages', values['max-pages'], 0, 1) : null,
    pageSize: integer('--page-size', values['page-size'], 100, 1, 2000),
    timeoutMs: integer('--timeout-ms', values['timeout-ms'], 30_000, 1),
    maxAttempts: integer('--max-attempts', values['max-attempts'], 5, 1, 100),
  };
}

const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function summaryLine(s: HarvestSummary, o: IngestOptions): string {
  const what = `${o.oai ? 'OAI-PMH' : 'API'} ${o.categories.join(', ')}`;
  const skipped = s.skipped > 0 ? `, ${s.skipped} skipped` : '';
  const until = s.complete && s.coveredUntil ? `; next run continues from ${s.coveredUntil}` : '';
  return `arXiv ${what}: ${s.pages} page${s.pages === 1 ? '' : 's'}, ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged${skipped} (${s.stopReason}${until})\n`;
}

export async function runIngest(args: string[], ctx: IngestContext): Promise<number> {
  const { stdout, stderr } = ctx;
  let options: IngestOptions | 'help';
  try {
    options = parseIngestArgs(args);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      stderr.write(`paperboy ingest: ${err.message}\nRun "paperboy ingest --help" for the options.\n`);
      return 1;
    }
    throw err;
  }
  if (options === 'help') {
    stdout.write(INGEST_USAGE);
    return 0;
  }
  const o = options;
  let config: Pick<Config, 'arxivMaxResponseBytes' | 'arxivDelayMs'>;
  try {
    config = ctx.config ?? loadConfig(ctx.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    stderr.write(`paperboy ingest: ${err.message}\n`);
    return 1;
  }

  const client = new PoliteClient({
    delayMs: o.delayMs ?? config.arxivDelayMs,
    timeoutMs: o.timeoutMs,
    maxAttempts: o.maxAttempts,
    maxResponseBytes: config.arxivMaxResponseBytes,
    maxResponseBytesName: 'PAPERBOY_ARXIV_MAX_RESPONSE_MB',
    onRetry: (r) => stderr.write(`${ctx.isTTY ? '\n' : ''}retrying in ${duration(r.waitMs)} after attempt ${r.attempt}: ${r.reason}\n`),
  });
  const onPage = ctx.isTTY ? (p: PageProgress) => stderr.write(`\r\x1b[2Kpage ${p.pages}: ${p.new} new, ${p.updated} updated (${p.position})`) : undefined;
  const common = { store: ctx.store, client, categories: o.categories, maxPages: o.maxPages, onPage };

  let summary: HarvestSummary;
  try {
    summary = o.oai
      ? await harvestOaiPmh({ ...common, from: o.since, baseUrl: o.baseUrl ?? DEFAULT_OAI_BASE_URL })
      : await harvestArxivApi({ ...common, since: o.since, baseUrl: o.baseUrl ?? DEFAULT_API_BASE_URL, pageSize: o.pageSize });
  } catch (err) {
    if (err instanceof ResponseTooLargeError) {
      // Running again would fetch the same page: say what to change instead of "run again".
      const hint = o.oai ? 'raise the limit to read it' : 'ask for fewer papers per request (--page-size) or raise the limit';
      stderr.write(`${ctx.isTTY ? '\n' : ''}paperboy ingest: ${err.message}; ${hint}\n`);
      return 1;
    }
    if (err instanceof HarvestError || err instanceof HttpClientError) {
      stderr.write(`${ctx.isTTY ? '\n' : ''}paperboy ingest: ${err.message}\nThe harvest cursor is saved; run the same command again to resume.\n`);
      return 1;
    }
    throw err;
  } finally {
    if (onPage) stderr.write('\n');
  }

  for (const w of summary.warnings.slice(0, 20)) stderr.write(`warning: ${w}\n`);
  if (summary.warnings.length > 20) stderr.write(`warning: ... and ${summary.warnings.length - 20} more\n`);
  stdout.write(summaryLine(summary, o));
  await compactAfterLargeLoad(ctx.store, summary.new + summary.updated, (line) => stdout.write(line));
  return summary.new + summary.updated > 0 ? 0 : EXIT_NOTHING_NEW;
}
