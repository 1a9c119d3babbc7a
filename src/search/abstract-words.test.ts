import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abstractWords, wordToken } from './abstract-words.js';
import { squashWhitespace, stemOf, tokenize } from './text-match.js';

// Line breaks as arXiv wraps abstracts, a diacritic and a non-ASCII letter.
const ABSTRACT = 'We study Müller’s  networks,\nnetworking and\tthe NETWORK effect of naïve\n  diffusion models (3DGS).\n';

describe('abstractWords', () => {
  test('every word of the squashed abstract, where it is, with its stem', () => {
    const squashed = squashWhitespace(ABSTRACT);
    assert.equal(squashed, 'We study Müller’s networks, networking and the NETWORK effect of naïve diffusion models (3DGS).');
    const words = abstractWords(ABSTRACT);
    const tokens = tokenize(squashed);
    assert.equal(words.stems.length, tokens.length);
    assert.deepEqual(words.stems, tokens.map((t) => stemOf(t.folded)));
    tokens.forEach((t, k) => assert.deepEqual(wordToken(squashed, words, k), t));
    assert.deepEqual(
      words.stems.filter((_, k) => wordToken(squashed, words, k).folded.startsWith('network')),
      ['network', 'network', 'network'],
    );
    assert.equal(wordToken(squashed, words, 2).folded, 'muller');
  });

  test('the same abstract is split once: a later call, even with another copy of the text, gets the kept words', () => {
    const first = abstractWords(ABSTRACT);
    const copy = ` ${ABSTRACT}`.slice(1);
    assert.equal(abstractWords(copy), first);
    assert.notEqual(abstractWords(`${ABSTRACT} More.`), first);
  });

  test('an empty abstract has no words', () => {
    assert.deepEqual(abstractWords('  \n ').stems, []);
  });
});
