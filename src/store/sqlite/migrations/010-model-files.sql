-- Learned models (search/model/model-file.ts) kept in the database, so every
-- process sharing it can load the current one, whichever process trained it
-- and wherever its data dir is. Files in <data dir>/models/ are a cache.
CREATE TABLE model_files (
  id         TEXT PRIMARY KEY,
  bytes      BLOB NOT NULL,
  created_at TEXT NOT NULL
);
