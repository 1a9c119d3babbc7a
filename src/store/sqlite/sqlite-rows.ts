import type { DailyEntry, Paper } from '../../model.js';
import type { PaperRow } from '../merge.js';

/** A `papers` row as SQLite returns it. */
export interface PaperDbRow {
  id: string;
  version: number | null;
  metadata_origin: 'arxiv' | 'daily-list';
  title: string;
  abstract: string;
  authors: string;
  categories: string;
  published_at: string | null;
  updated_at: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  keywords: string;
  ai_summary: string | null;
  organization: string | null;
  external_upvotes: number;
  local_upvotes: number;
  upvotes: number;
  external_comments: number;
  local_comments: number;
  num_comments: number;
  trending: number;
  created_at: string;
  modified_at: string;
}

export function toPaper(r: PaperDbRow): Paper {
  return {
    id: r.id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    keywords: JSON.parse(r.keywords) as string[],
    aiSummary: r.ai_summary,
    organization: r.organization,
    upvotes: r.upvotes,
    numComments: r.num_comments,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
  };
}

export function toPaperRow(r: PaperDbRow): PaperRow {
  return {
    id: r.id,
    version: r.version,
    origin: r.metadata_origin,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    keywords: JSON.parse(r.keywords) as string[],
    aiSummary: r.ai_summary,
    organization: r.organization,
    externalUpvotes: r.external_upvotes,
    localUpvotes: r.local_upvotes,
    externalComments: r.external_comments,
    localComments: r.local_comments,
  };
}

/** Named parameters for INSERT/UPDATE of a papers row. */
export function toDbParams(row: PaperRow, trending: number, now: string) {
  return {
    id: row.id,
    version: row.version,
    metadata_origin: row.origin,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.stringify(row.authors),
    categories: JSON.stringify(row.categories),
    published_at: row.publishedAt,
    updated_at: row.updatedAt,
    comment: row.comment,
    journal_ref: row.journalRef,
    doi: row.doi,
    github_repo: row.githubRepo,
    github_stars: row.githubStars,
    project_page: row.projectPage,
    keywords: JSON.stringify(row.keywords),
    ai_summary: row.aiSummary,
    organization: row.organization,
    external_upvotes: row.externalUpvotes,
    local_upvotes: row.localUpvotes,
    upvotes: row.externalUpvotes + row.localUpvotes,
    external_comments: row.externalComments,
    local_comments: row.localComments,
    num_comments: row.externalComments + row.localComments,
    trending,
    now,
  };
}

export interface DailyDbRow {
  paper_id: string;
  list_date: string;
  submitted_at: string | null;
  submitter: string | null;
}

export function toDailyEntry(r: DailyDbRow): DailyEntry {
  return { paperId: r.paper_id, date: r.list_date, submittedAt: r.submitted_at, submitter: r.submitter };
}
