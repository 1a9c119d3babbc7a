-- Keyword search sorted by a paper field, and exact-title lookups
-- (src/store/sqlite-keyword.ts). On 1M papers this migration took 32 s
-- (12, 6 and 14 s per index, 2 busy cores) and added 157 MB to a 3 GB file.
--
-- A keyword search sorted by newest or upvotes that matches many papers walks
-- the papers in that order and tests each against the query, stopping at the
-- page's last match, instead of reading every match: these indexes give the
-- order, ties broken as the search breaks them (newest, then id).
CREATE INDEX papers_newest ON papers (published_at DESC, id);
CREATE INDEX papers_upvotes ON papers (upvotes DESC, published_at DESC, id);

-- A pasted title is found by its key (src/store/sqlite/title-key-sql.ts titleKeySql: the
-- title lower-cased, without spacing and punctuation) in one index seek. The
-- expression must stay exactly the one titleKeySql('title') writes, or SQLite
-- will not use the index (sqlite-store.test.ts checks the query plan).
CREATE INDEX papers_title_key ON papers (replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(lower(title), char(32), ''), char(9), ''), char(10), ''), char(13), ''), char(33), ''), char(34), ''), char(35), ''), char(36), ''), char(37), ''), char(38), ''), char(39), ''), char(40), ''), char(41), ''), char(42), ''), char(43), ''), char(44), ''), char(45), ''), char(46), ''), char(47), ''), char(58), ''), char(59), ''), char(60), ''), char(61), ''), char(62), ''), char(63), ''), char(64), ''), char(91), ''), char(92), ''), char(93), ''), char(94), ''), char(95), ''), char(96), ''), char(123), ''), char(124), ''), char(125), ''), char(126), ''), char(160), ''), char(8208), ''), char(8209), ''), char(8210), ''), char(8211), ''), char(8212), ''), char(8213), ''), char(8216), ''), char(8217), ''), char(8220), ''), char(8221), ''), char(8230), ''));
