/**
 * Harvest new submissions from the arXiv export API, newest first, down to a
 * date. The cursor lives in the store (getState/setState) and is written
 * after each page is stored, so a killed run resumes where it stopped.
 */
import { addDays } from '../calendar.js';
import type { ImportItem } from '../model.js';
import type { Store, UpsertSummary } from '../store/store.js';
import { parseArxivAtom } from './formats/arxiv-atom.js';
import { HttpClientError } from './http-client.js';
import type { PoliteClient } from './http-client.js';

export const DEFAULT_API_BASE_URL = 'https://export.arxiv.org';

/** A harvest cannot go on: bad remote answer, nothing to continue from, ... The message is for the user. */
export class HarvestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarvestError';
  }
}

export interface HarvestSummary {
  /** Responses fetched (empty-page retries included). */
  pages: number;
  new: number;
  updated: number;
  unchanged: number;
  /** Records that could not be read. */
  skipped: number;
  /** True when the harvest reached its end; false when --max-pages cut it short (a rerun continues). */
  complete: boolean;
  /** Why it stopped, for the summary line. */
  stopReason: string;
  /** The date the next run without --since starts from. */
  coveredUntil: string | null;
  warnings: string[];
}

export interface PageProgress {
  pages: number;
  new: number;
  updated: number;
  /** Where the harvest is: an API offset or an OAI-PMH set. */
  position: string;
}

export interface ApiHarvestOptions {
  store: Store;
  client: PoliteClient;
  categories: string[];
  /** YYYY-MM-DD; null continues from the last completed run (or resumes an interrupted one). */
  since?: string | null;
  baseUrl?: string;
  /** max_results per request. */
  pageSize?: number;
  /** Stop (resumably) after this many responses. */
  maxPages?: number | null;
  /** Consecutive empty answers for one page before concluding the results ended. */
  maxEmptyPages?: number;
  onPage?: (progress: PageProgress) => void;
  signal?: AbortSignal;
}

interface ApiCursor {
  since: string;
  /** Next offset to fetch while a run is in progress. */
  start: number;
  /** Newest published date seen by the run in progress. */
  newest: string | null;
  running: boolean;
  coveredUntil: string | null;
}

/**
 * Papers are announced up to a few days after their submission date, and the
 * API sorts by submission date: a continuing run looks back this far so that
 * late announcements are not missed (re-seen papers count as unchanged).
 */
export const CONTINUE_OVERLAP_DAYS = 3;

export function apiStateKey(categories: string[]): string {
  return `harvest:api:${[...new Set(categories)].sort().join(',')}`;
}

export function apiQueryUrl(baseUrl: string, categories: string[], start: number, maxResults: number): string {
  const query = categories.map((c) => `cat:${c}`).join('+OR+');
  return `${baseUrl.replace(/\/+$/, '')}/api/query?search_query=${query}&sortBy=submittedDate&sortOrder=descending&start=${start}&max_results=${maxResults}`;
}

export function emptySummary(): HarvestSummary {
  return { pages: 0, new: 0, updated: 0, unchanged: 0, skipped: 0, complete: false, stopReason: '', coveredUntil: null, warnings: [] };
}

export function addCounts(summary: HarvestSummary, upsert: UpsertSummary): void {
  summary.new += upsert.new;
  summary.updated += upsert.updated;
  summary.unchanged += upsert.unchanged;
}

/** Read a JSON cursor; a corrupt one is reported, never silently trusted. */
export async function readCursor<T>(store: Store, key: string): Promise<T | null> {
  const raw = await store.getState(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new HarvestError(`stored harvest state "${key}" is not valid JSON; delete it to start over`);
  }
}

/** GET through the polite client; an HTTP failure whose body carries an arXiv error becomes a clear message. */
export async function fetchPage(client: PoliteClient, url: string, explain: (body: string) => string | null, signal?: AbortSignal): Promise<string> {
  try {
    return await client.getText(url, signal);
  } catch (err) {
    if (err instanceof HttpClientError && err.body) {
      const why = explain(err.body);
      if (why) throw new HarvestError(`${err.message}: ${why}`);
    }
    throw err;
  }
}

const day = (iso: string | null | undefined): string | null => (iso ? iso.slice(0, 10) : null);

export async function harvestArxivApi(opts: ApiHarvestOptions): Promise<HarvestSummary> {
  const { store, client, categories } = opts;
  const baseUrl = opts.baseUrl ?? DEFAULT_API_BASE_URL;
  const pageSize = opts.pageSize ?? 100;
  const maxEmpty = Math.max(1, opts.maxEmptyPages ?? 3);
  if (categories.length === 0) throw new HarvestError('no category given');

  const key = apiStateKey(categories);
  const saved = await readCursor<ApiCursor>(store, key);
  const since = opts.since ?? (saved?.running ? saved.since : saved?.coveredUntil ? addDays(saved.coveredUntil, -CONTINUE_OVERLAP_DAYS) : null);
  if (since === null) throw new HarvestError(`no --since date given and no earlier harvest of ${categories.join(', ')} to continue from`);

  const resume = saved?.running === true && saved.since === since;
  const cursor: ApiCursor = {
    since,
    start: resume ? saved.start : 0,
    newest: resume ? saved.newest : null,
    running: true,
    coveredUntil: saved?.coveredUntil ?? null,
  };
  const summary = emptySummary();
  if (resume && cursor.start > 0) summary.warnings.push(`resuming an interrupted harvest at offset ${cursor.start}`);
  if (saved?.running && !resume) summary.warnings.push(`an interrupted harvest since ${saved.since} is abandoned; starting over since ${since}`);
  await store.setState(key, JSON.stringify(cursor));

  let emptyStreak = 0;
  let stopReason = '';
  for (;;) {
    if (opts.maxPages != null && summary.pages >= opts.maxPages) {
      summary.stopReason = `stopped after ${summary.pages} pages (--max-pages); run again to continue at offset ${cursor.start}`;
      return summary;
    }
    const url = apiQueryUrl(baseUrl, categories, cursor.start, pageSize);
    const xml = await fetchPage(client, url, (body) => parseArxivAtom(body).feedError, opts.signal);
    summary.pages++;
    const page = parseArxivAtom(xml);
    if (page.feedError !== null) throw new HarvestError(`arXiv API error: ${page.feedError} (${url})`);
    const docError = page.errors.find((e) => e.where === 'document');
    if (docError) throw new HarvestError(`unreadable arXiv API response from ${url}: ${docError.message}`);

    const entries = page.items.length + page.errors.length;
    const total = page.totalResults;
    if (entries === 0) {
      if (total !== null && cursor.start >= total) {
        stopReason = 'end of results';
        break;
      }
      emptyStreak++;
      if (emptyStreak >= maxEmpty) {
        summary.warnings.push(`arXiv returned ${emptyStreak} empty pages in a row at offset ${cursor.start} (of ${total ?? 'unknown'} results); stopping`);
        stopReason = `${emptyStreak} empty pages`;
        break;
      }
      continue;
    }
    emptyStreak = 0;

    summary.skipped += page.errors.length;
    for (const e of page.errors) summary.warnings.push(`offset ${cursor.start}, ${e.where}: ${e.message}`);
    const fresh: ImportItem[] = page.items.filter((it) => (day(it.paper.publishedAt) ?? since) >= since);
    const reachedSince = fresh.length < page.items.length;
    for (const it of fresh) {
      const d = day(it.paper.publishedAt);
      if (d !== null && (cursor.newest === null || d > cursor.newest)) cursor.newest = d;
    }
    if (fresh.length > 0) addCounts(summary, await store.upsertItems(fresh));

    cursor.start += entries;
    await store.setState(key, JSON.stringify(cursor));
    opts.onPage?.({ pages: summary.pages, new: summary.new, updated: summary.updated, position: `offset ${cursor.start}${total !== null ? ` of ${total}` : ''}` });
    if (reachedSince || (total !== null && cursor.start >= total)) {
      stopReason = reachedSince ? `reached papers older than ${since}` : 'end of results';
      break;
    }
  }

  const coveredUntil = [cursor.newest ?? since, cursor.coveredUntil ?? since].sort().at(-1)!;
  await store.setState(key, JSON.stringify({ since, start: 0, newest: null, running: false, coveredUntil } satisfies ApiCursor));
  summary.complete = true;
  summary.coveredUntil = coveredUntil;
  summary.stopReason = stopReason;
  return summary;
}
