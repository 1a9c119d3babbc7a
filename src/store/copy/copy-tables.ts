// What `paperboy copy` moves from one instance to another: the durable tables,
// each with its columns' portable types, in an order that satisfies the
// foreign keys (papers before what refers to them). Adding a table to the
// product means adding it here; a table missing on either side is skipped and
// reported, so a table one backend has and the other does not yet (model_files)
// is listed already. A side whose table has a column not listed here makes the
// copy stop (column-check.ts): nothing is dropped silently.
//
// Not copied, by design: derived data each backend rebuilds itself (SQLite's
// FTS5 index, search filters and keyword generation, maintained by triggers on
// papers; PostgreSQL's paper change log, written by the copy one entry per
// paper), bookkeeping (schema_migrations, change counters) and leases, which
// belong to the processes running on a database.

/** How a value is carried between backends, converted explicitly at each end (column-values.ts). */
export type ColumnType =
  | 'text'
  | 'integer'
  | 'real'
  /** SQLite: JSON text; PostgreSQL: JSONB. */
  | 'json'
  /** SQLite: BLOB; PostgreSQL: BYTEA. */
  | 'bytes'
  /** SQLite: INTEGER 0 or 1; PostgreSQL: BOOLEAN. */
  | 'boolean';

export interface CopyColumn {
  name: string;
  type: ColumnType;
}

/** Numbered by the target as it writes, from its own counter: not copied, not compared. */
export interface TargetNumberedColumn {
  name: string;
  /** PostgreSQL's change counter that numbers it (SQLite numbers it by AUTOINCREMENT). */
  postgresCounter: 'embeddings';
}

export interface CopyTable {
  name: string;
  /** Unique on both sides; rows are copied, resumed and checksummed in this order. Text keys sort by bytes on both. */
  key: string[];
  /** Copied and compared, in this order; includes the key. */
  columns: CopyColumn[];
  targetNumbered?: TargetNumberedColumn;
  /** Rows left alone on both sides, by their (single-column) key: the copy's own bookkeeping. */
  skipKeys?: string[];
  /** At most this many rows per batch, whatever --batch says (rows that can be megabytes). */
  maxBatch?: number;
  /** Each row is a paper: the target's change log (PostgreSQL) gets an entry per row copied. */
  isPapers?: boolean;
  /** Copy in the order the source stored the rows rather than by key (see ArrivalOrder). */
  arrival?: ArrivalOrder;
}

/**
 * The order a database received rows in, which the product can see, so a copy
 * keeps it. 'papers': keyword search breaks ties of score newest paper first,
 * and at scale scores only the newest matches, by the order papers entered its
 * index: SQLite's rowid, or on PostgreSQL the paper's first entry in the change
 * log (each process's local index is filled in that order). 'seq': the column
 * vector indexes catch up by.
 */
export type ArrivalOrder = 'papers' | 'seq';

/** The app_state key where a target records how far a copy into it has come (copy-progress.ts). */
export const COPY_PROGRESS_KEY = 'copy:progress';

const text = (name: string): CopyColumn => ({ name, type: 'text' });
const integer = (name: string): CopyColumn => ({ name, type: 'integer' });

export const COPY_TABLES: readonly CopyTable[] = [
  {
    name: 'papers',
    key: ['id'],
    isPapers: true,
    arrival: 'papers',
    columns: [
      text('id'),
      integer('version'),
      text('metadata_origin'),
      text('title'),
      text('abstract'),
      { name: 'authors', type: 'json' },
      { name: 'categories', type: 'json' },
      text('published_at'),
      text('updated_at'),
      text('comment'),
      text('journal_ref'),
      text('doi'),
      text('github_repo'),
      integer('github_stars'),
      text('project_page'),
      { name: 'keywords', type: 'json' },
      text('ai_summary'),
      text('organization'),
      integer('external_upvotes'),
      integer('local_upvotes'),
      integer('upvotes'),
      integer('external_comments'),
      integer('local_comments'),
      integer('num_comments'),
      { name: 'trending', type: 'real' },
      text('created_at'),
      text('modified_at'),
    ],
  },
  {
    name: 'paper_versions',
    key: ['paper_id', 'version'],
    columns: [text('paper_id'), integer('version'), text('submitted_at'), text('size')],
  },
  {
    name: 'paper_categories',
    key: ['paper_id', 'category'],
    columns: [text('paper_id'), integer('position'), text('category')],
  },
  {
    name: 'daily_entries',
    key: ['paper_id', 'list_date'],
    columns: [text('paper_id'), text('list_date'), text('submitted_at'), text('submitter')],
  },
  {
    name: 'app_state',
    key: ['key'],
    skipKeys: [COPY_PROGRESS_KEY],
    columns: [text('key'), text('value')],
  },
  {
    name: 'paper_embeddings',
    key: ['paper_id', 'embedder_id'],
    // seq is where vector indexes catch up from: each backend numbers its own writes (in commit order on PostgreSQL).
    targetNumbered: { name: 'seq', postgresCounter: 'embeddings' },
    arrival: 'seq',
    columns: [text('paper_id'), text('embedder_id'), text('text_hash'), { name: 'stale', type: 'boolean' }, { name: 'scale', type: 'real' }, { name: 'vector', type: 'bytes' }],
  },
  {
    // SQLite migration 010 on main; PostgreSQL has no such table yet. A model file is tens of megabytes.
    name: 'model_files',
    key: ['id'],
    maxBatch: 1,
    columns: [text('id'), { name: 'bytes', type: 'bytes' }, text('created_at')],
  },
];

/**
 * Tables that exist on a side and are deliberately not copied (anything else
 * unknown is reported, so a table added later is not forgotten quietly).
 */
export const NOT_COPIED: Readonly<Record<string, string>> = {
  leases: 'held by running processes',
  schema_migrations: 'each side migrates itself',
  change_counters: 'PostgreSQL change numbering',
  paper_changes: 'PostgreSQL change log, written by the copy',
  change_log_identity: 'PostgreSQL change log identity',
  keyword_generation: 'SQLite keyword-search bookkeeping',
  paper_search_filters: 'SQLite search index, kept by triggers',
  papers_fts_pending: 'SQLite search index, kept by triggers',
  sqlite_sequence: 'SQLite bookkeeping',
};

/** SQLite's FTS5 shadow tables (papers_fts_data, papers_prefix_idx...) belong to the index. */
export function isDerivedSqliteTable(name: string): boolean {
  return /^papers_(fts|prefix)(_\w+)?$/.test(name);
}

/** Rows per batch for this table under --batch N. */
export function batchSizeFor(table: CopyTable, requested: number): number {
  return Math.max(1, Math.min(requested, table.maxBatch ?? requested));
}
