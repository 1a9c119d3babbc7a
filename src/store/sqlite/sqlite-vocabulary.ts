// The keyword index's own words, for spelling suggestions (search/spelling.ts),
// read without a migration.
//
// Title words come from papers_prefix (006): unstemmed, diacritics folded,
// so its terms are words as people type them ("transformers", not the stem
// "transform"). A TEMP fts5vocab table over it is created on each connection
// at first use; temp objects belong to the connection, so nothing is written to
// the database file and a read-only connection works too. Reading the
// vocabulary walks the whole index: 0.3 s for 60k papers, 2.8-3.8 s for an
// index of 1M titles (418k title words in 2+ papers), so do it in a worker.
//
// Whether a word is known asks papers_fts itself, with the word as an FTS5
// string: FTS5's own tokenizer folds and Porter-stems it, so this is the
// keyword search's rule and not a second copy of it. The test checks that it
// agrees with the index's vocabulary looked up by text-match.ts's stemOf.
// Counting stops at `limit`: fts5vocab (or count(*)) reads the word's whole
// posting list (9 ms for "model" in 55k of 60k papers), a LIMIT 1 match only
// its first entry.
import type Database from 'better-sqlite3';
import type { VocabularyEntry } from '../../search/spelling.js';
import { tokenize } from '../../search/text-match.js';

/** Title words in fewer papers are left out of the vocabulary: a word in one title is as likely a typo as a word. */
export const MIN_TITLE_PAPERS = 2;

const TITLE_VOCAB = 'temp.paperboy_title_vocab';
const withTitleVocab = new WeakSet<Database.Database>();
const countStatements = new WeakMap<Database.Database, Database.Statement<[string, number]>>();

/**
 * The words of the papers' titles with the number of papers whose title holds
 * each, for words in at least `minPapers` papers, as the keyword index stores
 * them (lower case, without diacritics; numbers included).
 */
export function readTitleVocabulary(db: Database.Database, minPapers = MIN_TITLE_PAPERS): VocabularyEntry[] {
  if (!withTitleVocab.has(db)) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${TITLE_VOCAB} USING fts5vocab(main, papers_prefix, 'col')`);
    withTitleVocab.add(db);
  }
  const rows = db
    .prepare(`SELECT term, doc FROM ${TITLE_VOCAB} WHERE col = 'title' AND doc >= ?`)
    .raw()
    .all(minPapers) as [string, number][];
  return rows;
}

/**
 * How many papers hold `word` in their title, abstract or authors as keyword
 * search matches it (folded and Porter-stemmed: "Transformers" counts papers
 * with "transformer"), counting at most `limit` of them. A word that
 * tokenizes to several ("GPT-4") counts papers holding them in a row; one
 * with no letter or digit counts none.
 */
export function indexedWordPapers(db: Database.Database, word: string, limit = 1): number {
  if (tokenize(word).length === 0 || limit <= 0) return 0;
  let statement = countStatements.get(db);
  if (statement === undefined) {
    statement = db.prepare<[string, number]>('SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)').pluck();
    countStatements.set(db, statement);
  }
  // An FTS5 string: any text between double quotes, a quote written twice.
  return statement.get(`"${word.replaceAll('"', '""')}"`, Number.isFinite(limit) ? limit : -1) as number;
}

/** Whether the keyword index holds `word` in any paper (see indexedWordPapers): the isKnown of correctQuery. */
export function isIndexedWord(db: Database.Database, word: string): boolean {
  return indexedWordPapers(db, word, 1) > 0;
}
