-- Which kind of source the bibliographic fields came from: 'arxiv' or 'daily-list'.
ALTER TABLE papers ADD COLUMN metadata_origin TEXT NOT NULL DEFAULT 'arxiv';
