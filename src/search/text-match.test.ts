import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mulberry32 } from '../../test/support/random.js';
import { porterStem } from './porter-stem.js';
import { inflectionBases, sameWord, stemOf, tokenAt, tokenize, tokensStartingWith } from './text-match.js';

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

describe('sameWord', () => {
  // Each group: words that must match one another (inflections of one word).
  const SAME = [
    ['network', 'networks', 'networking', 'networked'],
    ['model', 'models', 'modeling', 'modelling', 'modeled'],
    ['learn', 'learning', 'learned', 'learns'],
    ['study', 'studies', 'studied', 'studying'],
    // -ation is the noun of its verb in scientific prose: a search for "generation" marks "generated".
    ['generate', 'generates', 'generating', 'generated', 'generation', 'generations'],
    ['diffusion', 'diffusions', 'diffuse', 'diffused'],
    ['transformer', 'transformers'],
    ['detect', 'detection', 'detections', 'detecting'],
    ['organize', 'organization', 'organizations', 'organizing'],
    ['generalize', 'generalization', 'generalized'],
    ['inform', 'information'],
    ['efficient', 'efficiently'],
    ['supply', 'supplies', 'supplied'],
    ['critical', 'critically'],
    ['possible', 'possibly'],
    ['embedding', 'embeddings', 'embedded'],
    ['llm', 'llms'],
    ['process', 'processes', 'processing'],
    ['train', 'trains', 'training', 'trained'],
  ];
  // Pairs with the same Porter stem that must not match: look-alikes, not inflections.
  const DIFFERENT = [
    ['generation', 'generalization'],
    ['generation', 'general'],
    ['generation', 'generic'],
    ['generation', 'generative'],
    ['generate', 'generator'],
    ['universe', 'university'],
    ['organ', 'organization'],
    ['organ', 'organize'],
    ['new', 'news'],
    ['mean', 'meaning'],
    ['aim', 'aime'],
    ['critic', 'critically'],
    ['direct', 'direction'],
    ['product', 'production'],
    ['project', 'projection'],
    ['present', 'presentation'],
    ['normal', 'normalization'],
    ['local', 'localization'],
    ['visual', 'visualization'],
    ['transformer', 'transform'],
    ['effect', 'effective'],
    ['edit', 'edition'],
  ];

  test('inflections of a word match each other', () => {
    for (const group of SAME) for (const a of group) for (const b of group) assert.ok(sameWord(a, b), `${a} ~ ${b}: ${inflectionBases(a)} / ${inflectionBases(b)}`);
  });

  test('words Porter conflates but that are not inflections of each other do not', () => {
    for (const [a, b] of DIFFERENT as [string, string][]) {
      assert.equal(stemOf(a), stemOf(b), `${a} and ${b} share a stem (else the pair tests nothing)`);
      assert.ok(!sameWord(a, b) && !sameWord(b, a), `${a} !~ ${b}: ${inflectionBases(a)} / ${inflectionBases(b)}`);
    }
  });

  test('words with different stems never match; non-letters compare whole', () => {
    for (const [a, b] of [['policy', 'police'], ['train', 'trainee'], ['learning', 'learner'], ['3dgs', '3dg']] as [string, string][]) {
      assert.ok(!sameWord(a, b), `${a} !~ ${b}`);
    }
    assert.ok(sameWord('3dgs', '3dgs'));
  });
});

describe('tokenAt', () => {
  test('the next word from a position, as tokenize finds it', () => {
    const text = 'Retrieval-Augmented  Generation, für Müller';
    const all = tokenize(text);
    let pos = 0;
    for (const t of all) {
      assert.deepEqual(tokenAt(text, pos), t);
      pos = t.end;
    }
    assert.equal(tokenAt(text, pos), null);
  });
});
