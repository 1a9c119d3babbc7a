/**
 * arXiv new-submission listings as JSONL (id, title, authors[], categories[],
 * comment, summary, _listingDate). A listing is not the community daily list,
 * so no daily entry is made, and the arXiv submission time is unknown.
 */
import type { ImportItem } from '../../model.js';
import { cleanAbstract, cleanAuthors, cleanTitle, fail, idAndTitle, isObject, ok, str, strList, unique } from './common.js';
import type { RecordResult } from './common.js';

export function arxivListingRecord(value: unknown): RecordResult<ImportItem> {
  if (!isObject(value)) return fail('expected a JSON object');
  const basics = idAndTitle(value.id, value.title);
  if (!basics.ok) return basics;
  const { id, version, title } = basics.value;
  const comment = str(value.comment);
  return ok({
    paper: {
      id,
      version,
      title,
      abstract: cleanAbstract(str(value.summary) ?? str(value.abstract) ?? ''),
      authors: cleanAuthors(strList(value.authors) ?? []),
      categories: unique(strList(value.categories) ?? []),
      publishedAt: null,
      comment: comment ? cleanTitle(comment) : null,
    },
    daily: null,
    community: null,
  });
}
