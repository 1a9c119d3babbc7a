import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keywordText, type KeywordTextOptions } from '../../search/keyword-query.js';
import { parseQuery } from '../../search/query-parser.js';
import { loadMigrations, migrateSqlite } from './migrate-sqlite.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import { toFtsQuery, type FtsPhrase } from './fts-query.js';
import { scoringPlan, searchKeywordSqlite } from './sqlite-keyword.js';
import { storeContract } from '../store.contract.js';
import { storeSearchContract, type ScoringBound } from '../store-search.contract.js';
import { defaultExtensionPath } from './fts-extension.js';
import { existsSync } from 'node:fs';
import { storeEmbeddingsContract } from '../store-embeddings.contract.js';
import { buildPaper } from '../../../test/support/build.js';
import { mulberry32 } from '../../../test/support/random.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-store-'));
let n = 0;
async function fresh(): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `store-${++n}.db`));
  await store.migrate();
  return store;
}
async function reopen(store: SqliteStore): Promise<SqliteStore> {
  const path = store.db.name;
  await store.close();
  const again = await SqliteStore.open(path);
  await again.migrate();
  return again;
}
/** A fresh store whose keyword search bounds its scoring like a large collection's, the rare-phrase pass off. */
async function bounded(bound: ScoringBound, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const store = await SqliteStore.open(join(dir, `store-${++n}.db`), { ...opts, keywordScoreAllBelow: bound.scoreAllBelow, keywordMaxScored: bound.maxScored, keywordRareBudget: 0 });
  await store.migrate();
  return store;
}
storeContract('sqlite', fresh, { reopen: (s) => reopen(s as SqliteStore), boundedStore: (b) => bounded(b) });
// The same search behaviour when the native ranking extension is absent (FTS5's bm25()).
storeSearchContract(
  'sqlite without the extension',
  async () => {
    const store = await SqliteStore.open(join(dir, `store-${++n}.db`), { ftsExtension: 'off' });
    await store.migrate();
    return store;
  },
  { boundedStore: (b) => bounded(b, { ftsExtension: 'off' }) },
);
storeEmbeddingsContract('sqlite', fresh);

const textOf = (input: string, opts?: KeywordTextOptions) => keywordText(parseQuery(input), opts);
function integrityCheck(store: SqliteStore): void {
  // Raises SQLITE_CORRUPT_VTAB when an external-content index disagrees with papers.
  store.db.exec("INSERT INTO papers_fts (papers_fts, rank) VALUES ('integrity-check', 1)");
  store.db.exec("INSERT INTO papers_prefix (papers_prefix, rank) VALUES ('integrity-check', 1)");
}

test('sqlite: data survives closing and reopening the file, in WAL mode', async () => {
  const first = await fresh();
  const paper = buildPaper();
  await first.upsertItems([{ paper }]);
  assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
  const second = await reopen(first);
  assert.equal((await second.getPaper(paper.id))?.title, paper.title);
  await second.close();
});

test('sqlite: search-as-you-type finds half-typed words that the stemmed index cannot', async () => {
  const store = await fresh();
  const paper = buildPaper({ title: 'Selective Synergistic Learning for Video', authors: ['Kaiming He'] });
  await store.upsertItems([{ paper }]);
  assert.equal(toFtsQuery(textOf('video learnin', { prefixLast: true }))?.match, '"video" AND "learnin" *');
  assert.deepEqual((await store.searchKeyword({ text: textOf('video learnin', { prefixLast: true }), limit: 5 })).ids, []);
  assert.deepEqual((await store.searchKeyword({ text: textOf('video learnin', { prefixLast: true }), limit: 5, prefix: true })).ids, [paper.id]);
  assert.deepEqual((await store.searchKeyword({ text: textOf('kaimi', { prefixLast: true }), limit: 5, prefix: true })).ids, [paper.id]);
  assert.deepEqual((await store.searchKeyword({ text: { ...textOf('se', { prefixLast: true }), excluded: ['video'] }, limit: 5, prefix: true })).ids, []);
  await store.close();
});

test('sqlite: the index stays consistent through inserts, updates, deletes, replaces and raw SQL', async () => {
  const store = await fresh();
  const [a, b] = [buildPaper({ title: 'Quantum walks on graphs' }), buildPaper({ title: 'Tensor networks' })];
  await store.upsertItems([{ paper: a }, { paper: b }]);
  await store.upsertItems([{ paper: { ...a, title: 'Quantum walks on hypergraphs', authors: ['Emmy Noether'] } }]);
  // Two changes to one queued paper inside one transaction.
  const c = buildPaper({ title: 'Lattice gauge theory' });
  await store.upsertItems([{ paper: c }, { paper: { ...c, title: 'Lattice gauge fields' } }, { paper: { ...c, version: 2, title: 'Lattice gauge models' } }]);
  assert.deepEqual((await store.searchKeyword({ text: textOf('lattice models'), limit: 5 })).ids, [c.id]);
  assert.deepEqual((await store.searchKeyword({ text: textOf('fields theory', { anyTerm: true }), limit: 5 })).ids, []);
  store.db.prepare('UPDATE papers SET upvotes = upvotes + 1').run(); // not indexed text: no re-index
  store.db.prepare("UPDATE papers SET title = 'Tensor network states' WHERE id = ?").run(b.id);
  store.db.prepare('DELETE FROM papers WHERE id = ?').run(a.id);
  // A row written outside upsertItems is queued and indexed before the next search.
  store.db.prepare("INSERT INTO papers (id, title, abstract, authors, created_at, modified_at) VALUES ('2401.99999', 'Raw graphs', '', '[]', '', '')").run();
  assert.deepEqual((await store.searchKeyword({ text: textOf('graphs'), limit: 5 })).ids, ['2401.99999']);
  store.db.prepare("INSERT OR REPLACE INTO papers (id, title, abstract, authors, created_at, modified_at) VALUES ('2401.99999', 'Raw tensors', '', '[]', '', '')").run();
  assert.deepEqual((await store.searchKeyword({ text: textOf('graphs'), limit: 5 })).ids, []);
  assert.deepEqual((await store.searchKeyword({ text: textOf('tensor'), limit: 5 })).ids.length, 2);
  assert.deepEqual((await store.searchKeyword({ text: textOf('noether'), limit: 5 })).ids, []);
  integrityCheck(store);
  await store.close();
});

test('sqlite: migration 004 indexes papers stored before it', async () => {
  const path = join(dir, 'before-004.db');
  const db = new Database(path);
  migrateSqlite(db, loadMigrations().filter((m) => m.version <= 3));
  db.prepare(`INSERT INTO papers (id, title, abstract, authors, categories, published_at, github_repo, created_at, modified_at)
    VALUES ('2401.00001', 'Old paper on sheaves', 'Cohomology.', '["Jean Leray"]', '["math.AT"]', '2024-01-01T00:00:00Z', 'https://github.com/a/b', '', '')`).run();
  db.close();
  const store = await SqliteStore.open(path);
  await store.migrate();
  assert.deepEqual((await store.searchKeyword({ text: textOf('author:leray sheaves'), filters: { categories: ['math'], hasCode: true }, limit: 5 })).ids, ['2401.00001']);
  integrityCheck(store);
  await store.close();
});

test('sqlite: migration 006 re-keys the keyword index newest first, queued papers included', async () => {
  const path = join(dir, 'before-006.db');
  const db = new Database(path);
  migrateSqlite(db, loadMigrations().filter((m) => m.version <= 5));
  const insert = db.prepare(`INSERT INTO papers (id, title, abstract, authors, categories, published_at, created_at, modified_at)
    VALUES (?, ?, 'Cohomology of sheaves.', '["Jean Leray"]', '["math.AT"]', '2024-01-01T00:00:00Z', '', '')`);
  for (let i = 1; i <= 30; i++) insert.run(`2401.${String(i).padStart(5, '0')}`, `Sheaves ${i}`);
  // Indexed under 004's keys, except the last paper, still queued.
  db.prepare(`INSERT INTO papers_fts (rowid, title, abstract, authors) SELECT p.rowid, p.title, p.abstract, p.authors FROM papers p
    WHERE p.rowid IN (SELECT paper_rowid FROM papers_fts_pending) AND p.id <> '2401.00030'`).run();
  db.prepare(`INSERT INTO papers_prefix (rowid, title, authors) SELECT p.rowid, p.title, p.authors FROM papers p
    WHERE p.rowid IN (SELECT paper_rowid FROM papers_fts_pending) AND p.id <> '2401.00030'`).run();
  db.prepare("DELETE FROM papers_fts_pending WHERE paper_rowid <> (SELECT rowid FROM papers WHERE id = '2401.00030')").run();
  db.close();
  const store = await SqliteStore.open(path);
  await store.migrate();
  integrityCheck(store);
  assert.equal((await store.searchKeyword({ text: textOf('sheaves'), limit: 100 })).ids.length, 30);
  // Scoring only the newest 5 matches (bounded scoring as in a large collection): the last 5 stored.
  Object.assign(store.keywordSearch, { scoreAllBelow: 0, maxScored: 5, rareBudget: 0 });
  assert.deepEqual(new Set((await store.searchKeyword({ text: textOf('sheaves'), limit: 100 })).ids), new Set(['26', '27', '28', '29', '30'].map((n) => `2401.000${n}`)));
  assert.equal((await store.searchKeyword({ text: textOf('leray'), limit: 5, prefix: true })).ids.length, 5);
  await store.close();
});

test('sqlite: column weights and the scoring bound are options', async () => {
  const store = await fresh();
  const inTitle = buildPaper({ title: 'Spectral clustering', abstract: 'A method.' });
  const inAbstract = buildPaper({ title: 'A method', abstract: 'Spectral clustering.' });
  const newest = buildPaper({ title: 'Clustering', abstract: 'Another method.' });
  await store.upsertItems([{ paper: inTitle }, { paper: inAbstract }, { paper: newest }]);
  const q = { text: textOf('spectral clustering'), limit: 5 };
  assert.deepEqual((await store.searchKeyword(q)).ids, [inTitle.id, inAbstract.id]);
  store.keywordSearch.weights = { title: 0.1, abstract: 5, authors: 1 };
  assert.deepEqual((await store.searchKeyword(q)).ids, [inAbstract.id, inTitle.id]);
  // In a collection this small every match is scored, whatever maxScored says.
  store.keywordSearch.maxScored = 2;
  store.keywordSearch.rareBudget = 0;
  assert.equal((await store.searchKeyword({ text: textOf('clustering'), limit: 5 })).ids.length, 3);
  // From scoreAllBelow papers on, only the newest matches are scored: the best older one is left out (unless it holds a rare phrase, next test).
  store.keywordSearch.scoreAllBelow = 3;
  assert.deepEqual(new Set((await store.searchKeyword({ text: textOf('clustering'), limit: 5 })).ids), new Set([inAbstract.id, newest.id]));
  store.keywordSearch.scoreAllBelow = 1.5;
  await assert.rejects(store.searchKeyword(q), RangeError);
  store.keywordSearch.scoreAllBelow = 3;
  store.keywordSearch.rareBudget = -1;
  await assert.rejects(store.searchKeyword(q), RangeError);
  store.keywordSearch.rareBudget = 0;
  store.keywordSearch.weights = { title: Number.NaN, abstract: 1, authors: 1 };
  await assert.rejects(store.searchKeyword(q), RangeError);
  await store.close();
});

test('sqlite: the native ranker gives the scores of bm25(), and counts are cached until the collection changes', { skip: existsSync(defaultExtensionPath()) ? false : 'extension not built' }, async () => {
  const withExt = await fresh();
  const without = await SqliteStore.open(join(dir, `store-${++n}.db`), { ftsExtension: 'off' });
  await without.migrate();
  assert.equal(withExt.keywordRanker, 'paperboy_bm25');
  assert.equal(without.keywordRanker, 'bm25');
  const words = ['spectral', 'clustering', 'graph', 'neural', 'method', 'diffusion'];
  const items = Array.from({ length: 120 }, (_, i) => ({
    paper: buildPaper({ title: `${words[i % 6]} ${words[(i * 7) % 6]} study ${i}`, abstract: `${words[(i * 5) % 6]} and ${words[(i * 3) % 6]} of the ${words[i % 4]} kind.` }),
  }));
  await withExt.upsertItems(items);
  await without.upsertItems(items);
  const queries = ['spectral', 'graph clustering', 'neural method diffusion study', '"spectral clustering" -graph', 'author:Smith graph'].map((q) =>
    textOf(q, { anyTerm: parseQuery(q).terms.length > 2 }),
  );
  for (const m of queries) {
    const a = await withExt.searchKeyword({ text: m, limit: 30 });
    const b = await without.searchKeyword({ text: m, limit: 30 });
    assert.deepEqual(a.ids, b.ids, JSON.stringify(m));
    a.scores.forEach((s, i) => assert.ok(Math.abs(s - b.scores[i]!) < 1e-9, `${JSON.stringify(m)}: ${s} vs ${b.scores[i]}`));
  }
  const cache = withExt.keywordSearch.phraseHits!;
  assert.ok(cache.size >= 6, `${cache.size} phrase counts cached`);
  // A write of more than 1% of the collection drops the counts; the next query counts again, and scores still agree.
  const more = { paper: buildPaper({ title: 'spectral spectral graph', abstract: 'graph' }) };
  await withExt.upsertItems([more]);
  await without.upsertItems([more]);
  assert.equal((await withExt.searchKeyword({ text: textOf('graph'), limit: 3 })).scores[0], (await without.searchKeyword({ text: textOf('graph'), limit: 3 })).scores[0]);
  assert.equal(cache.size, 1);
  await withExt.close();
  await without.close();
});

test('sqlite: beyond the newest matches, the papers holding the rarest query words are scored too', { skip: existsSync(defaultExtensionPath()) ? false : 'extension not built' }, async () => {
  const store = await fresh();
  const old = ['Sheaf learning', 'Learning sheaf models', 'Sheaf cohomology for models'].map((title) => buildPaper({ title, abstract: 'We study sheaves.', githubRepo: 'https://github.com/a/b' }));
  const common = Array.from({ length: 40 }, (_, i) => buildPaper({ title: `Learning models ${i}`, abstract: `Models ${'learning '.repeat(1 + (i % 3))}at scale.` }));
  await store.upsertItems([...old, ...common].map((paper) => ({ paper })));
  const q = { text: textOf('sheaf learning models', { anyTerm: true }), limit: 5 };
  const ranked = async (maxScored: number, rareBudget: number, filters?: { hasCode: boolean }) => {
    Object.assign(store.keywordSearch, { scoreAllBelow: 0, maxScored, rareBudget });
    return (await store.searchKeyword({ ...q, filters })).ids;
  };
  const exact = await ranked(100_000, 0);
  assert.deepEqual(new Set(exact.slice(0, 3)), new Set(old.map((p) => p.id)));
  // Scoring the newest 10 of 43 matches misses the three old papers; with the rare word's 3 papers scored too, the top 3 is exact.
  // Work of that: 3 papers x (1 + 5 x ~2, "learning" and "model" being in nearly every paper) = ~33.
  assert.ok((await ranked(10, 0)).every((id) => !old.some((p) => p.id === id)));
  assert.deepEqual((await ranked(10, 40)).slice(0, 3), exact.slice(0, 3));
  // A budget (15, plus 8 of the newest matches' 10) smaller than that work: no rare pass.
  assert.ok((await ranked(10, 15)).every((id) => !old.some((p) => p.id === id)));
  // With a filter, through both the candidate and the filter-while-scoring paths.
  assert.deepEqual(new Set(await ranked(10, 40, { hasCode: true })), new Set(old.map((p) => p.id)));
  // Few enough matches: all are scored.
  assert.deepEqual(await ranked(50, 0), exact);
  await store.close();
});

test('sqlite: natural-language queries rank exactly without scoring every match (MaxScore): the same pages and scores as scoring them all', { skip: existsSync(defaultExtensionPath()) ? false : 'extension not built' }, async () => {
  // Words of very different frequencies, as in real abstracts.
  const vocabulary = Array.from({ length: 24 }, (_, i) => `w${String.fromCharCode(97 + i)}q`);
  const random = mulberry32(99);
  const pick = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(-Math.log(1 - random()) * 4))]!;
  const items = Array.from({ length: 400 }, (_, i) => {
    const text = (k: number) => Array.from({ length: k }, pick).join(' ');
    return { paper: buildPaper({ title: text(2 + (i % 5)), abstract: text(5 + (i % 17)), categories: [i % 3 === 0 ? 'cs.CV' : 'cs.LG'], githubRepo: i % 2 === 0 ? 'https://github.com/a/b' : null }) };
  });
  const pruned = await fresh();
  const everything = await SqliteStore.open(join(dir, `store-${++n}.db`), { ftsExtension: 'off' });
  await everything.migrate();
  await pruned.upsertItems(items);
  await everything.upsertItems(items);
  // A tiny "few matches" threshold, so that MaxScore runs on this small collection.
  pruned.keywordSearch.maxScored = 5;
  let passes = 0;
  let alternatives = 0;
  const spy = (sql: string) => {
    if (sql.includes('@maxScoreMatch')) passes++;
    return pruned.db.prepare(sql);
  };
  for (let qi = 0; qi < 60; qi++) {
    const words = Array.from({ length: 3 + (qi % 4) }, pick);
    const input = `${words.join(' ')}${qi % 5 === 0 ? ` -${pick()}` : ''}`;
    const m = textOf(input, { anyTerm: true });
    const filters = qi % 3 === 0 ? { categories: ['cs.CV'], hasCode: true } : undefined;
    for (const [limit, offset] of [[10, 0], [5, 7], [40, 0]] as const) {
      const q = { text: m, limit, offset, filters };
      const want = await everything.searchKeyword(q);
      const before = passes;
      const got = searchKeywordSqlite(spy, q, pruned.keywordSearch);
      if (passes > before) alternatives += new Set(words).size;
      assert.deepEqual(got.ids, want.ids, `${input} ${JSON.stringify(filters)} ${limit}@${offset}`);
      got.scores.forEach((x, i) => assert.ok(Math.abs(x - want.scores[i]!) < 1e-9, `${input}: ${x} vs ${want.scores[i]}`));
      assert.equal(got.total, want.total);
    }
  }
  assert.ok(passes > 0, 'MaxScore ran');
  assert.ok(passes < alternatives * 0.8, `it stopped before reading every alternative's papers (${passes} passes for ${alternatives} alternatives)`);
  await pruned.close();
  await everything.close();
});

test('scoringPlan: every match when few; else the newest and the rarest unnegated phrases whose work fits the budget', () => {
  const phrase = (text: string, negated = false): FtsPhrase => ({ text: `"${text}"`, negated });
  // The phrases of ("a" OR "b" OR "c" OR "a") NOT "d".
  const phrases = [phrase('a'), phrase('b'), phrase('c'), phrase('a'), phrase('d', true)];
  // 1,000 papers; work = candidates x (1 + 5 x the other phrases' share); the rare phrases may use rareBudget + 40 (displacing 80 newest matches).
  const opts = { maxScored: 100, rareBudget: 50 };
  const plan = (hits: number[], o = opts) => scoringPlan(phrases, hits, true, 1000, o);
  assert.deepEqual(plan([10, 50, 5, 10, 1]), { everyMatch: true, newest: 100, rare: null }, 'at most 65 matches');
  assert.deepEqual(plan([10, 500, 5, 10, 1]), { everyMatch: false, newest: 94, rare: ['"c"', '"a"'] }, 'c and a: 15 x 3.5 = 52.5, 3 over rareBudget');
  assert.deepEqual(plan([30, 500, 5, 30, 1]), { everyMatch: false, newest: 100, rare: ['"c"'] }, 'c and a: 35 x 3.5 = 122.5 > 50 + 40');
  assert.deepEqual(plan([30, 500, 20, 30, 1]), { everyMatch: false, newest: 54, rare: ['"c"'] }, 'c: 20 x (1 + 5 x 0.53) = 73, 23 over rareBudget: 46 newest matches fewer');
  assert.deepEqual(plan([30, 500, 5, 30, 1], { maxScored: 100, rareBudget: 200 }), { everyMatch: false, newest: 100, rare: ['"c"', '"a"'] });
  assert.deepEqual(plan([300, 500, 200, 300, 1]), { everyMatch: false, newest: 100, rare: null }, 'none fits');
  assert.deepEqual(plan([10, 500, 5, 10, 1], { maxScored: 100, rareBudget: 0 }), { everyMatch: false, newest: 100, rare: null }, 'rare pass off');
  // Without an OR the rarest phrase's papers hold every match.
  const and = [phrase('a'), phrase('b')];
  assert.deepEqual(scoringPlan(and, [40, 900], false, 1000, opts), { everyMatch: true, newest: 100, rare: null }, 'at most 40 matches');
  assert.deepEqual(scoringPlan(and, [150, 200], false, 1000, { maxScored: 100, rareBudget: 500 }), { everyMatch: true, newest: 100, rare: null }, '150 x (1 + 5 x 0.2) = 300 fits');
  assert.deepEqual(scoringPlan(and, [150, 900], false, 1000, { maxScored: 100, rareBudget: 500 }), { everyMatch: false, newest: 100, rare: null }, '150 x 5.5 does not');
});

test('sqlite: the native ranker forgets the paper lengths it remembered when papers change, here or in another connection', { skip: existsSync(defaultExtensionPath()) ? false : 'extension not built' }, async () => {
  const path = join(dir, `doc-lengths-${++n}.db`);
  const store = await SqliteStore.open(path);
  await store.migrate();
  const papers = Array.from({ length: 30 }, (_, i) => buildPaper({ title: `Graph study ${i}`, abstract: `A graph ${'word '.repeat(i % 7)}` }));
  await store.upsertItems(papers.map((paper) => ({ paper })));
  // Scores must equal FTS5's bm25(), which reads each paper's length afresh.
  const check = async (label: string) => {
    const got = await store.searchKeyword({ text: textOf('graph'), limit: 100 });
    const want = new Map(
      (store.db.prepare(`SELECT p.id, -bm25(papers_fts, 3, 1, 1) AS s FROM papers_fts JOIN papers p ON p.rowid = -papers_fts.rowid WHERE papers_fts MATCH '"graph"'`).all() as { id: string; s: number }[]).map((r) => [r.id, r.s]),
    );
    assert.equal(got.ids.length, 30, label);
    got.ids.forEach((id, i) => assert.equal(got.scores[i], want.get(id), `${label}: ${id}`));
  };
  await check('first');
  const lengthen = (db: Database.Database, id: string) => db.prepare(`UPDATE papers SET abstract = 'A graph ' || ? WHERE id = ?`).run('other '.repeat(40), id);
  lengthen(store.db, papers[3]!.id);
  await check('after this connection wrote');
  const other = await SqliteStore.open(path);
  lengthen(other.db, papers[5]!.id);
  await other.searchKeyword({ text: textOf('graph'), limit: 1 }); // indexes the change, in the other connection
  await other.close();
  await check('after another connection wrote');
  await store.close();
});

test('sqlite: deleting a paper deletes its vectors; seq never goes back', async () => {
  const store = await fresh();
  const [a, b] = [buildPaper(), buildPaper()];
  await store.upsertItems([{ paper: a }, { paper: b }]);
  const todo = await store.papersNeedingEmbedding('e', { limit: 5 });
  await store.putEmbeddings('e', todo.map((t) => ({ ...t, textHash: 'h', scale: 1, vector: Int8Array.of(1, 2) })));
  const top = await store.latestEmbeddingSeq();
  store.db.prepare('DELETE FROM papers WHERE id = ?').run(b.id);
  assert.equal(await store.countEmbeddings('e'), 1);
  // The newest row is gone, but a new write still gets a higher seq than any before.
  await store.putEmbeddings('e', [{ paperId: a.id, title: a.title, abstract: a.abstract, textHash: 'h2', scale: 1, vector: Int8Array.of(3, 4) }]);
  assert.ok((await store.getEmbedding('e', a.id))!.seq > top);
  await store.close();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
