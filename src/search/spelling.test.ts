import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { mulberry32 } from '../../test/support/random.js';
import { parseQuery } from './query-parser.js';
import { correctQuery, editDistance, maxDistanceFor, SpellingIndex, type VocabularyEntry } from './spelling.js';
import { tokenize } from './text-match.js';

// The demo's title words in at least 2 papers, as store/sqlite-vocabulary.ts reads them from the index.
const demo = gunzipSync(readFileSync(new URL('../../demo/hf-daily-papers.jsonl.gz', import.meta.url))).toString('utf8');
const titleCounts = new Map<string, number>();
const indexed = new Set<string>();
for (const line of demo.split('\n')) {
  if (line.trim() === '') continue;
  const paper = JSON.parse(line) as { title: string; summary: string };
  for (const w of new Set(tokenize(paper.title).map((t) => t.folded))) titleCounts.set(w, (titleCounts.get(w) ?? 0) + 1);
  for (const t of tokenize(`${paper.title} ${paper.summary}`)) indexed.add(t.folded);
}
const demoIndex = SpellingIndex.build([...titleCounts].filter(([, n]) => n >= 2));
const knownInDemo = (word: string) => indexed.has(word.toLowerCase());

test('spelling: real typos of title words are corrected from the demo titles', () => {
  const typos: [string, string][] = [
    ['difusion', 'diffusion'], ['trasformers', 'transformers'], ['segmantation', 'segmentation'], ['reinforcment', 'reinforcement'],
    ['lagnuage', 'language'], ['gausian', 'gaussian'], ['transfomer', 'transformer'], ['atention', 'attention'],
    // distance 2, from 8 letters: insertion + deletion, two transpositions, a dropped and a doubled letter
    ['difussion', 'diffusion'], ['halucinaton', 'hallucination'], ['lagnauge', 'language'], ['embedings', 'embeddings'],
    ['retreival', 'retrieval'], ['benchmarck', 'benchmark'], ['knowlege', 'knowledge'], ['splating', 'splatting'],
    ['quantisation', 'quantization'], ['multimodel', 'multimodal'], ['vidoe', 'video'], ['grpah', 'graph'], ['nerual', 'neural'],
    ['modle', 'model'], ['efficent', 'efficient'], ['tokenzier', 'tokenizer'], ['reasonign', 'reasoning'],
    // capitalised, and with diacritics the index would have folded
    ['Difusion', 'diffusion'], ['gausián', 'gaussian'],
  ];
  for (const [typo, want] of typos) assert.equal(demoIndex.suggest(typo), want, typo);
});

test('spelling: known words, short words, words with digits and gibberish get no suggestion', () => {
  for (const w of ['diffusion', 'Transformers', 'LLM', 'llms', 'vla', 'gaussian']) assert.equal(demoIndex.suggest(w), null, w);
  // Under 4 letters: at 3 letters most unknown words are acronyms, and a third of the corrections were wrong.
  for (const w of ['lmm', 'vqa', 'rl', 'a', '']) assert.equal(demoIndex.suggest(w), null, w);
  for (const w of ['gpt4o', 'llama3', '3dgs', 'qwen2', '2024']) assert.equal(demoIndex.suggest(w), null, w);
  for (const w of ['asdkjhqwezzz', 'qwertyuiop', 'zzzzzz', 'xkcdxkcd']) assert.equal(demoIndex.suggest(w), null, w);
});

test('spelling: distance 1 up to 7 letters; distance 2 from 8, keeping the first and last letters', () => {
  assert.deepEqual([3, 4, 7, 8, 12].map(maxDistanceFor), [0, 1, 1, 2, 2]);
  const index = SpellingIndex.build([['attention', 40], ['language', 30], ['model', 9]]);
  assert.equal(index.suggest('atentoin'), 'attention'); // 8 letters, 2 edits, a…n
  assert.equal(index.suggest('lagnauge'), 'language');
  assert.equal(index.suggest('mdoel'), 'model'); // 1 edit (a transposition)
  assert.equal(index.suggest('modls'), null); // 5 letters, 2 edits
  assert.equal(index.suggest('btentoin'), null); // 2 edits, first letter changed
  assert.equal(index.suggest('atentioi'), null); // 2 edits, last letter changed
  assert.equal(index.suggest('atentio'), null); // 7 letters: 2 edits are too many
});

test('spelling: ranked by distance, then a shared first letter, then papers', () => {
  const index = SpellingIndex.build([['gain', 1000], ['raid', 3], ['rail', 5], ['transformer', 1], ['transformers', 10]]);
  assert.equal(index.suggest('rain'), 'rail'); // gain is commoner, rail and raid keep the r; rail is in more papers
  assert.deepEqual(index.candidates('rain', 1).map((c) => c.word), ['rail', 'raid', 'gain']);
  assert.equal(index.suggest('transformr'), 'transformer'); // distance 1 beats distance 2 in ten times the papers
  assert.deepEqual(index.candidates('transformr', 2).map((c) => [c.word, c.distance, c.count]), [
    ['transformer', 1, 1],
    ['transformers', 2, 10],
  ]);
});

test('spelling: a word given twice keeps its larger count; numbers are not indexed', () => {
  const index = SpellingIndex.build([['Müller', 2], ['muller', 7], ['2024', 50], ['gpt4', 9], ['model', 3]]);
  assert.equal(index.size, 2);
  assert.equal(index.count('MULLER'), 7);
  assert.equal(index.count('2024'), 0);
  assert.equal(index.suggest('mulller'), 'muller');
});

/** OSA distance, the textbook table. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const up = d[i - 1]!;
      row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const randomWord = (r: () => number, alphabet: string, min: number, max: number) =>
  Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');

test('spelling: editDistance is the optimal string alignment distance, cut at max', () => {
  const r = mulberry32(7);
  for (let n = 0; n < 5000; n++) {
    const a = randomWord(r, 'abc', 0, 9);
    const b = randomWord(r, 'abc', 0, 9);
    const max = [0, 1, 2, 3, Infinity][Math.floor(r() * 5)]!;
    const want = osa(a, b);
    assert.equal(editDistance(a, b, max), want > max ? max + 1 : want, `${a} ${b} ${max}`);
  }
  assert.equal(editDistance('ca', 'abc'), 3); // OSA, not unrestricted Damerau-Levenshtein (2)
});

test('spelling: the deletion index finds exactly the words a full scan finds', () => {
  // Few letters and many shared beginnings, so that words are close and prefixes (7 letters) collide.
  const r = mulberry32(11);
  const stems = Array.from({ length: 40 }, () => randomWord(r, 'abcde', 3, 8));
  const words = new Set<string>();
  while (words.size < 3000) words.add(stems[Math.floor(r() * stems.length)] + randomWord(r, 'abcdef', 0, 7));
  const vocabulary: VocabularyEntry[] = [...words].map((w, i) => [w, 1 + (i % 17)]);
  const index = SpellingIndex.build(vocabulary);
  for (let n = 0; n < 300; n++) {
    const base = [...words][Math.floor(r() * words.size)]!;
    const query = n % 3 === 0 ? randomWord(r, 'abcdef', 1, 14) : [...base].filter(() => r() > 0.15).join('') + randomWord(r, 'abcdef', 0, 2);
    for (const max of [1, 2]) {
      // At distance 2 only words of 6 letters or more are indexed: shorter ones are never corrected at 2.
      const want = [...words].filter((w) => osa(query, w) <= max && (osa(query, w) <= 1 || w.length >= 6)).sort();
      const got = index.candidates(query, max).map((c) => c.word).sort();
      assert.deepEqual(got, want, `${query} at ${max}`);
    }
  }
});

test('spelling: toData and fromData give the same index, for a worker to build it', () => {
  const copy = SpellingIndex.fromData(structuredClone(demoIndex.toData()));
  assert.equal(copy.size, demoIndex.size);
  for (const w of ['difusion', 'trasformers', 'lagnuage', 'asdkjhqwezzz']) assert.equal(copy.suggest(w), demoIndex.suggest(w));
  assert.equal(copy.count('diffusion'), demoIndex.count('diffusion'));
  assert.equal(SpellingIndex.fromData(SpellingIndex.build([]).toData()).suggest('anything'), null);
});

test('correctQuery: unknown words are corrected, everything else is kept as typed', () => {
  const fix = (q: string) => correctQuery(q, knownInDemo, demoIndex);
  assert.deepEqual(fix('difusion trasformers'), {
    text: 'diffusion transformers',
    corrections: [
      { from: 'difusion', to: 'diffusion' },
      { from: 'trasformers', to: 'transformers' },
    ],
  });
  assert.equal(fix('Difusion  Models\tfor "gausian splating" ')?.text, 'Diffusion  Models\tfor "gaussian splatting" ');
  assert.equal(fix('“gausian splating')?.text, '“gaussian splatting'); // typographic and unclosed quotes
  assert.equal(fix('lagnuage, (atention)')?.text, 'language, (attention)');
  const kept = 'author:Vaswani author:"Jon Smiht" -author:Smiht cat:cs.CV -cat:cs.RO year:2020..2024 -difusion -"gausian splating" difus* foo:barr';
  assert.equal(fix(kept), null);
  assert.equal(fix(`${kept} reinforcment`)?.text, `${kept} reinforcement`);
  // Numbers, words with digits, short words, names and acronyms in capitals, known words.
  assert.deepEqual(fix('2024 -2 3dgs GPT-4o qwen2 llm vqa DIFUSION LoRA Gausian'), {
    text: '2024 -2 3dgs GPT-4o qwen2 llm vqa DIFUSION LoRA Gaussian',
    corrections: [{ from: 'Gausian', to: 'Gaussian' }],
  });
  assert.equal(fix('diffusion transformers for language models'), null);
  assert.equal(fix('asdkjhqwezzz'), null);
  assert.equal(fix(''), null);
  assert.deepEqual(fix('difusion difusion')?.corrections, [{ from: 'difusion', to: 'diffusion' }]);
});

test('correctQuery: asks isKnown, so a word the index holds anywhere is left alone', () => {
  const asked: string[] = [];
  const known = new Set(['difusion']);
  const out = correctQuery('Difusion trasformers author:Smiht', (w) => (asked.push(w), known.has(w.toLowerCase())), demoIndex);
  assert.deepEqual(asked, ['Difusion', 'trasformers']);
  assert.equal(out?.text, 'Difusion transformers author:Smiht');
});

test('correctQuery: the corrected query parses as the typed one, with only words replaced', () => {
  // A stand-in index that changes every word it is asked about, so every part the parser would
  // take as a field, an exclusion or a prefix shows up if correctQuery touched it.
  const changeAll = { suggest: (w: string) => `${w.toLowerCase()}x` };
  const r = mulberry32(3);
  const parts = ['deep', 'Learning', 'author:Hinton', 'AUTHOR:"Yann LeCun"', 'au:', 'cat:cs.CV', '-cat:cs', 'year:2020..2024', '-video',
    '-"text to image"', '"gaussian splatting"', 'diffus*', 'state-of-the-art', 'GPT-4', '-2', 'E2f-1,', 'foo:bar', 'foo:"bar baz"',
    '"unclosed phrase', '“curly”', '-', '--x', 'a"b c"d', 'x:y:z', '(models)', 'LoRA', '\t', '  '];
  for (let n = 0; n < 3000; n++) {
    const q = Array.from({ length: 1 + Math.floor(r() * 6) }, () => parts[Math.floor(r() * parts.length)]).join(r() < 0.8 ? ' ' : '');
    const out = correctQuery(q, () => false, changeAll);
    const before = parseQuery(q);
    const after = parseQuery(out?.text ?? q);
    for (const key of ['authors', 'excludedAuthors', 'categories', 'excludedCategories', 'excluded', 'excludedPhrases', 'yearFrom', 'yearTo', 'errors'] as const) {
      assert.deepEqual(after[key], before[key], `${key} of ${JSON.stringify(q)}`);
    }
    assert.equal(after.terms.length, before.terms.length, q);
    assert.deepEqual(after.terms.map((t) => t.prefix), before.terms.map((t) => t.prefix), q);
    assert.equal(after.phrases.length, before.phrases.length, q);
  }
});
