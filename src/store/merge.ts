import type { CommunitySnapshot, DailyEntry, DailyEntryRecord, MetadataOrigin, PaperRecord, PaperVersion } from '../model.js';
import { trendingScore } from '../rank/trending.js';

/** The stored columns of a paper that imports can change, in plain form. */
export interface PaperRow {
  id: string;
  version: number | null;
  origin: MetadataOrigin;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  publishedAt: string | null;
  updatedAt: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  keywords: string[];
  aiSummary: string | null;
  organization: string | null;
  externalUpvotes: number;
  localUpvotes: number;
  externalComments: number;
  localComments: number;
}

/** arXiv metadata with a version > arXiv metadata without one > a daily-list capture. */
function authority(origin: MetadataOrigin, version: number | null | undefined): number {
  if (origin === 'daily-list') return 0;
  return version == null ? 1 : 2;
}

/**
 * Does this record describe the paper at least as authoritatively as what is
 * stored? One that does not (an older version, a daily-list capture over
 * arXiv's metadata) only fills gaps in the bibliographic fields.
 */
function isAuthoritative(stored: PaperRow, incoming: PaperRecord): boolean {
  const a = authority(incoming.origin ?? 'arxiv', incoming.version);
  const b = authority(stored.origin, stored.version);
  if (a !== b) return a > b;
  if (a === 2) return (incoming.version as number) >= (stored.version as number);
  return true;
}

function pick<T>(authoritative: boolean, stored: T | null, incoming: T | null | undefined): T | null {
  if (incoming == null) return stored;
  if (stored == null) return incoming;
  return authoritative ? incoming : stored;
}

function pickList(authoritative: boolean, stored: string[], incoming: string[] | null | undefined): string[] {
  if (!incoming || incoming.length === 0) return stored;
  if (stored.length === 0) return incoming;
  return authoritative ? incoming : stored;
}

export function newRow(record: PaperRecord, community: CommunitySnapshot | null | undefined): PaperRow {
  return {
    id: record.id,
    version: record.version ?? null,
    origin: record.origin ?? 'arxiv',
    title: record.title,
    abstract: record.abstract,
    authors: record.authors,
    categories: record.categories ?? [],
    publishedAt: record.publishedAt ?? null,
    updatedAt: record.updatedAt ?? null,
    comment: record.comment ?? null,
    journalRef: record.journalRef ?? null,
    doi: record.doi ?? null,
    githubRepo: record.githubRepo ?? null,
    githubStars: record.githubStars ?? null,
    projectPage: record.projectPage ?? null,
    keywords: record.keywords ?? [],
    aiSummary: record.aiSummary ?? null,
    organization: record.organization ?? null,
    externalUpvotes: community?.upvotes ?? 0,
    localUpvotes: 0,
    externalComments: community?.numComments ?? 0,
    localComments: 0,
  };
}

/**
 * Merge an incoming record into the stored row. Never lowers the version or a
 * counter; keeps local votes and comments. `communityIsCurrent` says whether
 * the record's community fields (code link, keywords, ...) are at least as
 * recent as the stored ones — e.g. it comes from the paper's latest daily
 * list — so that two captures of one paper never overwrite each other back
 * and forth on re-import.
 */
export function mergeRow(stored: PaperRow, record: PaperRecord, community: CommunitySnapshot | null | undefined, communityIsCurrent = true): PaperRow {
  const auth = isAuthoritative(stored, record);
  const cur = communityIsCurrent;
  return {
    ...stored,
    version: Math.max(stored.version ?? 0, record.version ?? 0) || null,
    origin: auth && (record.origin ?? 'arxiv') === 'arxiv' ? 'arxiv' : stored.origin,
    title: pick(auth, stored.title, record.title || null) ?? stored.title,
    abstract: pick(auth, stored.abstract, record.abstract || null) ?? stored.abstract,
    authors: pickList(auth, stored.authors, record.authors),
    categories: pickList(auth, stored.categories, record.categories),
    publishedAt: pick(auth, stored.publishedAt, record.publishedAt),
    updatedAt: pick(auth, stored.updatedAt, record.updatedAt),
    comment: pick(auth, stored.comment, record.comment),
    journalRef: pick(auth, stored.journalRef, record.journalRef),
    doi: pick(auth, stored.doi, record.doi),
    githubRepo: pick(cur, stored.githubRepo, record.githubRepo),
    githubStars: pick(cur, stored.githubStars, record.githubStars),
    projectPage: pick(cur, stored.projectPage, record.projectPage),
    keywords: pickList(cur, stored.keywords, record.keywords),
    aiSummary: pick(cur, stored.aiSummary, record.aiSummary),
    organization: pick(cur, stored.organization, record.organization),
    // Snapshots only grow, so importing an older capture after a newer one changes nothing.
    externalUpvotes: Math.max(stored.externalUpvotes, community?.upvotes ?? 0),
    externalComments: Math.max(stored.externalComments, community?.numComments ?? 0),
  };
}

export function rowsEqual(a: PaperRow, b: PaperRow): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Versions known after merging; earlier knowledge of a submission time is kept. */
export function mergeVersions(stored: PaperVersion[], incoming: PaperVersion[] | undefined): PaperVersion[] {
  const byNumber = new Map(stored.map((v) => [v.version, { ...v }]));
  for (const v of incoming ?? []) {
    const old = byNumber.get(v.version);
    if (!old) byNumber.set(v.version, { version: v.version, submittedAt: v.submittedAt ?? null, size: v.size ?? null });
    else byNumber.set(v.version, { version: v.version, submittedAt: old.submittedAt ?? v.submittedAt ?? null, size: old.size ?? v.size ?? null });
  }
  return [...byNumber.values()].sort((x, y) => x.version - y.version);
}

export function mergeDailyEntry(stored: DailyEntry | null, paperId: string, incoming: DailyEntryRecord): DailyEntry {
  return {
    paperId,
    date: incoming.date,
    submittedAt: stored?.submittedAt ?? incoming.submittedAt ?? null,
    submitter: stored?.submitter ?? incoming.submitter ?? null,
  };
}

/** The time trending counts from: the first daily-list submission, else the arXiv date. */
export function trendingFor(row: PaperRow, firstListedAt: string | null): number {
  const at = firstListedAt ?? row.publishedAt;
  const ms = at ? Date.parse(at) : NaN;
  return trendingScore(row.externalUpvotes + row.localUpvotes, Number.isNaN(ms) ? 0 : ms);
}
