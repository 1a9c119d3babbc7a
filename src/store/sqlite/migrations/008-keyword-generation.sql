-- A number that changes whenever what keyword search matches or filters on
-- may have changed: a paper added or deleted, or its title, abstract,
-- authors, publication date, code link or categories changed (not its
-- upvotes or comments). sqlite-keyword.ts remembers the number of matches of
-- a query (counting every match of a common word in a million papers takes
-- tens of milliseconds) for as long as it stays the same: the remembered
-- counts are then exact. Every writer, in any process, updates it in the
-- transaction that changes the papers.
CREATE TABLE keyword_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO keyword_generation (id, n) VALUES (1, 0);

CREATE TRIGGER keyword_generation_insert AFTER INSERT ON papers BEGIN
  UPDATE keyword_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER keyword_generation_delete AFTER DELETE ON papers BEGIN
  UPDATE keyword_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER keyword_generation_update AFTER UPDATE OF title, abstract, authors, published_at, github_repo, categories ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
  OR old.published_at IS NOT new.published_at OR old.github_repo IS NOT new.github_repo OR old.categories IS NOT new.categories BEGIN
  UPDATE keyword_generation SET n = n + 1 WHERE id = 1;
END;
