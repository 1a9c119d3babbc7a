/**
 * Harvest arXiv's OAI-PMH interface (ListRecords, metadataPrefix=arXiv) for
 * the sets that hold the requested categories, following resumptionTokens.
 * Records are filtered to the requested categories. The token is stored after
 * each page, so a killed run resumes where it stopped.
 */
import type { ImportItem } from '../model.js';
import type { Store } from '../store/store.js';
import { parseOaiPmh } from './formats/oai-pmh.js';
import { HarvestError, addCounts, emptySummary, fetchPage, readCursor } from './arxiv-api-harvest.js';
import type { HarvestSummary, PageProgress } from './arxiv-api-harvest.js';
import type { PoliteClient } from './http-client.js';

export const DEFAULT_OAI_BASE_URL = 'https://oaipmh.arxiv.org';

/** Archives whose OAI-PMH set is "physics:<archive>". */
const PHYSICS_ARCHIVES = new Set(['astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph']);
const TOP_ARCHIVES = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);
const CATEGORY_RE = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

const archiveOf = (category: string): string => category.split('.')[0]!;

/** Why `category` is not an arXiv category or archive ("cs.CV", "hep-th", "cs"), or null when it is one. */
export function categoryProblem(category: string): string | null {
  if (!CATEGORY_RE.test(category)) return `"${category}" is not an arXiv category (expected e.g. cs.CV, hep-th or math.AG)`;
  const archive = archiveOf(category);
  if (!PHYSICS_ARCHIVES.has(archive) && !TOP_ARCHIVES.has(archive)) return `"${category}" is not in a known arXiv archive (${[...TOP_ARCHIVES, ...PHYSICS_ARCHIVES].join(', ')})`;
  return null;
}

/** The OAI-PMH set that holds a category: cs.CV -> "cs", hep-th -> "physics:hep-th", astro-ph.CO -> "physics:astro-ph". */
export function oaiSetFor(category: string): string {
  const archive = archiveOf(category);
  return PHYSICS_ARCHIVES.has(archive) ? `physics:${archive}` : archive;
}

/** Whether a record with these categories was asked for; an archive ("cs", "astro-ph") takes all its categories. */
export function matchesCategories(recordCategories: string[] | undefined, wanted: string[]): boolean {
  return (recordCategories ?? []).some((c) => wanted.some((w) => c === w || (!w.includes('.') && c.startsWith(`${w}.`))));
}

export function oaiStateKey(set: string): string {
  return `harvest:oai:${set}`;
}

interface OaiCursor {
  from: string;
  /** Token of the next page while a run is in progress, else null. */
  resumptionToken: string | null;
  /** Date of the first response of the run in progress: what it will have covered. */
  runDate: string | null;
  coveredUntil: string | null;
}

export interface OaiHarvestOptions {
  store: Store;
  client: PoliteClient;
  categories: string[];
  /** YYYY-MM-DD; null continues from the last completed run (or resumes an interrupted one). */
  from?: string | null;
  baseUrl?: string;
  /** Stop (resumably) after this many responses in all. */
  maxPages?: number | null;
  onPage?: (progress: PageProgress) => void;
  signal?: AbortSignal;
  /** Today's UTC date, when the response carries no responseDate. */
  today?: () => string;
}

function listUrl(baseUrl: string, set: string, from: string, token: string | null): string {
  const base = `${baseUrl.replace(/\/+$/, '')}/oai2?verb=ListRecords`;
  return token !== null ? `${base}&resumptionToken=${encodeURIComponent(token)}` : `${base}&metadataPrefix=arXiv&from=${from}&set=${set}`;
}

function oaiErrorOf(body: string): string | null {
  const e = parseOaiPmh(body).oaiError;
  return e ? `${e.code}: ${e.message}` : null;
}

export async function harvestOaiPmh(opts: OaiHarvestOptions): Promise<HarvestSummary> {
  if (opts.categories.length === 0) throw new HarvestError('no category given');
  const sets = [...new Set(opts.categories.map(oaiSetFor))].sort();
  const summary = emptySummary();
  summary.complete = true;
  for (const set of sets) {
    const done = await harvestSet(opts, set, summary);
    if (!done) {
      summary.complete = false;
      break;
    }
  }
  if (summary.complete) summary.stopReason = 'end of list';
  return summary;
}

/** One set; adds to `summary`. Returns false when --max-pages cut it short. */
async function harvestSet(opts: OaiHarvestOptions, set: string, summary: HarvestSummary): Promise<boolean> {
  const { store, client, categories } = opts;
  const baseUrl = opts.baseUrl ?? DEFAULT_OAI_BASE_URL;
  const today = opts.today ?? (() => new Date().toISOString().slice(0, 10));
  const key = oaiStateKey(set);
  const saved = await readCursor<OaiCursor>(store, key);
  const inProgress = saved?.resumptionToken != null;
  const from = opts.from ?? (inProgress ? saved.from : saved?.coveredUntil) ?? null;
  if (from === null) throw new HarvestError(`no --since date given and no earlier OAI-PMH harvest of set ${set} to continue from`);

  const resume = inProgress && saved.from === from;
  const cursor: OaiCursor = {
    from,
    resumptionToken: resume ? saved.resumptionToken : null,
    runDate: resume ? saved.runDate : null,
    coveredUntil: saved?.coveredUntil ?? null,
  };
  if (resume) summary.warnings.push(`set ${set}: resuming an interrupted harvest from its resumptionToken`);
  if (inProgress && !resume) summary.warnings.push(`set ${set}: an interrupted harvest from ${saved.from} is abandoned; starting over from ${from}`);

  for (;;) {
    if (opts.maxPages != null && summary.pages >= opts.maxPages) {
      summary.stopReason = `stopped after ${summary.pages} pages (--max-pages); run again to continue`;
      return false;
    }
    const url = listUrl(baseUrl, set, from, cursor.resumptionToken);
    const xml = await fetchPage(client, url, oaiErrorOf, opts.signal);
    summary.pages++;
    const page = parseOaiPmh(xml);
    cursor.runDate ??= /<responseDate>\s*(\d{4}-\d{2}-\d{2})/.exec(xml)?.[1] ?? today();
    if (page.oaiError?.code === 'noRecordsMatch') break;
    if (page.oaiError?.code === 'badResumptionToken' && cursor.resumptionToken !== null) {
      // Tokens expire; the list is defined by `from`, so starting it again loses nothing.
      summary.warnings.push(`set ${set}: the stored resumptionToken has expired; starting again from ${from}`);
      cursor.resumptionToken = null;
      continue;
    }
    if (page.oaiError) throw new HarvestError(`OAI-PMH error ${page.oaiError.code}: ${page.oaiError.message} (${url})`);
    const docError = page.errors.find((e) => e.where === 'document');
    if (docError) throw new HarvestError(`unreadable OAI-PMH response from ${url}: ${docError.message}`);

    summary.skipped += page.errors.length;
    for (const e of page.errors) summary.warnings.push(`set ${set}, ${e.where}: ${e.message}`);
    const wanted: ImportItem[] = page.items.filter((it) => matchesCategories(it.paper.categories, categories));
    if (wanted.length > 0) addCounts(summary, await store.upsertItems(wanted));

    cursor.resumptionToken = page.resumptionToken || null;
    await store.setState(key, JSON.stringify(cursor));
    opts.onPage?.({ pages: summary.pages, new: summary.new, updated: summary.updated, position: `set ${set}${page.completeListSize !== null ? ` (${page.completeListSize} records)` : ''}` });
    if (cursor.resumptionToken === null) break;
  }

  const coveredUntil = [cursor.runDate ?? from, cursor.coveredUntil ?? from].sort().at(-1)!;
  await store.setState(key, JSON.stringify({ from, resumptionToken: null, runDate: null, coveredUntil } satisfies OaiCursor));
  summary.coveredUntil = summary.coveredUntil === null || coveredUntil < summary.coveredUntil ? coveredUntil : summary.coveredUntil;
  return true;
}
