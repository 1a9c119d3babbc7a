import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildPaper } from '../../../test/support/build.js';
import { importFiles } from '../../ingest/import-files.js';
import { correctQuery, SpellingIndex } from '../../search/spelling.js';
import { fold, stemOf, tokenize } from '../../search/text-match.js';
import { SqliteStore } from './sqlite-store.js';
import { indexedWordPapers, isIndexedWord, readTitleVocabulary } from './sqlite-vocabulary.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-vocabulary-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function fresh(): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `vocabulary-${++n}.db`));
  await store.migrate();
  return store;
}
const SAMPLE = join(import.meta.dirname, '../../../test/fixtures/hf-daily/papers-sample.jsonl.gz');

test('readTitleVocabulary: title words as typed, with their papers, in at least 2 papers', async () => {
  const store = await fresh();
  await store.upsertItems([
    { paper: buildPaper({ title: 'Diffusion Transformers for Video', abstract: 'Spatiotemporal attention.', authors: ['Ada Lovelace'] }) },
    { paper: buildPaper({ title: 'Diffusion models for video in 2024 by Muller', authors: ['Ada Lovelace'] }) },
    { paper: buildPaper({ title: 'Müller transformers, MULLER diffusion 2024', authors: ['Jürgen Müller'] }) },
  ]);
  const vocabulary = new Map(readTitleVocabulary(store.db));
  assert.deepEqual(Object.fromEntries([...vocabulary].sort()), {
    '2024': 2,
    diffusion: 3,
    for: 2,
    muller: 2,
    transformers: 2,
    video: 2,
  });
  // Unstemmed surface forms, no abstract or author words, no prefix-index entries ("di", "dif").
  assert.equal(new Map(readTitleVocabulary(store.db, 1)).get('transformers'), 2);
  assert.equal(new Map(readTitleVocabulary(store.db, 1)).get('models'), 1);
  for (const w of ['transform', 'spatiotemporal', 'lovelace', 'ada', 'di', 'dif', 'vid']) assert.equal(new Map(readTitleVocabulary(store.db, 1)).has(w), false, w);

  // The temp table reads the index as it is now.
  await store.upsertItems([{ paper: buildPaper({ title: 'Video transformers' }) }]);
  assert.equal(new Map(readTitleVocabulary(store.db)).get('transformers'), 3);
  await store.close();
});

test('readTitleVocabulary: works on a read-only connection and writes nothing to the file', async () => {
  const store = await fresh();
  await store.upsertItems([{ paper: buildPaper({ title: 'Gaussian splatting' }) }, { paper: buildPaper({ title: 'Gaussian processes' }) }]);
  const path = store.db.name;
  await store.close();
  const db = new Database(path, { readonly: true });
  assert.deepEqual(readTitleVocabulary(db), [['gaussian', 2]]);
  assert.deepEqual(readTitleVocabulary(db), [['gaussian', 2]]);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'paperboy_%vocab'").pluck().get(), 0);
  assert.equal(isIndexedWord(db, 'splatting'), true);
  db.close();
});

test('indexedWordPapers: as keyword search matches, stemmed, in title, abstract or authors, counted up to a limit', async () => {
  const store = await fresh();
  await store.upsertItems([
    { paper: buildPaper({ title: 'Diffusion Transformers', abstract: 'A GPT-4 judge.', authors: ['Jürgen Müller'] }) },
    { paper: buildPaper({ title: 'A transformer for video', abstract: 'Scaling laws.' }) },
    { paper: buildPaper({ title: 'Transforming images', abstract: 'Nothing "quoted" AND NEAR here.' }) },
  ]);
  const db = store.db;
  assert.equal(indexedWordPapers(db, 'Transformers', Infinity), 3); // transformer, transformers, transforming: one stem
  assert.equal(indexedWordPapers(db, 'Transformers', 2), 2);
  assert.equal(indexedWordPapers(db, 'Transformers'), 1);
  assert.equal(indexedWordPapers(db, 'scaling', Infinity), 1); // abstract
  assert.equal(indexedWordPapers(db, 'muller', Infinity), 1); // authors, diacritics folded
  assert.equal(indexedWordPapers(db, 'GPT-4', Infinity), 1);
  assert.equal(indexedWordPapers(db, 'difusion', Infinity), 0);
  for (const w of ['', '--', '"', '*', 'a"b', 'AND', 'NEAR', 'NOT', 'quoted"']) assert.doesNotThrow(() => indexedWordPapers(db, w), w);
  assert.equal(indexedWordPapers(db, 'NEAR', Infinity), 1);
  assert.equal(indexedWordPapers(db, '"quoted"', Infinity), 1);
  assert.equal(isIndexedWord(db, 'video'), true);
  assert.equal(isIndexedWord(db, 'asdkjhqwezzz'), false);
  await store.close();
});

test('indexedWordPapers agrees with the index vocabulary looked up by stemOf, for every plain word of the sample', async () => {
  const store = await fresh();
  const report = await importFiles(store, [SAMPLE]);
  assert.deepEqual(report.problems, []);
  const db = store.db;
  db.exec("CREATE VIRTUAL TABLE temp.stems USING fts5vocab(main, papers_fts, 'row')");
  const byStem = db.prepare<[string]>('SELECT doc FROM temp.stems WHERE term = ?').pluck();
  const words = new Set<string>();
  for (const row of db.prepare('SELECT title, abstract, authors FROM papers').all() as Record<string, string>[]) {
    for (const t of tokenize(`${row.title} ${row.abstract} ${row.authors}`)) words.add(t.folded);
  }
  const disagree: string[] = [];
  for (const word of words) {
    if (indexedWordPapers(db, word, Infinity) !== ((byStem.get(stemOf(fold(word))) as number | undefined) ?? 0)) disagree.push(word);
  }
  assert.ok(words.size > 4000);
  // porterStem leaves words with digits or other letters than a-z as they are; FTS5 stems them
  // too ("3dgs" is indexed as "3dg"). That is why indexedWordPapers asks FTS5 instead.
  assert.deepEqual(disagree.filter((w) => /^[a-z]+$/.test(w)), []);
  assert.ok(disagree.includes('3dgs'));
  await store.close();
});

test('the sample loaded through the importer: its vocabulary corrects typos of its own title words', async () => {
  const store = await fresh();
  await importFiles(store, [SAMPLE]);
  const vocabulary = readTitleVocabulary(store.db);
  assert.equal(new Map(vocabulary).get('diffusion'), 9);
  const index = SpellingIndex.build(vocabulary);
  const isKnown = (w: string) => isIndexedWord(store.db, w);
  const fix = (q: string) => correctQuery(q, isKnown, index)?.text ?? null;
  assert.equal(fix('difusion trasformers'), 'diffusion transformers');
  assert.equal(fix('lagnuage models with atention'), 'language models with attention');
  assert.equal(fix('"gausian splatting" transfomer author:Smiht'), '"gaussian splatting" transformer author:Smiht');
  // Known anywhere in the index (abstracts, authors), short, numbers, acronyms, gibberish: unchanged.
  assert.equal(fix('diffusion transformers'), null);
  assert.equal(fix('asdkjhqwezzz'), null);
  assert.equal(fix('LLM llm 3d 2024 swe ava'), null);
  await store.close();
});
