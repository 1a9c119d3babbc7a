import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ftsString, toFtsExclusion, toFtsMatch, type FtsMatchOptions } from './fts-query.js';
import { parseQuery } from './query-parser.js';
import { mulberry32 } from '../../test/support/random.js';

interface FixturePaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

// Eight real arXiv listings (CC0), chosen so phrase, exclusion, author and prefix queries differ.
const papers = JSON.parse(
  readFileSync(new URL('../../test/fixtures/search-query/papers.json', import.meta.url), 'utf8'),
) as FixturePaper[];

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, tokenize='porter unicode61')`);
const insert = db.prepare('INSERT INTO t (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
papers.forEach((p, i) => insert.run(i + 1, p.title, p.abstract, p.authors.join(', ')));
const select = db.prepare<[string], { rowid: number }>('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid');
const excludeSelect = db.prepare<[string], { rowid: number }>('SELECT rowid FROM t WHERE rowid NOT IN (SELECT rowid FROM t WHERE t MATCH ?) ORDER BY rowid');

const ids = (rows: { rowid: number }[]) => rows.map((r) => papers[r.rowid - 1]?.id ?? `row ${r.rowid}`).sort();
const match = (input: string, opts?: FtsMatchOptions) => toFtsMatch(parseQuery(input), opts);
function search(input: string, opts?: FtsMatchOptions): string[] {
  const expr = match(input, opts);
  assert.notEqual(expr, null, input);
  return ids(select.all(expr as string));
}

test('ftsString quotes text and doubles inner quotes', () => {
  assert.equal(ftsString('plain'), '"plain"');
  assert.equal(ftsString('say "hi"'), '"say ""hi"""');
  assert.equal(ftsString('a\u0000b'), '"a b"');
});

test('the MATCH expression has a pinned shape', () => {
  assert.equal(match('deep learning'), '"deep" AND "learning"');
  assert.equal(match('deep learning', { prefixLast: true }), '"deep" AND "learning" *');
  assert.equal(match('deep learning ', { prefixLast: true }), '"deep" AND "learning"');
  assert.equal(match('deep l', { prefixLast: true }), '"deep" AND "l"');
  assert.equal(match('l*'), '"l" *');
  assert.equal(
    match('"gaussian splatting" author:"Peter Kontschieder" author:Mueller -diffusion -"video priors" -author:Smith cat:cs.CV year:2025'),
    '("gaussian splatting" AND authors : ("Peter Kontschieder" "Mueller")) NOT ("diffusion" OR "video priors" OR authors : ("Smith"))',
  );
});

test('user-typed FTS5 operators are only text', () => {
  assert.equal(match('NEAR(a b'), '"NEAR(a" AND "b"');
  assert.equal(match('a OR b NOT c'), '"a" AND "OR" AND "b" AND "NOT" AND "c"');
  assert.equal(match('title:^x {authors}:y'), '"title" AND "^x" AND "{authors}:y"');
  assert.equal(match('say"he said ""hi"'), '"say" AND "he said" AND "hi"');
  assert.equal(match('( ) * ^ : + .'), null);
});

test('null when nothing positive is left to match', () => {
  for (const input of ['', '-diffusion', '-"text to image"', 'cat:cs.CV year:2024', '-author:Smith', '🙂 ...', 'author:', 'year:99999']) {
    assert.equal(match(input), null, input);
  }
  assert.equal(toFtsExclusion(parseQuery('-diffusion -author:Qi')), '"diffusion" OR authors : ("Qi")');
  assert.equal(toFtsExclusion(parseQuery('diffusion')), null);
});

test('FTS5: phrase, exclusion, author and prefix queries return the expected papers', () => {
  assert.deepEqual(search('"gaussian splatting"'), ['2503.12284', '2503.12572', '2503.13272']);
  assert.deepEqual(search('gaussian'), ['2503.12284', '2503.12572', '2503.12886', '2503.13051', '2503.13272']);
  assert.deepEqual(search('gaussian -splatting'), ['2503.12886', '2503.13051']);
  assert.deepEqual(search('gaussian -"gaussian splatting"'), ['2503.12886', '2503.13051']);
  assert.deepEqual(search('splatting -diffusion'), ['2503.12284', '2503.12572']);
  assert.deepEqual(search('author:"Peter Kontschieder"'), ['2503.13272']);
  assert.deepEqual(search('author:"Kontschieder Peter"'), []);
  assert.deepEqual(search('author:Barthel permutation'), ['2503.13051']);
  assert.deepEqual(search('author:"D\'Incà"'), ['2503.11742']);
  assert.deepEqual(search('diffusion -author:Qi'), ['2503.11905', '2503.13272']);
  assert.deepEqual(search('upcyc*'), ['2503.11905']);
  assert.deepEqual(search('upcyc'), []);
  assert.deepEqual(search('diffusion mod', { prefixLast: true }), ['2503.11905', '2503.12015', '2503.13272']);
  assert.deepEqual(search('diffusion mod'), []);
  // Operators typed by the user are searched as words: "and" occurs in most abstracts.
  assert.deepEqual(search('NEAR(gaussian splatting'), []);
  assert.equal(search('models AND').length, search('models').length);
  // Exclusions on their own, as a filter-only query would apply them.
  const excluded = toFtsExclusion(parseQuery('-gaussian -diffusion'));
  assert.deepEqual(ids(excludeSelect.all(excluded as string)), ['2503.11742']);
});

const HOSTILE = [
  '"', '""', '"""', '-', '-"', '*', '**', 'a*b*', ':', '^', 'author:', 'author:"', 'cat:', 'year:99999', 'NEAR(a b',
  'NEAR(a b, 2)', 'a AND', 'OR', 'NOT x', '(a OR b', 'title:x', '-title:x', '{title abstract}:x', 'x:"y', '^"start"',
  "'; DROP TABLE t; --", '" OR 1=1 --', "Robert'); DROP TABLE papers;--", 'x'.repeat(10_000), 'gaussian '.repeat(2000),
  '\u0000\u0001\u0002\u001f', 'a\u0000b', '🙂🚀 🧪*', 'שלום עולם', 'مرحبا بالعالم', '\u202Egaussian\u202C', '\uD83D',
  'ﬁ ＡＢＣ ²', 'é* -é "é', 'author:"', '-author:', '-"', '-*',
];

test('FTS5: every hostile input produces a MATCH that executes', () => {
  for (const input of HOSTILE) {
    for (const prefixLast of [false, true]) {
      const q = parseQuery(input);
      const expr = toFtsMatch(q, { prefixLast });
      if (expr !== null) assert.doesNotThrow(() => select.all(expr), `${JSON.stringify(input.slice(0, 50))} -> ${expr.slice(0, 80)}`);
      const excluded = toFtsExclusion(q);
      if (excluded !== null) assert.doesNotThrow(() => excludeSelect.all(excluded), input.slice(0, 50));
    }
  }
});

const ALPHABET = [
  '"', '"', "'", '-', '-', '*', '(', ')', ':', '^', '+', '{', '}', ',', '.', '..', ' ', ' ', ' ', '\t', '\n',
  '\u0000', '\u0007', '\u001f', '\u202E', '\u200B', '\uD800', '“', '”', '＂', 'a', 'b', 'x', 'é', 'ß', 'ש', '中', '🙂',
  '1', '2024', 'AND', 'OR', 'NOT', 'NEAR', 'author:', 'au:', 'cat:', 'cs.CV', 'year:', 'title:', 'gaussian', 'splat',
];

test('fuzz: parse + toFtsMatch + execute never throws', () => {
  const random = mulberry32(20_240_527);
  let executed = 0;
  for (let n = 0; n < 3000; n++) {
    let input = '';
    const pieces = Math.floor(random() * 24);
    for (let k = 0; k < pieces; k++) input += ALPHABET[Math.floor(random() * ALPHABET.length)];
    const q = parseQuery(input);
    const expr = toFtsMatch(q, { prefixLast: n % 2 === 0 });
    const excluded = toFtsExclusion(q);
    try {
      if (expr !== null) select.all(expr);
      if (excluded !== null) excludeSelect.all(excluded);
    } catch (err) {
      assert.fail(`input ${JSON.stringify(input)} -> ${expr} / ${excluded}: ${(err as Error).message}`);
    }
    if (expr !== null) executed++;
  }
  assert.ok(executed > 1000, `only ${executed} inputs produced a MATCH`);
});

test('anyTerm: plain words become alternatives without stopwords; phrases and authors stay required', () => {
  const q = parseQuery('the effect of "gaussian splatting" on depth author:Smith -video');
  assert.equal(
    toFtsMatch(q, { anyTerm: true }),
    '(("effect" OR "depth") AND "gaussian splatting" AND authors : ("Smith")) NOT ("video")',
  );
  assert.equal(toFtsMatch(parseQuery('the model'), { anyTerm: true }), '"model"');
  assert.equal(toFtsMatch(parseQuery('vision transformers'), {}), '"vision" AND "transformers"');
  // Joined words are a phrase when every word is required, separate alternatives in natural language.
  assert.equal(toFtsMatch(parseQuery('IL-6 signalling'), {}), '"IL-6" AND "signalling"');
  assert.equal(toFtsMatch(parseQuery('IL-6 in the E2f-1, -2 cells'), { anyTerm: true }), '("il" OR "6" OR "e2f" OR "1" OR "2" OR "cells")');
});
