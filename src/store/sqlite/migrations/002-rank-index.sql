-- Covering index so list ordering reads ranks without touching the wide paper rows.
CREATE INDEX papers_rank ON papers (id, upvotes, trending, published_at);
