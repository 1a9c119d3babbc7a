/**
 * The Kaggle "arxiv-metadata-oai-snapshot" JSONL schema (also what arXiv's
 * own .abs records convert to): one paper per line, with versions.
 */
import type { ImportItem, PaperVersion } from '../../model.js';
import { namesFromParsed, parseAuthorString } from './authors.js';
import { cleanAbstract, cleanAuthors, cleanTitle, fail, idAndTitle, isObject, ok, str, toIso, unique } from './common.js';
import type { RecordResult } from './common.js';

function versionsOf(v: unknown): PaperVersion[] {
  if (!Array.isArray(v)) return [];
  const out: PaperVersion[] = [];
  for (const entry of v) {
    if (!isObject(entry)) continue;
    const m = /^v(\d+)$/.exec(str(entry.version) ?? '');
    if (!m) continue;
    out.push({ version: Number(m[1]), submittedAt: toIso(entry.created), size: str(entry.size) });
  }
  return out.sort((a, b) => a.version - b.version);
}

export function kaggleRecord(value: unknown): RecordResult<ImportItem> {
  if (!isObject(value)) return fail('expected a JSON object');
  const basics = idAndTitle(value.id, value.title);
  if (!basics.ok) return basics;
  const { id, version, title } = basics.value;

  const versions = versionsOf(value.versions);
  const first = versions[0];
  const last = versions[versions.length - 1];
  const comment = str(value.comments);
  const journalRef = str(value['journal-ref']);
  return ok({
    paper: {
      id,
      version: last?.version ?? version,
      title,
      abstract: cleanAbstract(str(value.abstract) ?? ''),
      authors: cleanAuthors(namesFromParsed(value.authors_parsed) ?? parseAuthorString(str(value.authors) ?? '')),
      categories: unique((str(value.categories) ?? '').split(/\s+/).filter(Boolean)),
      publishedAt: first?.version === 1 ? first.submittedAt : null,
      updatedAt: last?.submittedAt ?? toIso(value.update_date),
      comment: comment ? cleanTitle(comment) : null,
      journalRef: journalRef ? cleanTitle(journalRef) : null,
      doi: str(value.doi),
      versions,
    },
    daily: null,
    community: null,
  });
}
