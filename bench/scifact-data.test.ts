import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../src/search/embedder.js';
import { cachedEmbeddings, loadCorpus, loadQrels, loadQueries, textsHash } from './scifact-data.js';

const MINI = 'test/fixtures/search/mini-beir';

describe('BEIR loaders', () => {
  it('read corpus, queries and qrels of the mini fixture', async () => {
    const docs = await loadCorpus(MINI);
    assert.equal(docs.length, 6);
    assert.equal(docs[2]!.title, 'Affordance-based Robot Manipulation with Flow Matching');
    const queries = await loadQueries(MINI);
    assert.deepEqual(queries.map((q) => q.id), ['q1', 'q2', 'q3', 'q4']);
    const qrels = await loadQrels(join(MINI, 'qrels/train.tsv'));
    assert.deepEqual([...qrels.keys()], ['q1', 'q2', 'q3']);
    assert.deepEqual([...qrels.get('q1')!], [['2405.19325', 1], ['2408.11049', 1]]);
  });

  it('report the file and line of bad input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beir-'));
    try {
      await writeFile(join(dir, 'corpus.jsonl'), '{"_id": "1", "text": "ok"}\n{oops\n');
      await assert.rejects(loadCorpus(dir), /corpus\.jsonl:2: not valid JSON/);
      await writeFile(join(dir, 'queries.jsonl'), '{"_id": 1, "text": "id is a number"}\n');
      await assert.rejects(loadQueries(dir), /no string "_id"/);
      await writeFile(join(dir, 'q.tsv'), 'query-id\tcorpus-id\tscore\n');
      await assert.rejects(loadQrels(join(dir, 'q.tsv')), /no judgements/);
      await writeFile(join(dir, 'q.tsv'), 'q1\td1\thigh\n');
      await assert.rejects(loadQrels(join(dir, 'q.tsv')), /q\.tsv:1: score "high"/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('cachedEmbeddings', () => {
  /** Deterministic 2-d vectors from text length; counts calls. */
  function countingEmbedder(): Embedder & { calls: number } {
    const e = {
      id: 'len/2d',
      dimensions: 2,
      calls: 0,
      embed: async (texts: string[]) => {
        e.calls++;
        return texts.map((t) => new Float32Array([t.length, 1]));
      },
    };
    return e;
  }

  it('embeds once, then reads the same matrix from the cache', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vec-cache-'));
    try {
      const e = countingEmbedder();
      const first = await cachedEmbeddings(e, ['a', 'b'], ['x', 'yyy'], dir);
      assert.equal(first.fromCache, false);
      assert.deepEqual([...first.matrix], [1, 1, 3, 1]);
      const second = await cachedEmbeddings(e, ['a', 'b'], ['x', 'yyy'], dir);
      assert.equal(second.fromCache, true);
      assert.deepEqual([...second.matrix], [1, 1, 3, 1]);
      assert.equal(e.calls, 1);
      assert.deepEqual(await readdir(dir), [`len_2d-${textsHash(['a', 'b'], ['x', 'yyy'])}.f32`]);
      // Changed text means a different key and a fresh embedding.
      await cachedEmbeddings(e, ['a', 'b'], ['x', 'yy'], dir);
      assert.equal(e.calls, 2);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('textsHash depends on ids, texts and their order', () => {
    const h = textsHash(['1', '2'], ['a', 'b']);
    assert.match(h, /^[0-9a-f]{16}$/);
    assert.notEqual(h, textsHash(['2', '1'], ['b', 'a']));
    assert.notEqual(h, textsHash(['1', '2'], ['a', 'c']));
    assert.notEqual(textsHash(['1'], ['ab']), textsHash(['1a'], ['b']));
  });
});
