-- SQLite migrations 009 and 010 in PostgreSQL's dialect.
-- Leases: background work that must run once across every process serving
-- this database runs only in the process holding its lease (expires_at by
-- the server's clock, so processes on several machines agree).
CREATE TABLE leases (
  name       TEXT COLLATE "C" PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);

-- Learned models (search/model/model-file.ts), so every process can load the
-- current one whichever process trained it; files in a data dir are a cache.
CREATE TABLE model_files (
  id         TEXT COLLATE "C" PRIMARY KEY,
  bytes      BYTEA NOT NULL,
  created_at TEXT NOT NULL
);
