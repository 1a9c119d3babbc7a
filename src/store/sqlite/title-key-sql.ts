// The title key of ../title-key.ts as an SQL expression, so that the
// expression index of migration 007 keeps it for every paper, whatever process
// wrote the paper: a lookup is one index seek, O(log n), whatever the title's
// words (an FTS5 phrase query on the title column would read the papers
// containing the phrase, which for a one-word title is a large part of the
// collection).
import { TITLE_KEY_REMOVED } from '../title-key.js';

/**
 * The key of `operand` (an SQL expression) as SQL. Migration 007 indexes
 * titleKeySql('title') verbatim: a lookup must use exactly this text for
 * SQLite to use the index (tested).
 */
export function titleKeySql(operand: string): string {
  let sql = `lower(${operand})`;
  for (const c of TITLE_KEY_REMOVED) sql = `replace(${sql}, char(${c.codePointAt(0)}), '')`;
  return sql;
}

