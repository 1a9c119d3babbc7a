-- Keyword search (src/store/sqlite-keyword.ts). Two external-content FTS5 indexes
-- over papers, keyed by papers.rowid (VACUUM keeps those for this table; after
-- any bulk surgery on papers, run INSERT INTO papers_fts(papers_fts) VALUES('rebuild')
-- and the same for papers_prefix). Authors are the stored JSON array text: the
-- tokenizer drops its brackets, quotes and commas, so names are plain words.

-- Main index: stemmed, diacritics folded ("networks" finds "network", "Muller" finds "Müller").
CREATE VIRTUAL TABLE papers_fts USING fts5(
  title, abstract, authors,
  content = 'papers', content_rowid = 'rowid',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Search-as-you-type: porter stems a half-typed word too ("learnin" -> "learnin"
-- while the index holds "learn"), so prefixes of unfinished words are looked up
-- in this unstemmed index with prefix tables for 2 and 3 characters. Title and
-- authors only: it stays small (about 45% of papers_fts).
CREATE VIRTUAL TABLE papers_prefix USING fts5(
  title, authors,
  content = 'papers', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

-- Writes are queued, not indexed row by row: FTS5 flushes its pending terms to a
-- new segment at every statement savepoint, and the store's per-paper statements
-- open one each, so row-by-row indexing made a 10k-paper import 2x slower.
-- SqliteStore.flushKeywordIndex() indexes the queue in one statement before each
-- write transaction commits. A queued row has nothing in the index yet, so it
-- must not be 'delete'd from it (that would corrupt an external-content index).
CREATE TABLE papers_fts_pending (paper_rowid INTEGER PRIMARY KEY);

CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
  INSERT OR IGNORE INTO papers_fts_pending (paper_rowid) VALUES (new.rowid);
END;

-- An external-content delete must be given the exact text that was indexed: the old row.
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors)
    SELECT 'delete', old.rowid, old.title, old.abstract, old.authors
    WHERE NOT EXISTS (SELECT 1 FROM papers_fts_pending WHERE paper_rowid = old.rowid);
  INSERT INTO papers_prefix (papers_prefix, rowid, title, authors)
    SELECT 'delete', old.rowid, old.title, old.authors
    WHERE NOT EXISTS (SELECT 1 FROM papers_fts_pending WHERE paper_rowid = old.rowid);
  DELETE FROM papers_fts_pending WHERE paper_rowid = old.rowid;
END;

-- The store rewrites every column on each merge; only re-index when the indexed text changed.
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors)
    SELECT 'delete', old.rowid, old.title, old.abstract, old.authors
    WHERE NOT EXISTS (SELECT 1 FROM papers_fts_pending WHERE paper_rowid = old.rowid);
  INSERT INTO papers_prefix (papers_prefix, rowid, title, authors)
    SELECT 'delete', old.rowid, old.title, old.authors
    WHERE NOT EXISTS (SELECT 1 FROM papers_fts_pending WHERE paper_rowid = old.rowid);
  INSERT OR IGNORE INTO papers_fts_pending (paper_rowid) VALUES (new.rowid);
END;

-- What search filters read, keyed like the FTS rows: checking a filter for each
-- match here costs a fraction of reading the wide papers row (measured 5-15x
-- faster on 1M papers). categories is the lower-cased JSON array, so a category
-- test is instr(categories, '"cs.cv"') and an archive test instr(categories, '"cs.').
CREATE TABLE paper_search_filters (
  paper_rowid  INTEGER PRIMARY KEY,
  published_at TEXT,
  has_code     INTEGER NOT NULL,
  categories   TEXT NOT NULL
);
CREATE INDEX paper_search_filters_published ON paper_search_filters (published_at);

CREATE TRIGGER paper_search_filters_insert AFTER INSERT ON papers BEGIN
  INSERT OR REPLACE INTO paper_search_filters (paper_rowid, published_at, has_code, categories)
  VALUES (new.rowid, new.published_at, coalesce(new.github_repo, '') <> '', lower(new.categories));
END;

CREATE TRIGGER paper_search_filters_update AFTER UPDATE OF published_at, github_repo, categories ON papers
WHEN old.published_at IS NOT new.published_at OR old.github_repo IS NOT new.github_repo OR old.categories IS NOT new.categories BEGIN
  UPDATE paper_search_filters
  SET published_at = new.published_at, has_code = coalesce(new.github_repo, '') <> '', categories = lower(new.categories)
  WHERE paper_rowid = new.rowid;
END;

CREATE TRIGGER paper_search_filters_delete AFTER DELETE ON papers BEGIN
  DELETE FROM paper_search_filters WHERE paper_rowid = old.rowid;
END;

-- Index the papers already stored.
INSERT INTO paper_search_filters (paper_rowid, published_at, has_code, categories)
  SELECT rowid, published_at, coalesce(github_repo, '') <> '', lower(categories) FROM papers;
INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');
INSERT INTO papers_prefix (papers_prefix) VALUES ('rebuild');
