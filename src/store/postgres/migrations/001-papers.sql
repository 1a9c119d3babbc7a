-- The schema of the SQLite migrations 001-003 and 007 (src/store/migrations/sqlite/)
-- in PostgreSQL's dialect. Not mirrored: the FTS5 keyword index and what serves
-- only it (004, 006, 008, and 007's newest/upvotes/title-key indexes): each web
-- process keeps that index locally and catches up through the change log (002).
--
-- Text that is sorted or compared (ids, dates, categories) is COLLATE "C":
-- byte order, as SQLite compares, whatever the database's locale, so lists and
-- keyset cursors come out in the same order on both backends. Times stay ISO
-- 8601 text, as on SQLite: they sort correctly and read back unchanged.
CREATE TABLE papers (
  id                TEXT COLLATE "C" PRIMARY KEY,
  version           INTEGER,
  metadata_origin   TEXT NOT NULL DEFAULT 'arxiv', -- 'arxiv' or 'daily-list'
  title             TEXT NOT NULL,
  abstract          TEXT NOT NULL,
  authors           JSONB NOT NULL,                -- array of names, in order
  categories        JSONB NOT NULL DEFAULT '[]',   -- array, primary first
  published_at      TEXT COLLATE "C",
  updated_at        TEXT COLLATE "C",
  comment           TEXT,
  journal_ref       TEXT,
  doi               TEXT,
  github_repo       TEXT,
  github_stars      INTEGER,
  project_page      TEXT,
  keywords          JSONB NOT NULL DEFAULT '[]',
  ai_summary        TEXT,
  organization      TEXT,
  external_upvotes  INTEGER NOT NULL DEFAULT 0,  -- snapshot from an import
  local_upvotes     INTEGER NOT NULL DEFAULT 0,  -- votes cast here
  upvotes           INTEGER NOT NULL DEFAULT 0,  -- external + local, what lists sort by
  external_comments INTEGER NOT NULL DEFAULT 0,
  local_comments    INTEGER NOT NULL DEFAULT 0,
  num_comments      INTEGER NOT NULL DEFAULT 0,
  trending          DOUBLE PRECISION NOT NULL DEFAULT 0, -- rank/trending.ts, stored so lists are one ORDER BY
  created_at        TEXT NOT NULL,
  modified_at       TEXT NOT NULL
);
CREATE INDEX papers_published ON papers (published_at);
-- Covering index so list ordering reads ranks without touching the wide paper rows.
CREATE INDEX papers_rank ON papers (id) INCLUDE (upvotes, trending, published_at);

CREATE TABLE paper_versions (
  paper_id     TEXT COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  submitted_at TEXT,
  size         TEXT,
  PRIMARY KEY (paper_id, version)
);

CREATE TABLE paper_categories (
  paper_id TEXT COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  category TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (paper_id, category)
);
CREATE INDEX paper_categories_category ON paper_categories (category, paper_id);

CREATE TABLE daily_entries (
  paper_id     TEXT COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  list_date    TEXT COLLATE "C" NOT NULL, -- YYYY-MM-DD, the daily list's date
  submitted_at TEXT COLLATE "C",
  submitter    TEXT COLLATE "C",          -- NULL: put there by an importer
  PRIMARY KEY (paper_id, list_date)
);
CREATE INDEX daily_entries_date ON daily_entries (list_date, paper_id);
CREATE INDEX daily_entries_submitter ON daily_entries (submitter, list_date);

CREATE TABLE app_state (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);
