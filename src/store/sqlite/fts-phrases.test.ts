import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { toFtsExclusion, toFtsMatch } from '../../search/fts-query.js';
import { parseQuery } from '../../search/query-parser.js';
import { defaultExtensionPath } from './fts-extension.js';
import { ftsAlternatives, ftsPhraseList, ftsPhrases } from './fts-phrases.js';
import { mulberry32 } from '../../../test/support/random.js';

test('phrases in FTS5 order, with column filters and prefix stars', () => {
  assert.deepEqual(ftsPhrases('"a"'), ['"a"']);
  assert.deepEqual(ftsPhrases('("effect" OR "depth") AND "gaussian splatting" AND authors : ("Smith" "Li") NOT ("video")'), [
    '"effect"',
    '"depth"',
    '"gaussian splatting"',
    'authors : "Smith"',
    'authors : "Li"',
    '"video"',
  ]);
  assert.deepEqual(ftsPhrases('authors : "Smith" AND "learn" * AND "say ""hi"""'), ['authors : "Smith"', '"learn" *', '"say ""hi"""']);
  assert.deepEqual(ftsPhrases('((("x")))'), ['"x"']);
});

test('phrases right of a NOT are marked negated', () => {
  const negated = (expr: string) => ftsPhraseList(expr)?.filter((p) => p.negated).map((p) => p.text);
  assert.deepEqual(negated('("effect" OR "depth") AND authors : ("Smith") NOT ("video" OR authors : "Li") AND "x"'), ['"video"', 'authors : "Li"']);
  assert.deepEqual(negated('"a" NOT "b" "c"'), ['"b"']);
  assert.deepEqual(negated('"a" NOT authors : ("b" "c") OR "d"'), ['authors : "b"', 'authors : "c"']);
  assert.deepEqual(negated('"a" NOT ("b" NOT ("c")) "d"'), ['"b"', '"c"']);
  assert.deepEqual(negated('"a" OR "b"'), []);
});

test('syntax it does not model gives null, so the caller uses bm25()', () => {
  for (const expr of ['bare', '"a" NEAR("b")', '^"a"', '{title abstract} : "a"', 'title : (authors : "a")', '"unclosed', '("a"', '"a")', ': "a"', '* "a"', '"a" + "b"']) {
    assert.equal(ftsPhrases(expr), null, expr);
  }
});

const papers = JSON.parse(readFileSync(new URL('../../../test/fixtures/search-query/papers.json', import.meta.url), 'utf8')) as {
  title: string;
  abstract: string;
  authors: string[];
}[];

const WORDS = ['"', '-', '*', ' ', ' ', ' ', ':', 'IL-6', 'E2f-1,', 'é', 'the', 'author:', 'author:"Yann ', 'model', 'learn', 'diffusion', 'video', 'cells', 'gaussian', 'splatting', 'of', '3D', 'year:2024', 'cat:cs.CV'];

const extension = defaultExtensionPath();
test('paperboy_bm25 with these phrase counts scores exactly as bm25() on generated queries', { skip: existsSync(extension) ? false : `${extension} is not built (npm run build:native)` }, () => {
  const db = new Database(':memory:');
  db.loadExtension(extension);
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, tokenize='porter unicode61 remove_diacritics 2')`);
  const insert = db.prepare('INSERT INTO t (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
  papers.forEach((p, i) => insert.run(i + 1, p.title, p.abstract, p.authors.join(', ')));
  const count = db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?');
  const random = mulberry32(7);
  let compared = 0;
  for (let n = 0; n < 1500; n++) {
    let input = '';
    const pieces = 1 + Math.floor(random() * 10);
    for (let k = 0; k < pieces; k++) input += WORDS[Math.floor(random() * WORDS.length)];
    const q = parseQuery(input);
    const positive = toFtsMatch(q, { anyTerm: n % 2 === 0, prefixLast: n % 3 === 0 });
    if (positive === null) continue;
    const exclusion = toFtsExclusion(q);
    const expr = exclusion === null ? positive : `(${positive}) NOT (${exclusion})`;
    const phrases = ftsPhrases(expr);
    assert.ok(phrases !== null, `no phrases for ${expr}`);
    const hits = phrases.map((p) => (count.get(p) as { n: number }).n);
    const ours = db.prepare(`SELECT rowid, paperboy_bm25(t, 3, 1, 1${hits.map((h) => `, ${h}`).join('')}) AS s FROM t WHERE t MATCH ? ORDER BY rowid`).all(expr);
    const theirs = db.prepare('SELECT rowid, bm25(t, 3, 1, 1) AS s FROM t WHERE t MATCH ? ORDER BY rowid').all(expr);
    assert.deepEqual(ours, theirs, `${JSON.stringify(input)} -> ${expr}`);
    if (theirs.length > 0) compared++;

    // Narrowed to the papers holding one of its first positive phrases, with those leading phrases left out of the score (-1):
    // the same rows of the query, with the same scores.
    const positives = ftsPhraseList(expr)!.filter((p) => !p.negated).map((p) => p.text);
    if (positives.length === 0) continue;
    const leading = positives.slice(0, 1 + (n % positives.length));
    const narrowed = `(${leading.join(' OR ')}) AND (${expr})`;
    const args = [...leading.map(() => -1), ...hits].map((h) => `, ${h}`).join('');
    const narrowedRows = db.prepare(`SELECT rowid, paperboy_bm25(t, 3, 1, 1${args}) AS s FROM t WHERE t MATCH ? ORDER BY rowid`).all(narrowed) as { rowid: number }[];
    const holding = new Set((db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(leading.join(' OR ')) as { rowid: number }[]).map((r) => r.rowid));
    assert.deepEqual(narrowedRows, (theirs as { rowid: number }[]).filter((r) => holding.has(r.rowid)), narrowed);
  }
  assert.ok(compared > 200, `only ${compared} queries matched anything`);
});

test('the alternatives of a natural-language query: one OR group, in parentheses, then only NOT clauses', () => {
  assert.deepEqual(ftsAlternatives('("a" OR "b" * OR "c")'), ['"a"', '"b" *', '"c"']);
  assert.deepEqual(ftsAlternatives('(("a" OR "b")) NOT ("x" OR authors : "y")'), ['"a"', '"b"']);
  assert.deepEqual(ftsAlternatives('((("a" OR "b"))) NOT "x" NOT authors : ("y" "z")'), ['"a"', '"b"']);
  assert.deepEqual(ftsAlternatives('("a")'), ['"a"']);
  const nl = parseQuery('sparse attention for long videos -survey');
  assert.deepEqual(ftsAlternatives(toFtsMatch(nl, { anyTerm: true })!), ['"sparse"', '"attention"', '"long"', '"videos"']);
  // Anything required besides one alternative, or another shape: null.
  for (const expr of ['"a"', '"a" OR "b"', '("a" OR "b") AND "c"', '("a" OR "b") "c"', '("a" OR "b") OR "c"', '("a" OR "b") NOT', '("a" AND "b")', '("a" OR "b") NOT ("x"', 'title : ("a" OR "b")', '("a" OR ("b" OR "c"))']) {
    assert.equal(ftsAlternatives(expr), null, expr);
  }
  assert.equal(ftsAlternatives(toFtsMatch(parseQuery('sparse attention for "long videos"'), { anyTerm: true })!), null, 'a quoted phrase is required');
});
