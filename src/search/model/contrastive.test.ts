// Contrastive refinement on a synthetic corpus where the starting table knows
// nothing (random rows): each "paper" has its own rare topic words, shared by
// its title and abstract, among common filler words. Training on (title,
// abstract) pairs must teach the table that a title goes with its abstract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../random.js';
import { refineContrastive, trainingPairs } from './contrastive.js';
import { stemCounts } from './model-tokens.js';
import { TokenIndex, quantiseRows } from './token-table.js';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ');
const topic = (i: number) => [`${WORDS[i % 26]}${WORDS[Math.floor(i / 26) % 26]}x`, `${WORDS[(i * 7) % 26]}${WORDS[(i * 3) % 26]}z`];

function corpus(n: number, random: () => number): { title: string; abstract: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const filler = () => WORDS[Math.floor(random() * 26)];
    const [a, b] = topic(i);
    return {
      title: `${a} ${filler()} ${b}`,
      abstract: `${filler()} ${a} ${filler()} ${filler()} ${b} ${filler()} ${filler()}. ${filler()} ${a} ${filler()} ${filler()} ${filler()}.`,
    };
  });
}

function setup(seed: number) {
  const random = mulberry32(seed);
  const papers = corpus(256, random);
  const stems = [...new Set(papers.flatMap((p) => [...stemCounts(`${p.title} ${p.abstract}`).keys()]))].sort();
  const d = 16;
  const rows = Float32Array.from({ length: stems.length * d }, () => random() - 0.5);
  return { papers, stems, d, rows, random };
}

/** Share of titles whose own abstract is the nearest abstract. */
function titleAccuracy(papers: { title: string; abstract: string }[], stems: string[], rows: Float32Array, d: number): number {
  const index = new TokenIndex({ stems, dimensions: d, ...quantiseRows(rows, d) });
  const abstracts = papers.map((p) => index.embed(p.abstract));
  let right = 0;
  papers.forEach((p, i) => {
    const q = index.embed(p.title);
    const sims = abstracts.map((v) => v.reduce((s, x, j) => s + x * q[j]!, 0));
    if (sims.indexOf(Math.max(...sims)) === i) right++;
  });
  return right / papers.length;
}

test('contrastive training lowers the loss and teaches titles their abstracts', () => {
  const { papers, stems, d, rows, random } = setup(11);
  const before = titleAccuracy(papers, stems, rows, d);
  const pairs = papers.map((p): [string, string] => [p.title, p.abstract]);
  const losses = refineContrastive(stems, rows, d, pairs, { epochs: 12, batch: 32, temperature: 0.1, learningRate: 0.2, random });
  assert.equal(losses.length, 12);
  assert.ok(losses.at(-1)! < losses[0]! * 0.5, `loss ${losses[0]} -> ${losses.at(-1)}`);
  const after = titleAccuracy(papers, stems, rows, d);
  assert.ok(before < 0.2, `random rows find ${before} of the abstracts`);
  assert.ok(after > 0.8, `after training: ${after}`);
});

test('the same pairs, table and seed give the same rows; another seed others', () => {
  const run = (seed: number) => {
    const { papers, stems, d, rows } = setup(5);
    refineContrastive(stems, rows, d, trainingPairs(papers, mulberry32(seed)), { epochs: 2, batch: 16, random: mulberry32(seed) });
    return rows;
  };
  assert.deepEqual(run(1), run(1));
  assert.notDeepEqual(run(1), run(2));
});

test('training pairs: a title with its abstract, and one sentence of a long abstract with the rest', () => {
  const pairs = trainingPairs(
    [
      { title: 'Sparse attention', abstract: 'We make attention sparse for long inputs today. It runs faster than dense attention on GPUs. Quality stays the same on every benchmark we tried.' },
      { title: 'No abstract', abstract: '' },
    ],
    mulberry32(1),
  );
  assert.equal(pairs.length, 2);
  assert.equal(pairs[0]![0], 'Sparse attention');
  const [sentence, rest] = pairs[1]!;
  assert.ok(!rest.includes(sentence) && `${sentence} ${rest}`.length > 100, 'the sentence is left out of the rest');
});
