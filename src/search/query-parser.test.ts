import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryMatches, MAX_QUERY_CHARS, MAX_QUERY_PARTS, parseQuery } from './query-parser.js';

const words = (input: string) => parseQuery(input).terms.map((t) => t.text);

test('plain words become terms, and semanticText keeps them in order', () => {
  const q = parseQuery('  initialising   networks from pretrained features ');
  assert.deepEqual(words('  initialising   networks from pretrained features '), ['initialising', 'networks', 'from', 'pretrained', 'features']);
  assert.equal(q.semanticText, 'initialising networks from pretrained features');
  assert.deepEqual(q.errors, []);
  assert.deepEqual(parseQuery('deep Deep DEEP').terms, [{ text: 'deep', prefix: false }]);
});

test('quoted phrases, including an unclosed quote that runs to the end', () => {
  const q = parseQuery('"gaussian splatting" slam "neural  radiance fields');
  assert.deepEqual(q.phrases, ['gaussian splatting', 'neural radiance fields']);
  assert.deepEqual(words('"gaussian splatting" slam'), ['slam']);
  assert.equal(q.semanticText, 'gaussian splatting slam neural radiance fields');
  assert.deepEqual(q.errors, []);
  assert.deepEqual(parseQuery('""').phrases, []);
  assert.deepEqual(parseQuery('foo"bar baz"qux').phrases, ['bar baz']);
});

test('exclusions of words and phrases; a lone - is ignored', () => {
  const q = parseQuery('diffusion -video -"text to image" - models');
  assert.deepEqual(words('diffusion -video -"text to image" - models'), ['diffusion', 'models']);
  assert.deepEqual(q.excluded, ['video']);
  assert.deepEqual(q.excludedPhrases, ['text to image']);
  assert.equal(q.semanticText, 'diffusion models');
  assert.deepEqual(words('state-of-the-art GPT-4'), ['state-of-the-art', 'GPT-4']);
  const numbers = parseQuery('E2f-1, -2, -3 at -0.5 -2D');
  assert.deepEqual(numbers.excluded, []);
  assert.deepEqual(numbers.terms.map((t) => t.text), ['E2f-1,', '-2,', '-3', 'at', '-0.5', '-2D']);
});

test('author: with a bare or quoted name, and -author:', () => {
  const q = parseQuery('author:Hinton AUTHOR:"Yann LeCun" au:"Kai Uwe Barthel -author:Smith');
  assert.deepEqual(q.authors, ['Hinton', 'Yann LeCun', 'Kai Uwe Barthel -author:Smith']);
  assert.deepEqual(parseQuery('-author:Smith x').excludedAuthors, ['Smith']);
  assert.equal(q.semanticText, '');
  assert.deepEqual(q.terms, []);
});

test('cat: takes categories and archives, in arXiv spelling', () => {
  const q = parseQuery('cat:cs.cv CAT:cs -cat:Physics.Optics category:hep-th -cat:cond-mat.mes-hall cat:math.ag');
  assert.deepEqual(q.categories, ['cs.CV', 'cs', 'hep-th', 'math.AG']);
  assert.deepEqual(q.excludedCategories, ['physics.optics', 'cond-mat.mes-hall']);
  assert.deepEqual(parseQuery('cat:"cs.LG"').categories, ['cs.LG']);
  const bad = parseQuery('cat:cs.CV,cs.LG cat:68T45 cat:');
  assert.deepEqual(bad.categories, []);
  assert.deepEqual(bad.errors, ['cat:cs.CV,cs.LG is not an arXiv category.', 'cat:68T45 is not an arXiv category.', 'cat: needs a value.']);
});

test('categoryMatches: an archive matches its subjects, a category only itself', () => {
  assert.equal(categoryMatches('cs', 'cs.CV'), true);
  assert.equal(categoryMatches('cs', 'cs'), true);
  assert.equal(categoryMatches('math', 'math-ph'), false);
  assert.equal(categoryMatches('cs.CV', 'cs.CV'), true);
  assert.equal(categoryMatches('cs.CV', 'cs.CL'), false);
  assert.equal(categoryMatches('astro-ph', 'astro-ph.GA'), true);
});

test('year: single, closed, open-ended and reversed ranges', () => {
  const range = (s: string) => {
    const q = parseQuery(s);
    return [q.yearFrom, q.yearTo, q.errors];
  };
  assert.deepEqual(range('year:2024'), [2024, 2024, []]);
  assert.deepEqual(range('year:2020..2024'), [2020, 2024, []]);
  assert.deepEqual(range('year:2020-2024'), [2020, 2024, []]);
  assert.deepEqual(range('year:2020..'), [2020, null, []]);
  assert.deepEqual(range('year:..2024'), [null, 2024, []]);
  assert.deepEqual(range('year:2024..2020'), [2020, 2024, []]);
  assert.deepEqual(range('year:2020.. year:..2022'), [2020, 2022, []]);
  assert.deepEqual(range('year:2020 year:2022'), [2022, 2020, ['The year ranges do not overlap.']]);
  assert.deepEqual(range('year:abcd'), [null, null, ['year:abcd is not a year.']]);
  assert.deepEqual(range('year:99999'), [null, null, ['year:99999 is not a year.']]);
  assert.deepEqual(range('year:0999 year:..'), [null, null, ['year:0999 is not a year.', 'year: needs a value.']]);
  assert.deepEqual(range('-year:2020'), [null, null, ['-year: is not supported; use a range such as year:2020..2024.']]);
});

test('trailing * marks a prefix term; lastTermOpen tells whether the last word may be unfinished', () => {
  assert.deepEqual(parseQuery('transf* deep').terms, [
    { text: 'transf', prefix: true },
    { text: 'deep', prefix: false },
  ]);
  assert.equal(parseQuery('diffusion mod').lastTermOpen, true);
  assert.equal(parseQuery('diffusion mod ').lastTermOpen, false);
  assert.equal(parseQuery('diffusion mod\t').lastTermOpen, false);
  assert.equal(parseQuery('diffusion "mod"').lastTermOpen, false);
  assert.equal(parseQuery('diffusion -mod').lastTermOpen, false);
  assert.equal(parseQuery('diffusion cat:cs').lastTermOpen, false);
  assert.equal(parseQuery('mod diffusion mod').lastTermOpen, false); // the duplicate was not added
  assert.equal(parseQuery('').lastTermOpen, false);
  assert.deepEqual(parseQuery('*** *').terms, []);
});

test('unknown field:value stays as plain words', () => {
  const q = parseQuery('title:transformers abs:"attention heads" 10:30');
  assert.deepEqual(q.terms.map((t) => t.text), ['title', 'transformers', 'abs', '10:30']);
  assert.deepEqual(q.phrases, ['attention heads']);
  assert.deepEqual(q.errors, []);
  assert.equal(q.semanticText, 'title transformers abs attention heads 10:30');
});

test('normalisation: NFKC, typographic quotes, control and format characters, whitespace', () => {
  assert.deepEqual(words('ＢＥＲＴ ﬁne-tuning x²'), ['BERT', 'fine-tuning', 'x2']);
  assert.deepEqual(parseQuery('“vision transformer” „x“').phrases, ['vision transformer', 'x']);
  assert.deepEqual(parseQuery('＂fullwidth quotes＂').phrases, ['fullwidth quotes']);
  assert.deepEqual(words('deep\tlearning\nnow\r\nok'), ['deep', 'learning', 'now', 'ok']);
  assert.deepEqual(words('ab\u0000cd\u0007 e\u200Bf\u202Eg\u001f'), ['abcd', 'efg']);
  assert.deepEqual(words('bad\uD800 pair\uDC00'), ['bad', 'pair']);
});

test('long input is cut to the limit and reported; the part count is capped', () => {
  const q = parseQuery('word '.repeat(2000));
  assert.ok(q.errors.includes(`The query was cut to ${MAX_QUERY_CHARS} characters.`));
  assert.deepEqual(q.terms, [{ text: 'word', prefix: false }]);
  const many = parseQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '));
  assert.equal(many.terms.length, MAX_QUERY_PARTS);
  assert.deepEqual(many.errors, [`Only the first ${MAX_QUERY_PARTS} search terms are used.`]);
  // NFKC can expand text (one ligature -> 18 characters); the result is still capped.
  const expanded = parseQuery('\uFDFA'.repeat(MAX_QUERY_CHARS));
  assert.ok(expanded.semanticText.length <= MAX_QUERY_CHARS);
  assert.ok(expanded.errors.includes(`The query was cut to ${MAX_QUERY_CHARS} characters.`));
  assert.equal(parseQuery('a'.repeat(MAX_QUERY_CHARS)).errors.length, 0);
});

test('hostile inputs never throw and keep operators as text', () => {
  const hostile = [
    '', ' ', '"', '""', '"""', '-', '--', '-"', '*', '**', ':', 'author:', 'cat:', 'year:', 'year:99999', 'author:"',
    'NEAR(a b', 'a OR b NOT c', '(a', 'title:^x', '{title}:x', "'; DROP TABLE papers; --", '" OR 1=1 --',
    'x'.repeat(10_000), '\u0000\u0001\u001f', '🙂🚀 🧪', 'שלום עולם', 'مرحبا بالعالم', '\uD83D', 'a\u0000"b',
  ];
  for (const input of hostile) {
    const q = parseQuery(input);
    assert.equal(typeof q.semanticText, 'string', input);
    assert.ok(q.terms.length + q.phrases.length <= MAX_QUERY_PARTS);
  }
  assert.deepEqual(words('NEAR(a b'), ['NEAR(a', 'b']);
  assert.deepEqual(words('🙂🚀 🧪'), []);
  assert.deepEqual(words('שלום עולם'), ['שלום', 'עולם']);
  assert.deepEqual(words("'; DROP TABLE papers; --"), ['DROP', 'TABLE', 'papers;']);
  assert.doesNotThrow(() => parseQuery(undefined as unknown as string));
  assert.doesNotThrow(() => parseQuery(42 as unknown as string));
});
