import assert from 'node:assert/strict';
import { test } from 'node:test';
import { porterStem } from './porter-stem.js';

// Pairs from Porter's paper and his published vocabulary/output lists.
const CASES: [string, string][] = [
  ['caresses', 'caress'], ['ponies', 'poni'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'],
  ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'], ['hopping', 'hop'], ['filing', 'file'], ['happy', 'happi'],
  ['relational', 'relat'], ['generalizations', 'gener'], ['electrical', 'electr'], ['hopeful', 'hope'], ['goodness', 'good'],
  ['allowance', 'allow'], ['adjustment', 'adjust'], ['homologous', 'homolog'], ['effective', 'effect'], ['controlling', 'control'],
  ['networks', 'network'], ['splatting', 'splat'], ['learning', 'learn'], ['diffusion', 'diffus'], ['transformers', 'transform'],
];

test('porterStem reduces words as Porter (1980) does', () => {
  for (const [word, stem] of CASES) assert.equal(porterStem(word), stem, word);
});

test('porterStem leaves short words, digits and non-ASCII words alone', () => {
  for (const w of ['is', 'a', 'gpt4', 'müller', 'résumé', '2024', '']) assert.equal(porterStem(w), w);
});
