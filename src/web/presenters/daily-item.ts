/** The public JSON fields of one `GET /api/daily_papers` item, in Hugging Face's shape. */
import type { DailyEntry, DailyListItem, Paper } from '../../model.js';
import { isoTime, syntheticId } from './ids.js';
import { compact, presentOrganization, presentPaper } from './paper.js';
import type { OrganizationJson, PaperJson } from './paper.js';

/** HF's `submittedBy` user object reduced to what we know: a name. */
export interface SubmittedByJson {
  _id: string;
  fullname: string;
  name: string;
  type: 'user';
}

export interface DailyItemJson {
  paper: PaperJson;
  publishedAt?: string;
  title: string;
  summary: string;
  /** Paperboy renders no social thumbnails: always null. */
  thumbnail: null;
  numComments: number;
  submittedBy?: SubmittedByJson;
  organization?: OrganizationJson;
  /** Paperboy does not link users to authors: always false. */
  isAuthorParticipating: boolean;
}

export function presentDailyItem({ paper, entry }: DailyListItem): DailyItemJson {
  return presentItem(paper, entry);
}

/** The daily-item shape for a paper with its daily-list entry, or without one (a paper never listed: no submitter). */
export function presentItem(paper: Paper, entry: DailyEntry | null): DailyItemJson {
  const submitter = entry?.submitter ?? null;
  return compact<DailyItemJson>({
    paper: presentPaper(paper, entry),
    publishedAt: paper.publishedAt ? isoTime(paper.publishedAt) : undefined,
    title: paper.title,
    summary: paper.abstract,
    thumbnail: null,
    numComments: paper.numComments,
    submittedBy: submitter ? { _id: syntheticId('user', submitter), fullname: submitter, name: submitter, type: 'user' } : undefined,
    organization: presentOrganization(paper.organization),
    isAuthorParticipating: false,
  });
}
