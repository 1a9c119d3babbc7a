// A `papers` row in the application's terms, for every backend: the columns
// are the same, only how a list column arrives differs (SQLite: JSON text;
// PostgreSQL: JSONB, parsed by the driver), which `list` decodes.
import type { Paper } from '../model.js';
import type { PaperRow } from './merge.js';

/** A `papers` row as a driver returns it; L is how its list columns (authors, categories, keywords) arrive. */
export interface PaperColumns<L> {
  id: string;
  version: number | null;
  metadata_origin: 'arxiv' | 'daily-list';
  title: string;
  abstract: string;
  authors: L;
  categories: L;
  published_at: string | null;
  updated_at: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  keywords: L;
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

/** What a paper and its merge row both carry: the bibliographic fields, list columns decoded by `list`. */
function bibliographicFields<L>(r: PaperColumns<L>, list: (value: L) => string[]) {
  return {
    id: r.id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: list(r.authors),
    categories: list(r.categories),
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    keywords: list(r.keywords),
    aiSummary: r.ai_summary,
    organization: r.organization,
  };
}

export function paperFromColumns<L>(r: PaperColumns<L>, list: (value: L) => string[]): Paper {
  return {
    ...bibliographicFields(r, list),
    upvotes: r.upvotes,
    numComments: r.num_comments,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
  };
}

export function paperRowFromColumns<L>(r: PaperColumns<L>, list: (value: L) => string[]): PaperRow {
  return {
    ...bibliographicFields(r, list),
    origin: r.metadata_origin,
    externalUpvotes: r.external_upvotes,
    localUpvotes: r.local_upvotes,
    externalComments: r.external_comments,
    localComments: r.local_comments,
  };
}

