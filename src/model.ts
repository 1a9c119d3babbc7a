/**
 * The normalised records every importer produces and every store accepts,
 * and the read models the store returns. Pure types: no I/O here.
 */

export type MetadataOrigin = 'arxiv' | 'daily-list';

/** One arXiv version of a paper (v1, v2, ...). */
export interface PaperVersion {
  version: number;
  /** ISO 8601 time the version was submitted, when known. */
  submittedAt: string | null;
  /** Size as arXiv reports it, e.g. "199kb". */
  size?: string | null;
}

/**
 * A paper as an importer or harvester saw it. Fields an importer does not
 * know are null/undefined and never overwrite what the store already has.
 */
export interface PaperRecord {
  /** Bare arXiv id without version: "2405.15738" or "hep-th/9901001". */
  id: string;
  /** The newest version this record describes, when the source says. */
  version?: number | null;
  /**
   * Where the bibliographic fields come from. arXiv's own metadata (the
   * default) is preferred over a daily-list capture, whose text may be
   * edited (LaTeX stripped, authors reordered).
   */
  origin?: MetadataOrigin;
  title: string;
  abstract: string;
  /** Author display names, in order. */
  authors: string[];
  /** arXiv categories, primary first. */
  categories?: string[];
  /** ISO time of the first version (arXiv "published"). */
  publishedAt?: string | null;
  /** ISO time of the newest version (arXiv "updated"). */
  updatedAt?: string | null;
  comment?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  githubRepo?: string | null;
  githubStars?: number | null;
  projectPage?: string | null;
  keywords?: string[] | null;
  aiSummary?: string | null;
  /** Organisation that published the paper on Hugging Face, e.g. "Google". */
  organization?: string | null;
  versions?: PaperVersion[];
}

/** A paper was put on the daily list of `date` (the list date, not the arXiv date). */
export interface DailyEntryRecord {
  /** YYYY-MM-DD */
  date: string;
  /** ISO time it was submitted to the daily list, when known. */
  submittedAt?: string | null;
  /** Who put it there; null means the importer. */
  submitter?: string | null;
}

/** Community counters captured from an external source (e.g. Hugging Face). */
export interface CommunitySnapshot {
  upvotes: number;
  numComments: number;
}

/** What one record of any input format becomes. */
export interface ImportItem {
  paper: PaperRecord;
  daily?: DailyEntryRecord | null;
  community?: CommunitySnapshot | null;
}

/** A paper as stored, with everything a page or the API shows. */
export interface Paper {
  id: string;
  version: number | null;
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
  /** Upvotes: imported snapshot plus local votes. */
  upvotes: number;
  numComments: number;
  /** ISO time the row was first stored / last changed here. */
  createdAt: string;
  modifiedAt: string;
}

export interface DailyEntry {
  paperId: string;
  date: string;
  submittedAt: string | null;
  submitter: string | null;
}

/** The full record for a paper page. */
export interface PaperDetail extends Paper {
  versions: PaperVersion[];
  dailyEntries: DailyEntry[];
}

/** One card on a daily / weekly / monthly list. */
export interface DailyListItem {
  paper: Paper;
  entry: DailyEntry;
}
