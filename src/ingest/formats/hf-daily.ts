/**
 * Hugging Face Daily Papers: raw `GET /api/daily_papers` responses (every
 * schema era) and the flattened one-entry-per-line JSONL archive.
 */
import type { ImportItem, PaperRecord } from '../../model.js';
import { cleanAbstract, cleanAuthors, dayFromFileName, fail, idAndTitle, isObject, num, ok, str, strList, toDay, toIso } from './common.js';
import type { RecordError, RecordResult } from './common.js';
import { parsePythonLiteral } from './python-literal.js';

/** Authors in order; HF hides some from display (hidden: true) and so do we. */
function hfAuthors(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return cleanAuthors(v.map((a) => (typeof a === 'string' ? a : isObject(a) && a.hidden !== true ? str(a.name) : null)));
}

function organizationName(v: unknown): string | null {
  if (isObject(v)) return str(v.fullname) ?? str(v.name);
  return str(v);
}

/** The paper fields both HF shapes share (the API's `paper` object, or a JSONL line). */
function hfPaper(p: Record<string, unknown>): RecordResult<PaperRecord> {
  const basics = idAndTitle(p.id, p.title);
  if (!basics.ok) return basics;
  const { id, version, title } = basics.value;
  const aiSummary = str(p.ai_summary);
  return ok({
    id,
    version,
    origin: 'daily-list',
    title,
    abstract: cleanAbstract(str(p.summary) ?? ''),
    authors: hfAuthors(p.authors),
    publishedAt: toIso(p.publishedAt),
    githubRepo: str(p.githubRepo),
    githubStars: num(p.githubStars),
    projectPage: str(p.projectPage),
    keywords: strList(p.ai_keywords),
    aiSummary: aiSummary ? cleanAbstract(aiSummary) : null,
    organization: organizationName(p.organization),
  });
}

/** A user object's handle: `user` (submittedOnDailyBy) or `name` (submittedBy). */
function handle(v: unknown): string | null {
  return isObject(v) ? (str(v.user) ?? str(v.name)) : null;
}

/** One line of the JSONL archive (archiveDate is the daily-list date). */
export function hfDailyJsonlRecord(value: unknown): RecordResult<ImportItem> {
  if (!isObject(value)) return fail('expected a JSON object');
  if (isObject(value.paper)) return hfDailyApiItem(value, { listDate: null, fileDate: null });
  const paper = hfPaper(value);
  if (!paper.ok) return paper;
  const date = toDay(value.archiveDate) ?? toDay(value.submittedOnDailyAt);
  return ok({
    paper: paper.value,
    daily: date ? { date, submittedAt: toIso(value.submittedOnDailyAt), submitter: handle(value.submittedBy) } : null,
    community: { upvotes: num(value.upvotes) ?? 0, numComments: num(value.numComments) ?? 0 },
  });
}

interface ListContext {
  /** The wrapper's `date`, when the response had one. */
  listDate: string | null;
  /** A YYYY-MM-DD in the file name. */
  fileDate: string | null;
}

/** One item of an API response: an object, or (one era) a string holding its Python repr. */
export function hfDailyApiItem(raw: unknown, ctx: ListContext): RecordResult<ImportItem> {
  let item = raw;
  if (typeof raw === 'string') {
    const lit = parsePythonLiteral(raw);
    if (!lit.ok) return lit;
    item = lit.value;
  }
  if (!isObject(item)) return fail('expected an object or a Python-repr string');
  const p = isObject(item.paper) ? item.paper : item;
  const paper = hfPaper({ ...p, title: p.title ?? item.title, summary: p.summary ?? item.summary, organization: p.organization ?? item.organization });
  if (!paper.ok) return paper;

  // Older eras have no submittedOnDailyAt; there the item's publishedAt is the time it was put on the list.
  const submittedAt = toIso(p.submittedOnDailyAt) ?? toIso(item.publishedAt);
  const date = ctx.listDate ?? toDay(p.submittedOnDailyAt) ?? ctx.fileDate ?? toDay(item.publishedAt);
  return ok({
    paper: paper.value,
    daily: date ? { date, submittedAt, submitter: handle(item.submittedBy) ?? handle(p.submittedOnDailyBy) } : null,
    community: { upvotes: num(p.upvotes) ?? 0, numComments: num(item.numComments) ?? 0 },
  });
}

/** A whole `GET /api/daily_papers` response: a plain array, or {status, date, count, data}. */
export function parseHfDailyJson(text: string, fileName?: string): { items: ImportItem[]; errors: RecordError[] } {
  const errors: RecordError[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? ` (line ${text.slice(0, Number(at[1])).split('\n').length})` : '';
    return { items: [], errors: [{ where: 'document', message: `invalid JSON${line}: ${message}` }] };
  }
  let list: unknown = doc;
  let listDate: string | null = null;
  if (isObject(doc)) {
    list = doc.data;
    listDate = toDay(doc.date);
  }
  if (!Array.isArray(list)) {
    return { items: [], errors: [{ where: 'document', message: 'expected an array of daily papers or an object with a "data" array' }] };
  }
  const ctx: ListContext = { listDate, fileDate: dayFromFileName(fileName) };
  const items: ImportItem[] = [];
  list.forEach((raw, i) => {
    const r = hfDailyApiItem(raw, ctx);
    if (r.ok) items.push(r.value);
    else errors.push({ where: `record ${i + 1}`, message: r.message });
  });
  return { items, errors };
}
