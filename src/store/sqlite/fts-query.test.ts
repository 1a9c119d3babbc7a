import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { keywordText, type KeywordTextOptions } from '../../search/keyword-query.js';
import { parseQuery, type ParsedQuery } from '../../search/query-parser.js';
import { defaultExtensionPath } from './fts-extension.js';
import { combinations, ftsString, toFtsExclusion, toFtsQuery } from './fts-query.js';
import { mulberry32 } from '../../../test/support/random.js';

interface FixturePaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
}

// Eight real arXiv listings (CC0), chosen so phrase, exclusion, author and prefix queries differ.
const papers = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/search-query/papers.json', import.meta.url), 'utf8'),
) as FixturePaper[];

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, tokenize='porter unicode61')`);
const insert = db.prepare('INSERT INTO t (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
papers.forEach((p, i) => insert.run(i + 1, p.title, p.abstract, p.authors.join(', ')));
const select = db.prepare<[string], { rowid: number }>('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid');
const excludeSelect = db.prepare<[string], { rowid: number }>('SELECT rowid FROM t WHERE rowid NOT IN (SELECT rowid FROM t WHERE t MATCH ?) ORDER BY rowid');

const ids = (rows: { rowid: number }[]) => rows.map((r) => papers[r.rowid - 1]?.id ?? `row ${r.rowid}`).sort();
/** The MATCH expression of a parsed query, as the search service asks it of the store. */
const toFtsMatch = (q: ParsedQuery, opts?: KeywordTextOptions) => toFtsQuery(keywordText(q, opts))?.match ?? null;
const exclusionOf = (q: ParsedQuery) => toFtsExclusion(keywordText(q));
const match = (input: string, opts?: KeywordTextOptions) => toFtsMatch(parseQuery(input), opts);
function search(input: string, opts?: KeywordTextOptions): string[] {
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

test('at least k of the words: every combination of k, or all of them, each word counted once', () => {
  assert.deepEqual(combinations(['a', 'b', 'c'], 2), [['a', 'b'], ['a', 'c'], ['b', 'c']]);
  assert.deepEqual(combinations(['a', 'b'], 3), []);
  const text = { ...keywordText(parseQuery('gaussian splatting diffusion gaussian'), { anyTerm: true }), minTerms: 2 };
  const q = toFtsQuery(text);
  assert.equal(q?.match, '(("gaussian" AND "splatting") OR ("gaussian" AND "diffusion") OR ("splatting" AND "diffusion"))');
  assert.deepEqual(q?.phrases.map((p) => p.text), ['"gaussian"', '"splatting"', '"gaussian"', '"diffusion"', '"splatting"', '"diffusion"'], 'as FTS5 numbers them');
  assert.equal(q?.alternatives, null, 'not one OR group: no MaxScore');
  assert.equal(toFtsQuery({ ...text, minTerms: 3 })?.match, '"gaussian" AND "splatting" AND "diffusion"');
  assert.equal(toFtsQuery({ ...text, minTerms: 9 })?.match, '"gaussian" AND "splatting" AND "diffusion"');
  assert.equal(toFtsQuery({ ...text, minTerms: 1 })?.match, '("gaussian" OR "splatting" OR "diffusion")');
  // Against FTS5: the papers holding two of the words are those two-word AND queries find.
  const two = new Set(['gaussian splatting', 'gaussian diffusion', 'splatting diffusion'].flatMap((w) => search(w)));
  assert.deepEqual(ids(select.all(q!.match)), [...two].sort());
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
  assert.equal(exclusionOf(parseQuery('-diffusion -author:Qi')), '"diffusion" OR authors : ("Qi")');
  assert.equal(exclusionOf(parseQuery('diffusion')), null);
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
  const excluded = exclusionOf(parseQuery('-gaussian -diffusion'));
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
      const excluded = exclusionOf(q);
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
    const excluded = exclusionOf(q);
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

const ftsQueryOf = (input: string, opts?: KeywordTextOptions) => toFtsQuery(keywordText(parseQuery(input), opts));

test('phrases in FTS5 order, with column filters and prefix stars; those right of a NOT are negated', () => {
  const q = ftsQueryOf('the effect of "gaussian splatting" on depth author:Smith author:Li -video -author:Qi', { anyTerm: true })!;
  assert.equal(q.match, '(("effect" OR "depth") AND "gaussian splatting" AND authors : ("Smith" "Li")) NOT ("video" OR authors : ("Qi"))');
  assert.deepEqual(q.phrases, [
    { text: '"effect"', negated: false },
    { text: '"depth"', negated: false },
    { text: '"gaussian splatting"', negated: false },
    { text: 'authors : "Smith"', negated: false },
    { text: 'authors : "Li"', negated: false },
    { text: '"video"', negated: true },
    { text: 'authors : "Qi"', negated: true },
  ]);
  assert.deepEqual(ftsQueryOf('author:Smith learn* say"hi"')!.phrases.map((p) => p.text), ['"learn" *', '"say"', '"hi"', 'authors : "Smith"']);
  assert.deepEqual(toFtsQuery({ terms: [], termMatch: 'all', phrases: ['say "hi"'], authors: [], excluded: [], excludedAuthors: [] })!.phrases, [{ text: '"say ""hi"""', negated: false }]);
});

test('whether the expression has an OR: natural language, or more than one exclusion', () => {
  assert.equal(ftsQueryOf('sparse attention', { anyTerm: true })!.usesOr, true);
  assert.equal(ftsQueryOf('sparse attention -video')!.usesOr, false);
  assert.equal(ftsQueryOf('sparse attention -video -audio')!.usesOr, true);
  assert.equal(ftsQueryOf('the attention', { anyTerm: true })!.usesOr, false, 'one word left');
});

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
    const fts = ftsQueryOf(input, { anyTerm: n % 2 === 0, prefixLast: n % 3 === 0 });
    if (fts === null) continue;
    const expr = fts.match;
    const hits = fts.phrases.map((p) => (count.get(p.text) as { n: number }).n);
    const ours = db.prepare(`SELECT rowid, paperboy_bm25(t, 3, 1, 1${hits.map((h) => `, ${h}`).join('')}) AS s FROM t WHERE t MATCH ? ORDER BY rowid`).all(expr);
    const theirs = db.prepare('SELECT rowid, bm25(t, 3, 1, 1) AS s FROM t WHERE t MATCH ? ORDER BY rowid').all(expr);
    assert.deepEqual(ours, theirs, `${JSON.stringify(input)} -> ${expr}`);
    if (theirs.length > 0) compared++;

    // Narrowed to the papers holding one of its first positive phrases, with those leading phrases left out of the score (-1):
    // the same rows of the query, with the same scores.
    const positives = fts.phrases.filter((p) => !p.negated).map((p) => p.text);
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

test('the alternatives of a natural-language query: its words, whatever the exclusions; null when anything else is required', () => {
  assert.deepEqual(ftsQueryOf('sparse attention for long videos -survey', { anyTerm: true })!.alternatives, ['"sparse"', '"attention"', '"long"', '"videos"']);
  assert.deepEqual(ftsQueryOf('sparse atten', { anyTerm: true, prefixLast: true })!.alternatives, ['"sparse"', '"atten" *']);
  assert.deepEqual(ftsQueryOf('IL-6 signalling il', { anyTerm: true })!.alternatives, ['"il"', '"6"', '"signalling"'], 'each word once');
  assert.equal(ftsQueryOf('sparse attention for "long videos"', { anyTerm: true })!.alternatives, null, 'a quoted phrase is required');
  assert.equal(ftsQueryOf('sparse attention author:Li', { anyTerm: true })!.alternatives, null, 'an author is required');
  assert.equal(ftsQueryOf('sparse attention')!.alternatives, null, 'every word is required');
});
