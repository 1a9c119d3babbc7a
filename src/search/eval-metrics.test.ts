import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRun, meanOverQueries, ndcgAtK, recallAtK, type Qrels } from './eval-metrics.js';

const judged = (pairs: [string, number][]): Map<string, number> => new Map(pairs);
const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe('ndcgAtK', () => {
  it('is 1 for the ideal order', () => {
    assert.equal(ndcgAtK(['a', 'b', 'x'], judged([['a', 1], ['b', 1]]), 10), 1);
  });

  it('matches a hand-computed binary example', () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3)
    close(ndcgAtK(['a', 'x', 'b'], judged([['a', 1], ['b', 1]]), 10), 0.9197207891481876);
  });

  it('uses linear gains for graded judgements', () => {
    // DCG = 1 + 2/log2(3); IDCG = 2 + 1/log2(3)
    close(ndcgAtK(['b', 'a'], judged([['a', 2], ['b', 1]]), 10), 0.8597186998521972);
  });

  it('ignores documents below the cutoff and judged-irrelevant ones', () => {
    const ranked = ['x', 'a', 'c'];
    close(ndcgAtK(ranked, judged([['a', 1], ['c', 0]]), 2), 0.6309297535714575);
    assert.equal(ndcgAtK(ranked, judged([['c', 1]]), 2), 0);
  });

  it('counts a repeated document once and does not let it take a slot twice', () => {
    close(ndcgAtK(['x', 'x', 'a'], judged([['a', 1]]), 2), 0.6309297535714575);
  });

  it('is 0 when nothing is relevant, and rejects a bad cutoff', () => {
    assert.equal(ndcgAtK(['a'], judged([['a', 0]]), 10), 0);
    assert.throws(() => ndcgAtK(['a'], judged([]), 0), RangeError);
    assert.throws(() => ndcgAtK(['a'], judged([]), 2.5), RangeError);
  });
});

describe('recallAtK', () => {
  it('is the share of relevant documents in the first k', () => {
    const j = judged([['a', 1], ['b', 1], ['c', 0]]);
    assert.equal(recallAtK(['a', 'c', 'x', 'b'], j, 3), 0.5);
    assert.equal(recallAtK(['a', 'c', 'x', 'b'], j, 4), 1);
    assert.equal(recallAtK([], j, 100), 0);
    assert.equal(recallAtK(['a', 'a'], j, 100), 0.5);
  });
});

describe('meanOverQueries / evaluateRun', () => {
  const qrels: Qrels = new Map([
    ['q1', judged([['a', 1]])],
    ['q2', judged([['b', 1]])],
  ]);

  it('averages over every judged query, counting a query without results as 0', () => {
    const run = new Map([['q1', ['a']], ['unjudged', ['z']]]);
    assert.equal(meanOverQueries(run, qrels, ndcgAtK, 10), 0.5);
    assert.deepEqual(evaluateRun(run, qrels), { ndcg10: 0.5, recall100: 0.5 });
  });

  it('rejects empty qrels', () => {
    assert.throws(() => meanOverQueries(new Map(), new Map(), ndcgAtK, 10), /no queries/);
  });
});
