import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mulberry32 } from '../../test/support/random.js';
import { porterStem } from './porter-stem.js';
import { stemOf, tokenize, tokensStartingWith } from './text-match.js';

const FIXTURE_TEXT = readFileSync('test/fixtures/search-service/papers.jsonl', 'utf8');

describe('stemOf', () => {
  // Highlighting skips every word whose first letter no query word's stem starts with.
  test('a stem begins with the first letter of its word', () => {
    const words = new Set(tokenize(FIXTURE_TEXT).map((t) => t.folded));
    for (const w of ['ies', 'sses', 'eed', 'ing', 'ed', 'ying', 'ation', 'ational', 'ies', 'ss', 'yes', 'eying', 'abed', 'ate']) words.add(w);
    const random = mulberry32(11);
    const letters = 'aeiouybcdlmnstgrzxw';
    const endings = ['', 's', 'ies', 'sses', 'ed', 'eed', 'ing', 'y', 'ational', 'ization', 'ful', 'ness', 'e', 'll', 'iciti', 'ement'];
    for (let i = 0; i < 20_000; i++) {
      let w = '';
      for (let n = Math.floor(random() * 5); n > 0; n--) w += letters[Math.floor(random() * letters.length)];
      words.add(w + endings[Math.floor(random() * endings.length)]);
    }
    for (const w of words) {
      if (w === '') continue;
      assert.equal(porterStem(w)[0], w[0], `${w} -> ${porterStem(w)}`);
      assert.equal(stemOf(w)[0], w[0], w);
    }
  });
});

describe('tokensStartingWith', () => {
  const filtered = (text: string, firsts: string) => tokenize(text).filter((t) => firsts.includes(t.folded[0] as string));

  test('finds what tokenize finds, only the words beginning with the given letters', () => {
    const texts = [
      'Gaussian Splatting for 3D scenes: NeRF-free, real-time (100 FPS) rendering.',
      'Müller and Çelik study naïve Bayes; ÉCOLE results: 2x faster.',
      'a',
      '',
      '  trailing   spaces  ',
      FIXTURE_TEXT.slice(0, 5000),
    ];
    for (const text of texts) for (const firsts of ['g', '3rs', 'cmn', 'e', 'cmü', 'ü', '0123456789abcdefghijklmnopqrstuvwxyz']) {
      assert.deepEqual(tokensStartingWith(text, firsts), filtered(text, firsts), `${JSON.stringify(text.slice(0, 40))} / ${firsts}`);
    }
  });

  test('no letters, no tokens', () => {
    assert.deepEqual(tokensStartingWith('some words', ''), []);
  });
});
