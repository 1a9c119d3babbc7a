/**
 * The public JSON fields of a paper, named and shaped as Hugging Face's papers
 * API names them. Rule: a field HF has but we have no value for is omitted, as
 * HF omits it; Paperboy's own extra fields are always present (null when unknown).
 */
import type { DailyEntry, Paper, PaperDetail } from '../../model.js';
import { isoTime, syntheticId } from './ids.js';

export interface AuthorJson {
  _id: string;
  name: string;
  hidden: boolean;
}

/** HF's user object reduced to what we know: a name. */
export interface SubmitterJson {
  _id: string;
  fullname: string;
  user: string;
  type: 'user';
  name: string;
}

export interface OrganizationJson {
  _id: string;
  name: string;
  fullname: string;
}

/** The `paper` field of a daily-list item. */
export interface PaperJson {
  id: string;
  authors: AuthorJson[];
  publishedAt?: string;
  submittedOnDailyAt?: string;
  title: string;
  submittedOnDailyBy?: SubmitterJson;
  summary: string;
  upvotes: number;
  discussionId: string;
  projectPage?: string;
  githubRepo?: string;
  ai_summary?: string;
  ai_keywords?: string[];
  githubStars?: number;
  organization?: OrganizationJson;
}

export interface VersionJson {
  version: number;
  submittedAt: string | null;
  size: string | null;
}

/** `GET /api/papers/{id}` and the items of `GET /api/papers`: the paper object plus Paperboy's extras. */
export interface PaperDetailJson extends PaperJson {
  categories: string[];
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  versions: VersionJson[];
}

/** Drop keys whose value is undefined, so they are absent rather than null. */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function presentAuthors(paper: Pick<Paper, 'id' | 'authors'>): AuthorJson[] {
  return paper.authors.map((name, i) => ({ _id: syntheticId('author', paper.id, String(i)), name, hidden: false }));
}

export function presentSubmitter(name: string): SubmitterJson {
  return { _id: syntheticId('user', name), fullname: name, user: name, type: 'user', name };
}

export function presentOrganization(name: string | null): OrganizationJson | undefined {
  return name ? { _id: syntheticId('organization', name), name, fullname: name } : undefined;
}

/** When the paper was put on the daily list; the list date's midnight when the time is unknown. */
export function submittedOnDailyAt(entry: DailyEntry): string {
  return entry.submittedAt ? isoTime(entry.submittedAt) : `${entry.date}T00:00:00.000Z`;
}

/** The HF paper object. `entry` is the daily-list entry it is shown for, if any. */
export function presentPaper(paper: Paper, entry: DailyEntry | null): PaperJson {
  return compact<PaperJson>({
    id: paper.id,
    authors: presentAuthors(paper),
    publishedAt: paper.publishedAt ? isoTime(paper.publishedAt) : undefined,
    submittedOnDailyAt: entry ? submittedOnDailyAt(entry) : undefined,
    title: paper.title,
    submittedOnDailyBy: entry?.submitter ? presentSubmitter(entry.submitter) : undefined,
    summary: paper.abstract,
    upvotes: paper.upvotes,
    discussionId: syntheticId('discussion', paper.id),
    projectPage: orUndefined(paper.projectPage),
    githubRepo: orUndefined(paper.githubRepo),
    ai_summary: orUndefined(paper.aiSummary),
    ai_keywords: paper.keywords.length > 0 ? paper.keywords : undefined,
    githubStars: orUndefined(paper.githubStars),
    organization: presentOrganization(paper.organization),
  });
}

/** The flat paper object; its daily fields come from the paper's first daily-list entry. */
export function presentPaperDetail(detail: PaperDetail): PaperDetailJson {
  return {
    ...presentPaper(detail, detail.dailyEntries[0] ?? null),
    categories: detail.categories,
    comment: detail.comment,
    journalRef: detail.journalRef,
    doi: detail.doi,
    versions: detail.versions.map((v) => ({ version: v.version, submittedAt: v.submittedAt ? isoTime(v.submittedAt) : null, size: v.size ?? null })),
  };
}
