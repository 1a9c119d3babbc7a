-- Sentence-embedding vectors of papers (src/store/sqlite-embeddings.ts), one per
-- (paper, embedder). This table is the source of truth for semantic search; the
-- in-memory and on-disk vector indexes are caches rebuilt from it.
--
-- seq grows with every write (AUTOINCREMENT never reuses a value, even after the
-- newest row is replaced), so an index that has read up to seq N catches up with
-- `WHERE seq > N`. A re-embedded paper gets a new row and a new seq.
CREATE TABLE paper_embeddings (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  paper_id    TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  embedder_id TEXT NOT NULL,
  text_hash   TEXT NOT NULL,              -- hash of the text embedded (search/embedder.ts textHash)
  stale       INTEGER NOT NULL DEFAULT 0, -- 1: the paper's title or abstract changed since
  scale       REAL NOT NULL,              -- vector ~= int8 components * scale
  vector      BLOB NOT NULL,              -- int8 components
  UNIQUE (paper_id, embedder_id)         -- also serves the cascade and the trigger below
);
-- Finding stale vectors reads this small index instead of every row.
CREATE INDEX paper_embeddings_stale ON paper_embeddings (paper_id, embedder_id) WHERE stale = 1;

-- A vector stays searchable until its replacement is written, but is marked for re-embedding.
CREATE TRIGGER paper_embeddings_text_changed AFTER UPDATE OF title, abstract ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
  UPDATE paper_embeddings SET stale = 1 WHERE paper_id = new.id AND stale = 0;
END;
