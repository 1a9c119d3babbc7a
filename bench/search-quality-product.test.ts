import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paperText } from '../src/search/embedder.js';
import { evaluateRun } from '../src/search/eval-metrics.js';
import { HashTestEmbedder } from '../src/search/hash-test-embedder.js';
import { loadCorpus, loadQrels, loadQueries } from './scifact-data.js';
import { openLearnedSemantic } from './learned-model.js';
import { beirPaperId, grammarReport, memoEmbedder, productRuns, storedVectors } from './search-quality-product.js';

const MINI = 'test/fixtures/search/mini-beir';

describe('product engine', () => {
  it('runs the mini BEIR set through SearchService in every mode, with BEIR ids', async () => {
    const [docs, queries, qrels] = await Promise.all([loadCorpus(MINI), loadQueries(MINI), loadQrels(join(MINI, 'qrels/train.tsv'))]);
    const judged = queries.filter((q) => qrels.has(q.id));
    const embedder = new HashTestEmbedder();
    const vectors = await embedder.embed(docs.map((d) => paperText(d.title, d.text)));
    const matrix = new Float32Array(docs.length * embedder.dimensions);
    vectors.forEach((v, i) => matrix.set(v, i * embedder.dimensions));
    const runs = await productRuns(docs, judged, storedVectors(docs, embedder, matrix), { depth: 100, limit: 10 });
    assert.deepEqual([...runs.keys()], ['keyword', 'semantic', 'hybrid']);
    const docIds = new Set(docs.map((d) => d.id));
    for (const run of runs.values()) for (const ids of run.values()) for (const id of ids) assert.ok(docIds.has(id), id);
    assert.equal(runs.get('keyword')!.get('q3')![0], '2406.10210');
    assert.ok(evaluateRun(runs.get('hybrid')!, qrels).ndcg10 > 0.5);
  });

  it('trains the learned model on the stored corpus for the semantic side', async () => {
    const [docs, queries, qrels] = await Promise.all([loadCorpus(MINI), loadQueries(MINI), loadQrels(join(MINI, 'qrels/train.tsv'))]);
    const judged = queries.filter((q) => qrels.has(q.id));
    let trainedOn = 0;
    const runs = await productRuns(
      docs,
      judged,
      async (store) => {
        const learned = await openLearnedSemantic(store);
        trainedOn = learned.trained.model.info.trainedOn.papers;
        assert.equal(learned.trained.embedded, docs.length);
        return learned;
      },
      { limit: 10 },
    );
    assert.equal(trainedOn, docs.length);
    for (const run of runs.values()) assert.equal(run.size, judged.length);
    assert.ok(evaluateRun(runs.get('hybrid')!, qrels).ndcg10 > 0.5);
  });

  it('rejects vectors that do not fit the corpus', async () => {
    const docs = await loadCorpus(MINI);
    assert.throws(() => storedVectors(docs, new HashTestEmbedder(), new Float32Array(3)), /vectors for 6 documents/);
  });

  it('reports queries the grammar reads specially', () => {
    const g = grammarReport([
      { id: 'a', text: 'E2f-1, -2, -3 TKO cells' },
      { id: 'b', text: 'cells make "Van Gogh" bundles' },
      { id: 'c', text: 'COVID-19 spreads' },
      { id: 'd', text: 'plain words only.' },
      { id: 'e', text: 'cells without -apoptosis' },
    ]);
    assert.deepEqual(g.excluded, ['e']);
    assert.deepEqual(g.phrases, ['b']);
    assert.deepEqual(g.hyphenated, ['a', 'c']);
    assert.deepEqual(g.fields, []);
  });

  it('ids and the memo embedder', async () => {
    assert.equal(beirPaperId(42), '9000.00042');
    let calls = 0;
    const inner = new HashTestEmbedder();
    const memo = memoEmbedder({ id: inner.id, dimensions: inner.dimensions, embed: (t) => ((calls += t.length), inner.embed(t)) });
    const [a] = await memo.embed(['x y']);
    const [b, c] = await memo.embed(['x y', 'z']);
    assert.equal(calls, 2);
    assert.equal(a, b);
    assert.notEqual(c, undefined);
  });
});
