import type { DailyEntry, Paper } from '../../model.js';
import type { PaperRow } from '../merge.js';
import { paperFromColumns, paperRowFromColumns, type PaperColumns } from '../paper-columns.js';

/** A `papers` row as SQLite returns it: list columns as JSON text. */
export type PaperDbRow = PaperColumns<string>;

const parseList = (json: string) => JSON.parse(json) as string[];

export const toPaper = (r: PaperDbRow): Paper => paperFromColumns(r, parseList);

export const toPaperRow = (r: PaperDbRow): PaperRow => paperRowFromColumns(r, parseList);
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
