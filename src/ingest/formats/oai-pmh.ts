/**
 * OAI-PMH ListRecords / GetRecord responses with metadataPrefix=arXiv
 * (export.arxiv.org/oai2) -> ImportItems.
 */
import type { ImportItem } from '../../model.js';
import { cleanAbstract, cleanAuthors, cleanTitle, fail, idAndTitle, ok, toIso, unique } from './common.js';
import type { RecordError, RecordResult } from './common.js';
import { attr, child, children, parseXml, text } from './xml.js';

export interface OaiParseResult {
  items: ImportItem[];
  errors: RecordError[];
  /** Token for the next page; null on the last (or only) page. */
  resumptionToken: string | null;
  completeListSize: number | null;
  /** An OAI-PMH <error>, e.g. { code: "noRecordsMatch", ... }. */
  oaiError: { code: string; message: string } | null;
}

const ARRAY_TAGS = ['record', 'author', 'setSpec', 'error'] as const;

/** "Forenames Keyname Suffix"; collaborations have only a keyname. */
function authorName(author: unknown): string {
  return [text(author, 'forenames'), text(author, 'keyname'), text(author, 'suffix')].filter((p) => p !== null).join(' ');
}

/** The <metadata><arXiv> of one record -> an ImportItem, or why not. */
export function oaiArxivToItem(meta: unknown): RecordResult<ImportItem> {
  const basics = idAndTitle(text(meta, 'id'), text(meta, 'title'));
  if (!basics.ok) return basics;
  const { id, version, title } = basics.value;

  const authors = cleanAuthors(children(child(meta, 'authors'), 'author').map(authorName));
  const comment = text(meta, 'comments');
  const journalRef = text(meta, 'journal-ref');
  return ok({
    paper: {
      id,
      version,
      title,
      abstract: cleanAbstract(text(meta, 'abstract') ?? ''),
      authors,
      categories: unique((text(meta, 'categories') ?? '').split(/\s+/).filter(Boolean)),
      // arXiv's OAI format gives dates only: created = v1, updated = newest version.
      publishedAt: toIso(text(meta, 'created')),
      updatedAt: toIso(text(meta, 'updated')) ?? toIso(text(meta, 'created')),
      comment: comment ? cleanTitle(comment) : null,
      journalRef: journalRef ? cleanTitle(journalRef) : null,
      doi: text(meta, 'doi'),
    },
    daily: null,
    community: null,
  });
}

export function parseOaiPmh(xml: string): OaiParseResult {
  const result: OaiParseResult = { items: [], errors: [], resumptionToken: null, completeListSize: null, oaiError: null };
  const parsed = parseXml(xml, ARRAY_TAGS);
  if (!parsed.ok) {
    result.errors.push({ where: 'document', message: parsed.message });
    return result;
  }
  const root = child(parsed.doc, 'OAI-PMH');
  if (!root) {
    result.errors.push({ where: 'document', message: 'not an OAI-PMH response (no <OAI-PMH> element)' });
    return result;
  }
  const error = children(root, 'error')[0];
  if (error !== undefined) {
    result.oaiError = { code: attr(error, 'code') ?? 'unknown', message: text(error) ?? '' };
    return result;
  }

  const list = child(root, 'ListRecords') ?? child(root, 'GetRecord');
  const token = child(list, 'resumptionToken');
  if (token) {
    result.resumptionToken = text(token);
    const size = attr(token, 'completeListSize');
    result.completeListSize = size !== null && /^\d+$/.test(size) ? Number(size) : null;
  }

  children(list, 'record').forEach((record, i) => {
    const header = child(record, 'header');
    if (attr(header, 'status') === 'deleted') return;
    const meta = child(child(record, 'metadata'), 'arXiv');
    const item = meta ? oaiArxivToItem(meta) : fail<ImportItem>(`${text(header, 'identifier') ?? 'record'} has no arXiv metadata`);
    if (item.ok) result.items.push(item.value);
    else result.errors.push({ where: `record ${i + 1}`, message: item.message });
  });
  return result;
}
