/**
 * arXiv API (export.arxiv.org/api/query) Atom responses -> ImportItems.
 * Handles both the current format and the pre-2023 one (namespaces declared
 * per element, different element order).
 */
import type { ImportItem, PaperVersion } from '../../model.js';
import { cleanAbstract, cleanAuthors, cleanTitle, idAndTitle, ok, toIso, unique } from './common.js';
import type { RecordError, RecordResult } from './common.js';
import { attr, child, children, parseXml, text } from './xml.js';

export interface AtomParseResult {
  items: ImportItem[];
  errors: RecordError[];
  totalResults: number | null;
  startIndex: number | null;
  itemsPerPage: number | null;
  /** The message of an arXiv error feed ("incorrect id format for abc"), else null. */
  feedError: string | null;
}

const ARRAY_TAGS = ['entry', 'author', 'category', 'link'] as const;
const ABS_URL = /^https?:\/\/(?:export\.)?arxiv\.org\/abs\//;

function intOrNull(s: string | null): number | null {
  if (s === null || !/^\d+$/.test(s)) return null;
  return Number(s);
}

/** One <entry> -> an ImportItem, or why it cannot be one. */
export function atomEntryToItem(entry: unknown): RecordResult<ImportItem> {
  const basics = idAndTitle(text(entry, 'id')?.replace(ABS_URL, ''), text(entry, 'title'));
  if (!basics.ok) return basics;
  const { id, version, title } = basics.value;

  const authors = cleanAuthors(children(entry, 'author').map((a) => text(a, 'name')));
  const primary = attr(child(entry, 'primary_category'), 'term');
  const others = children(entry, 'category').map((c) => attr(c, 'term')).filter((t): t is string => !!t);
  const publishedAt = toIso(text(entry, 'published'));
  const updatedAt = toIso(text(entry, 'updated'));

  const versions: PaperVersion[] = [];
  if (version !== null) {
    versions.push({ version: 1, submittedAt: publishedAt });
    if (version > 1) versions.push({ version, submittedAt: updatedAt });
  }

  const comment = text(entry, 'comment');
  const journalRef = text(entry, 'journal_ref');
  return ok({
    paper: {
      id,
      version,
      title,
      abstract: cleanAbstract(text(entry, 'summary') ?? ''),
      authors,
      categories: unique([...(primary ? [primary] : []), ...others]),
      publishedAt,
      updatedAt,
      comment: comment ? cleanTitle(comment) : null,
      journalRef: journalRef ? cleanTitle(journalRef) : null,
      doi: text(entry, 'doi'),
      versions,
    },
    daily: null,
    community: null,
  });
}

export function parseArxivAtom(xml: string): AtomParseResult {
  const result: AtomParseResult = { items: [], errors: [], totalResults: null, startIndex: null, itemsPerPage: null, feedError: null };
  const parsed = parseXml(xml, ARRAY_TAGS);
  if (!parsed.ok) {
    result.errors.push({ where: 'document', message: parsed.message });
    return result;
  }
  const feed = child(parsed.doc, 'feed');
  if (!feed) {
    result.errors.push({ where: 'document', message: 'not an Atom feed (no <feed> element)' });
    return result;
  }
  result.totalResults = intOrNull(text(feed, 'totalResults'));
  result.startIndex = intOrNull(text(feed, 'startIndex'));
  result.itemsPerPage = intOrNull(text(feed, 'itemsPerPage'));

  children(feed, 'entry').forEach((entry, i) => {
    const id = text(entry, 'id') ?? '';
    if (id.includes('api/errors')) {
      result.feedError = text(entry, 'summary') ?? id;
      return;
    }
    const item = atomEntryToItem(entry);
    if (item.ok) result.items.push(item.value);
    else result.errors.push({ where: `entry ${i + 1}`, message: item.message });
  });
  return result;
}
