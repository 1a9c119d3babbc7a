-- Leases: background work that must run once across every process serving
-- one database (embedding new papers, training models) runs only in the
-- process holding its lease. A holder renews it well before it expires; when
-- a holder dies its lease runs out and another process takes it over.
-- expires_at: milliseconds since the epoch.
CREATE TABLE leases (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
