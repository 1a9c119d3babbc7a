-- What each web process's local search index catches up from (the search
-- design of issue 10: a derived SQLite index per process, fed by this log).
--
-- Sequence numbers must become visible in commit order, with no holes filled
-- later: a reader that has seen seq N must never afterwards see a committed
-- seq below N, or it would skip that change for ever. A bigserial does not
-- give that (values are taken at INSERT and transactions commit in any
-- order). So every writing transaction takes its numbers from a counter row,
-- just before it commits (src/store/postgres/change-log.ts): the row stays
-- locked until the commit, so the next writer gets the following numbers only
-- once this one is visible. Writers are serialised only for that last moment.
CREATE TABLE change_counters (
  name TEXT COLLATE "C" PRIMARY KEY, -- 'papers' (paper_changes) or 'embeddings' (paper_embeddings.seq)
  last BIGINT NOT NULL
);
INSERT INTO change_counters (name, last) VALUES ('papers', 0), ('embeddings', 0);

-- One row per paper a transaction inserted or changed (its row, versions,
-- categories or daily entries). Readers re-read the paper itself: the log says
-- which, not what.
CREATE TABLE paper_changes (
  seq      BIGINT PRIMARY KEY,
  paper_id TEXT COLLATE "C" NOT NULL
);

-- Which log this is. A local index remembers the id of the log it follows, and
-- starts over when it meets another (a new database behind the same URL).
CREATE TABLE change_log_identity (id TEXT NOT NULL);
INSERT INTO change_log_identity (id) VALUES (gen_random_uuid()::text);
