/**
 * Paper-vector storage every Store implementation must have (semantic search
 * reads and writes through these methods). Run by each implementation's test file.
 */
import assert from 'node:assert/strict';
import type { PaperRecord } from '../model.js';
import type { EmbeddingTodo, NewEmbedding, StoredEmbedding, Store } from './store.js';
import { buildPaper } from '../../test/support/build.js';
import { storeTests } from './contract-support.js';

const E = 'test-embedder-v1';

/** A vector that encodes which paper and which text it came from. */
function vectorFor(todo: EmbeddingTodo, tag = 0): NewEmbedding {
  const vector = Int8Array.from([-128, 127, todo.title.length % 100, tag, -1, 0]);
  return { ...todo, textHash: `h${todo.title.length}-${tag}`, scale: 0.01, vector };
}

async function all(store: Store, embedderId: string, opts?: { afterSeq?: number; batchSize?: number }): Promise<StoredEmbedding[][]> {
  const out: StoredEmbedding[][] = [];
  for await (const batch of store.embeddingBatches(embedderId, opts)) out.push(batch);
  return out;
}

export function storeEmbeddingsContract(name: string, freshStore: () => Promise<Store>): void {
  const withStore = storeTests(`${name}: embeddings`, freshStore);

  const papers = (n: number): PaperRecord[] => Array.from({ length: n }, () => buildPaper());

  withStore('new papers need a vector until one is stored, in id order, paged by afterId', async (store) => {
    const ps = papers(5);
    await store.upsertItems(ps.map((paper) => ({ paper })));
    const ids = ps.map((p) => p.id).sort();
    assert.equal(await store.countPapersNeedingEmbedding(E), 5);
    const first = await store.papersNeedingEmbedding(E, { limit: 2 });
    assert.deepEqual(first.map((t) => t.paperId), ids.slice(0, 2));
    assert.equal(first[0]!.title, ps.find((p) => p.id === ids[0])!.title);
    const next = await store.papersNeedingEmbedding(E, { limit: 10, afterId: first[1]!.paperId });
    assert.deepEqual(next.map((t) => t.paperId), ids.slice(2));

    assert.equal(await store.putEmbeddings(E, first.map((t) => vectorFor(t))), 2);
    assert.equal(await store.countPapersNeedingEmbedding(E), 3);
    assert.deepEqual((await store.papersNeedingEmbedding(E, { limit: 10 })).map((t) => t.paperId), ids.slice(2));
    // Another embedder's vectors are its own.
    assert.equal(await store.countPapersNeedingEmbedding('other-embedder'), 5);
    assert.equal(await store.countEmbeddings(E), 2);
    assert.equal(await store.countEmbeddings('other-embedder'), 0);
  });

  withStore('vectors read back byte for byte, in seq order, in batches', async (store) => {
    await store.upsertItems(papers(5).map((paper) => ({ paper })));
    const todo = await store.papersNeedingEmbedding(E, { limit: 10 });
    await store.putEmbeddings(E, todo.map((t, i) => vectorFor(t, i)));
    const batches = await all(store, E, { batchSize: 2 });
    assert.deepEqual(batches.map((b) => b.length), [2, 2, 1]);
    const rows = batches.flat();
    assert.deepEqual(rows.map((r) => r.paperId), todo.map((t) => t.paperId));
    assert.ok(rows.every((r, i) => i === 0 || r.seq > rows[i - 1]!.seq));
    assert.deepEqual(Array.from(rows[3]!.vector), [-128, 127, todo[3]!.title.length % 100, 3, -1, 0]);
    assert.equal(rows[3]!.scale, 0.01);
    assert.equal(rows[3]!.textHash, `h${todo[3]!.title.length}-3`);
    assert.equal(await store.latestEmbeddingSeq(), rows[4]!.seq);
    assert.deepEqual((await all(store, E, { afterSeq: rows[2]!.seq })).flat().map((r) => r.paperId), todo.slice(3).map((t) => t.paperId));
    assert.deepEqual(await store.getEmbedding(E, todo[1]!.paperId), rows[1]);
    assert.equal(await store.getEmbedding('other-embedder', todo[1]!.paperId), null);
    assert.deepEqual(await all(store, 'other-embedder'), []);
  });

  withStore('a changed title or abstract makes the vector stale but keeps it until it is replaced', async (store) => {
    const [a, b] = papers(2);
    await store.upsertItems([{ paper: a! }, { paper: b! }]);
    await store.putEmbeddings(E, (await store.papersNeedingEmbedding(E, { limit: 10 })).map((t) => vectorFor(t)));
    const before = await store.getEmbedding(E, a!.id);
    assert.ok(before);
    // Votes and other fields do not touch the vector; the abstract does.
    await store.upsertItems([{ paper: a!, community: { upvotes: 40, numComments: 2 } }]);
    assert.equal(await store.countPapersNeedingEmbedding(E), 0);
    await store.upsertItems([{ paper: { ...a!, version: 2, abstract: 'A rewritten abstract.' } }]);
    const todo = await store.papersNeedingEmbedding(E, { limit: 10 });
    assert.deepEqual(todo, [{ paperId: a!.id, title: a!.title, abstract: 'A rewritten abstract.' }]);
    assert.deepEqual(await store.getEmbedding(E, a!.id), before);

    assert.equal(await store.putEmbeddings(E, [vectorFor(todo[0]!, 9)]), 1);
    const after = await store.getEmbedding(E, a!.id);
    assert.ok(after && after.seq > before.seq && after.vector[3] === 9);
    assert.equal(await store.countEmbeddings(E), 2);
    assert.equal(await store.countPapersNeedingEmbedding(E), 0);
    assert.deepEqual((await all(store, E)).flat().map((r) => r.paperId), [b!.id, a!.id]);
  });

  withStore('a vector of text that changed meanwhile, or of an unknown paper, is not stored', async (store) => {
    const [a, b] = papers(2);
    await store.upsertItems([{ paper: a! }, { paper: b! }]);
    const todo = await store.papersNeedingEmbedding(E, { limit: 10 });
    await store.upsertItems([{ paper: { ...a!, version: 2, title: 'A new title while embedding' } }]);
    const ghost = { paperId: '2401.99999', title: 'x', abstract: 'y' };
    assert.equal(await store.putEmbeddings(E, [...todo.map((t) => vectorFor(t)), vectorFor(ghost)]), 1);
    assert.deepEqual((await store.papersNeedingEmbedding(E, { limit: 10 })).map((t) => t.title), ['A new title while embedding']);
  });

  withStore('bad input is refused and nothing is half-written', async (store) => {
    await store.upsertItems(papers(2).map((paper) => ({ paper })));
    const todo = await store.papersNeedingEmbedding(E, { limit: 10 });
    const bad = { ...vectorFor(todo[1]!), scale: Number.NaN };
    await assert.rejects(store.putEmbeddings(E, [vectorFor(todo[0]!), bad]), RangeError);
    assert.equal(await store.countEmbeddings(E), 0);
    await assert.rejects(store.putEmbeddings(E, [{ ...vectorFor(todo[0]!), vector: new Int8Array(0) }]), TypeError);
    await assert.rejects(store.putEmbeddings('', [vectorFor(todo[0]!)]), TypeError);
    await assert.rejects(store.papersNeedingEmbedding(E, { limit: 0 }), RangeError);
    assert.equal(await store.latestEmbeddingSeq(), 0);
  });
}
