import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasKeywords } from '../store/store.js';
import { keywordText, mostWordsTexts } from './keyword-query.js';
import { parseQuery } from './query-parser.js';

const text = (input: string, opts?: Parameters<typeof keywordText>[1]) => keywordText(parseQuery(input), opts);
const word = (t: string, prefix = false) => ({ text: t, prefix });

test('every part of the search box in its place; categories and years are filters, not text', () => {
  assert.deepEqual(text('"gaussian splatting" depth* author:"Peter Kontschieder" -diffusion -"video priors" -author:Smith cat:cs.CV year:2025'), {
    terms: [word('depth', true)],
    termMatch: 'all',
    phrases: ['gaussian splatting'],
    authors: ['Peter Kontschieder'],
    excluded: ['diffusion', 'video priors'],
    excludedAuthors: ['Smith'],
  });
});

test('search-as-you-type: the last word is a prefix while it may still be typed, and has two letters', () => {
  assert.deepEqual(text('deep learnin', { prefixLast: true }).terms, [word('deep'), word('learnin', true)]);
  assert.deepEqual(text('deep learnin ', { prefixLast: true }).terms, [word('deep'), word('learnin')]);
  assert.deepEqual(text('deep l', { prefixLast: true }).terms, [word('deep'), word('l')]);
  assert.deepEqual(text('deep learnin').terms, [word('deep'), word('learnin')]);
});

test('natural language: any word, joined words split into their parts, stopwords dropped', () => {
  const nl = text('IL-6 in the E2f-1, -2 cells', { anyTerm: true });
  assert.equal(nl.termMatch, 'any');
  assert.deepEqual(nl.terms.map((t) => t.text), ['il', '6', 'e2f', '1', '2', 'cells']);
  assert.deepEqual(text('IL-6 signalling').terms.map((t) => t.text), ['IL-6', 'signalling'], 'every word required: a joined word stays whole');
  assert.deepEqual(text('the effect of learn*', { anyTerm: true }).terms, [word('effect'), word('learn', true)], 'a prefix stays whole');
});

test('no keywords: nothing positive is left to match', () => {
  for (const input of ['', '-diffusion', '-"text to image"', 'cat:cs.CV year:2024', '-author:Smith', '🙂 ...', 'author:']) assert.equal(hasKeywords(text(input)), false, input);
  assert.equal(hasKeywords(text('the of and', { anyTerm: true })), false, 'stopwords only, as natural language');
  assert.equal(hasKeywords(text('the of and')), true, 'the same words, every one required');
  assert.deepEqual(text('-diffusion -author:Qi').excluded, ['diffusion']);
});

test('sorted lists: all content words, then fewer, down to any one', () => {
  const levels = mostWordsTexts(keywordText(parseQuery('what makes a model of models turn one photo into 3D scenes'), { anyTerm: true }));
  // "what", "makes", "one", "into" are the model's stopwords; "model" and "models" are one word.
  assert.deepEqual(levels.map((t) => [t.termMatch, t.minTerms ?? null, t.terms.map((w) => w.text)]), [
    ['all', null, ['model', 'turn', 'photo', '3d', 'scenes']],
    ...[4, 3, 2, 1].map((k) => ['any', k, ['model', 'turn', 'photo', '3d', 'scenes']]),
  ]);
  // Ten words: as many levels as stay within 70 combinations (10 choose 8 = 45, 10 choose 7 = 120).
  const ten = mostWordsTexts(keywordText(parseQuery('alpha bravo charlie delta echo foxtrot golf hotel india juliet'), { anyTerm: true }));
  assert.deepEqual(ten.map((t) => t.minTerms ?? 10), [10, 9, 8]);
  // Only words of the model's stopword list: those words, as typed.
  assert.deepEqual(mostWordsTexts(keywordText(parseQuery('approach using method'), { anyTerm: true }))[0]?.terms.map((w) => w.text), ['approach', 'using', 'method']);
  // Prefixes, and text that requires every word already: no levels.
  assert.deepEqual(mostWordsTexts(keywordText(parseQuery('diffusion mod'), { anyTerm: true, prefixLast: true })), []);
  assert.deepEqual(mostWordsTexts(keywordText(parseQuery('diffusion models'))), []);
});
