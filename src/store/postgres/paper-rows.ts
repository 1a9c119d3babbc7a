// Rows as node-postgres returns them (JSONB arrays arrive parsed), in the application's terms.
import type { DailyEntry, Paper, PaperVersion } from '../../model.js';
import type { PaperRow } from '../merge.js';

export interface PgPaperRow {
  id: string;
  version: number | null;
  metadata_origin: 'arxiv' | 'daily-list';
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  published_at: string | null;
  updated_at: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  keywords: string[];
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

export function toPaper(r: PgPaperRow): Paper {
  return {
    id: r.id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: r.authors,
    categories: r.categories,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    keywords: r.keywords,
    aiSummary: r.ai_summary,
    organization: r.organization,
    upvotes: r.upvotes,
    numComments: r.num_comments,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
  };
}

export function toPaperRow(r: PgPaperRow): PaperRow {
  return {
    id: r.id,
    version: r.version,
    origin: r.metadata_origin,
    title: r.title,
    abstract: r.abstract,
    authors: r.authors,
    categories: r.categories,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    keywords: r.keywords,
    aiSummary: r.ai_summary,
    organization: r.organization,
    externalUpvotes: r.external_upvotes,
    localUpvotes: r.local_upvotes,
    externalComments: r.external_comments,
    localComments: r.local_comments,
  };
}

export interface PgDailyRow {
  paper_id: string;
  list_date: string;
  submitted_at: string | null;
  submitter: string | null;
}

export function toDailyEntry(r: PgDailyRow): DailyEntry {
  return { paperId: r.paper_id, date: r.list_date, submittedAt: r.submitted_at, submitter: r.submitter };
}

export interface PgVersionRow {
  paper_id: string;
  version: number;
  submitted_at: string | null;
  size: string | null;
}

export function toVersion(r: PgVersionRow): PaperVersion {
  return { version: r.version, submittedAt: r.submitted_at, size: r.size };
}
