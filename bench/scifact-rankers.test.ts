import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paperText } from '../src/search/embedder.js';
import { evaluateRun } from '../src/search/eval-metrics.js';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.js';
import { loadCorpus, loadQrels, loadQueries } from './scifact-data.js';
import { DEFAULT_KEYWORD, KeywordIndex, LUCENE_STOPWORDS, SemanticIndex, fuse, naturalLanguageMatch, queryBigrams, queryTerms } from './scifact-rankers.js';

const MINI = 'test/fixtures/search/mini-beir';
const docs = await loadCorpus(MINI);
const queries = await loadQueries(MINI);
const qrels = await loadQrels(join(MINI, 'qrels/train.tsv'));
const text = (id: string): string => queries.find((q) => q.id === id)!.text;

describe('query construction', () => {
  it('keeps content words once, lowercased, split like unicode61', () => {
    assert.deepEqual(queryTerms('The risk of Type-2 diabetes is the risk.', LUCENE_STOPWORDS), ['risk', 'type', '2', 'diabetes']);
    assert.deepEqual(queryBigrams('The risk of Type-2 diabetes', LUCENE_STOPWORDS), ['type 2', '2 diabetes']);
  });

  it('joins terms with OR or implicit AND; null when only stopwords remain', () => {
    assert.equal(naturalLanguageMatch('Insulin reduces glucose', DEFAULT_KEYWORD), '"insulin" OR "reduces" OR "glucose"');
    assert.equal(naturalLanguageMatch('Insulin reduces glucose', { ...DEFAULT_KEYWORD, operator: 'and' }), '"insulin" "reduces" "glucose"');
    assert.equal(naturalLanguageMatch('it is not the', DEFAULT_KEYWORD), null);
    // FTS5 syntax in the text is only ever text.
    assert.equal(naturalLanguageMatch('NEAR("x" AND y*)', DEFAULT_KEYWORD), '"near" OR "x" OR "y"');
  });
});

describe('KeywordIndex', () => {
  const index = new KeywordIndex(docs);
  after(() => index.close());

  it('ranks the judged papers first for claim-like queries', () => {
    const run = new Map(queries.map((q) => [q.id, index.search(q.text, 10).ids]));
    assert.deepEqual(new Set(run.get('q1')!.slice(0, 2)), new Set(['2405.19325', '2408.11049']));
    assert.equal(evaluateRun(run, qrels).recall100, 1);
    const r = index.search(text('q1'), 10);
    assert.ok(r.scores.every((s, i) => i === 0 || s <= r.scores[i - 1]!), 'scores descend');
  });

  it('OR finds what implicit AND misses', () => {
    const and = index.search(text('q2'), 10, { ...DEFAULT_KEYWORD, operator: 'and' });
    const or = index.search(text('q2'), 10);
    assert.equal(and.ids.length, 0);
    assert.ok(or.ids.includes('2409.16283'));
  });

  it('returns nothing for stopword-only queries and rejects odd tokenizer specs', () => {
    assert.deepEqual(index.search('is it the', 10), { ids: [], scores: [] });
    assert.throws(() => new KeywordIndex(docs, "porter'); DROP TABLE x; --"), /unsupported tokenizer/);
  });
});

describe('SemanticIndex and fuse', () => {
  it('finds the robot papers by meaning and fuses with keyword results', async () => {
    const embedder = new UseLiteEmbedder();
    const vectors = await embedder.embed(docs.map((d) => paperText(d.title, d.text)));
    const matrix = new Float32Array(docs.length * 512);
    vectors.forEach((v, i) => matrix.set(v, i * 512));
    const semantic = new SemanticIndex(docs.map((d) => d.id), matrix, 512);
    const [qv] = await embedder.embed([text('q2')]);
    const sem = semantic.search(qv!, 6);
    assert.deepEqual(new Set(sem.ids.slice(0, 2)), new Set(['2409.01083', '2409.16283']));

    const kw = new KeywordIndex(docs);
    const kwRanking = kw.search(text('q2'), 6);
    kw.close();
    for (const fusion of ['rrf', 'convex'] as const) {
      const hybrid = fuse(kwRanking, sem, { fusion, rrfK: 60, normalisation: 'zscore', keywordWeight: 1, semanticWeight: 1, depth: 6 }, 3);
      assert.equal(hybrid.ids.length, 3);
      assert.deepEqual(new Set(hybrid.ids.slice(0, 2)), new Set(['2409.01083', '2409.16283']), fusion);
    }
    assert.throws(() => new SemanticIndex(['only-one'], matrix, 512), RangeError);
  });
});
