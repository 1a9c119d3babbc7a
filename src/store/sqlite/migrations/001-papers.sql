-- Papers keyed by bare arXiv id; versions, categories and daily-list entries beside them.
CREATE TABLE papers (
  id                TEXT PRIMARY KEY,
  version           INTEGER,
  title             TEXT NOT NULL,
  abstract          TEXT NOT NULL,
  authors           TEXT NOT NULL,              -- JSON array of names, in order
  categories        TEXT NOT NULL DEFAULT '[]', -- JSON array, primary first
  published_at      TEXT,
  updated_at        TEXT,
  comment           TEXT,
  journal_ref       TEXT,
  doi               TEXT,
  github_repo       TEXT,
  github_stars      INTEGER,
  project_page      TEXT,
  keywords          TEXT NOT NULL DEFAULT '[]', -- JSON array
  ai_summary        TEXT,
  organization      TEXT,
  external_upvotes  INTEGER NOT NULL DEFAULT 0,  -- snapshot from an import
  local_upvotes     INTEGER NOT NULL DEFAULT 0,  -- votes cast here
  upvotes           INTEGER NOT NULL DEFAULT 0,  -- external + local, what lists sort by
  external_comments INTEGER NOT NULL DEFAULT 0,
  local_comments    INTEGER NOT NULL DEFAULT 0,
  num_comments      INTEGER NOT NULL DEFAULT 0,
  trending          REAL NOT NULL DEFAULT 0,     -- rank/trending.ts, stored so lists are one ORDER BY
  created_at        TEXT NOT NULL,
  modified_at       TEXT NOT NULL
);
CREATE INDEX papers_published ON papers (published_at);

CREATE TABLE paper_versions (
  paper_id     TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  submitted_at TEXT,
  size         TEXT,
  PRIMARY KEY (paper_id, version)
) WITHOUT ROWID;

CREATE TABLE paper_categories (
  paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  category TEXT NOT NULL,
  PRIMARY KEY (paper_id, category)
) WITHOUT ROWID;
CREATE INDEX paper_categories_category ON paper_categories (category, paper_id);

CREATE TABLE daily_entries (
  paper_id     TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  list_date    TEXT NOT NULL,  -- YYYY-MM-DD, the daily list's date
  submitted_at TEXT,
  submitter    TEXT,           -- NULL: put there by an importer
  PRIMARY KEY (paper_id, list_date)
) WITHOUT ROWID;
CREATE INDEX daily_entries_date ON daily_entries (list_date, paper_id);
CREATE INDEX daily_entries_submitter ON daily_entries (submitter, list_date);

CREATE TABLE app_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
