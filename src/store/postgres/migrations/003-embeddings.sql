-- Sentence-embedding vectors of papers, as SQLite migration 005: one per
-- (paper, embedder), the source of truth for semantic search; vector indexes
-- are caches that catch up with `seq > N`.
--
-- seq comes from change_counters 'embeddings' (see 002), not from a sequence:
-- numbers become visible in commit order, so catching up with `seq > N` misses
-- nothing even with several writers. A re-embedded paper's row gets a new seq.
CREATE TABLE paper_embeddings (
  paper_id    TEXT COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  embedder_id TEXT COLLATE "C" NOT NULL,
  seq         BIGINT NOT NULL UNIQUE,
  text_hash   TEXT NOT NULL,                  -- hash of the text embedded (search/embedder.ts textHash)
  stale       BOOLEAN NOT NULL DEFAULT FALSE, -- the paper's title or abstract changed since
  scale       DOUBLE PRECISION NOT NULL,      -- vector ~= int8 components * scale
  vector      BYTEA NOT NULL,                 -- int8 components
  PRIMARY KEY (paper_id, embedder_id)
);
CREATE INDEX paper_embeddings_embedder_seq ON paper_embeddings (embedder_id, seq);
-- Finding stale vectors reads this small index instead of every row.
CREATE INDEX paper_embeddings_stale ON paper_embeddings (paper_id, embedder_id) WHERE stale;

-- A vector stays searchable until its replacement is written, but is marked for re-embedding.
CREATE FUNCTION paper_embeddings_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE paper_embeddings SET stale = TRUE WHERE paper_id = NEW.id AND NOT stale;
  RETURN NULL;
END $$;

CREATE TRIGGER paper_embeddings_text_changed AFTER UPDATE OF title, abstract ON papers
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
EXECUTE FUNCTION paper_embeddings_mark_stale();
