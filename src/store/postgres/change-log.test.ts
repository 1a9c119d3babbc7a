// The paper change log and embedding seqs are gap-free in commit order: a
// reader that has seen N never later finds a committed change numbered below N.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { buildPaper } from '../../../test/support/build.js';
import { testDatabases } from '../../../test/support/postgres.js';
import type { PaperChange } from '../change-feed.js';
import type { StoredEmbedding } from '../store.js';
import { ChangeListener, parseChangeNotice } from './change-listener.js';
import type { ChangeNotice } from './change-listener.js';
import { PostgresStore } from './postgres-store.js';

const newDatabase = testDatabases('changes');

async function withStore(fn: (store: PostgresStore, url: string) => Promise<void>): Promise<void> {
  const { url } = await newDatabase();
  const store = PostgresStore.open(url);
  try {
    await store.migrate();
    await fn(store, url);
  } finally {
    await store.close();
  }
}

/** Resolves once `n` sessions of this database wait for a lock. */
async function lockWaiters(pool: pg.Pool, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if ((rows[0]?.n ?? 0) >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`fewer than ${n} sessions ever waited for a lock`);
}

/**
 * An open transaction that inserted `row` into `table` and holds it: a writer
 * inserting the same unique seq waits until release() rolls it back, while
 * writers of other seqs go on. So the first-numbered writer can be held alone.
 */
async function holdSeq(url: string, table: string, row: Record<string, unknown>): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  const columns = Object.keys(row);
  await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Whether the numbers are exactly first, first+1, ... */
function contiguous(seqs: number[], first = 1): boolean {
  return seqs.every((s, i) => s === first + i);
}

/** Calls `read` over and over until stop(), collecting what it returned. */
function keepReading<T>(read: () => Promise<T>): { seen: T[]; stop(): Promise<void> } {
  const seen: T[] = [];
  let reading = true;
  const loop = (async () => {
    while (reading) seen.push(await read());
  })();
  return {
    seen,
    async stop() {
      reading = false;
      await loop;
    },
  };
}

function settledYet(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]);
}

test('every write logs the papers it changed, once each, in order; unchanged imports and state log nothing', async () => {
  await withStore(async (store) => {
    const [a, b] = [buildPaper(), buildPaper()];
    await store.upsertItems([{ paper: a }, { paper: b }, { paper: a, daily: { date: '2024-05-02' } }]);
    assert.deepEqual(await store.paperChangesAfter(0, 10), [
      { seq: 1, paperId: a.id },
      { seq: 2, paperId: b.id },
    ]);
    await store.upsertItems([{ paper: a }, { paper: b }]);
    await store.setState('cursor', 'x');
    assert.equal(await store.latestPaperChangeSeq(), 2);
    await store.upsertItems([{ paper: { ...b, version: 2, title: 'Retitled' } }]);
    assert.deepEqual(await store.paperChangesAfter(1, 10), [
      { seq: 2, paperId: b.id },
      { seq: 3, paperId: b.id },
    ]);
    assert.deepEqual(await store.paperChangesAfter(0, 1), [{ seq: 1, paperId: a.id }]);
    assert.equal(await store.latestPaperChangeSeq(), 3);
    await assert.rejects(store.paperChangesAfter(-1, 10), RangeError);
  });
});

test('a change numbered later cannot become visible before an earlier one that commits late (paper changes)', async () => {
  await withStore(async (store, url) => {
    const [a, b] = [buildPaper(), buildPaper()];
    // A takes seq 1 and is held inserting it; B, numbered 2, must not commit before A.
    const hold = await holdSeq(url, 'paper_changes', { seq: 1, paper_id: 'held' });
    try {
      const writeA = store.upsertItems([{ paper: a }]);
      await lockWaiters(store.pool, 1);
      const writeB = store.upsertItems([{ paper: b }]);
      await Promise.race([lockWaiters(store.pool, 2), writeB]);
      assert.deepEqual(await store.paperChangesAfter(0, 10), [], 'nothing is visible while change 1 is uncommitted');
      assert.equal(await store.getPaper(b.id), null);
      assert.equal(await settledYet(writeB), false, 'B waits for A');

      // A reader polling throughout only ever sees a prefix 1..k.
      const reader = keepReading(() => store.paperChangesAfter(0, 10));
      try {
        await hold.release();
        await Promise.all([writeA, writeB]);
      } finally {
        await reader.stop();
      }
      const seen: PaperChange[][] = [...reader.seen, await store.paperChangesAfter(0, 10)];
      for (const view of seen) assert.ok(contiguous(view.map((c) => c.seq)), `a reader saw ${JSON.stringify(view)}`);
      assert.deepEqual(seen.at(-1), [
        { seq: 1, paperId: a.id },
        { seq: 2, paperId: b.id },
      ]);
    } finally {
      // A writer left waiting on the held row would keep the store from closing.
      await hold.release();
    }
  });
});

test('a vector numbered later cannot become visible before an earlier one that commits late (embeddings)', async () => {
  await withStore(async (store, url) => {
    const [a, b] = [buildPaper(), buildPaper()];
    await store.upsertItems([{ paper: a }, { paper: b }]);
    const vector = (p: typeof a) => ({ paperId: p.id, title: p.title, abstract: p.abstract, textHash: 'h', scale: 0.5, vector: Int8Array.from([1, 2, 3]) });
    const hold = await holdSeq(url, 'paper_embeddings', { seq: 1, paper_id: a.id, embedder_id: 'held', text_hash: 'h', scale: 1, vector: Buffer.from([1]) });
    try {
      const writeA = store.putEmbeddings('e', [vector(a)]);
      await lockWaiters(store.pool, 1);
      const writeB = store.putEmbeddings('e', [vector(b)]);
      await Promise.race([lockWaiters(store.pool, 2), writeB]);
      const read = async () => {
        const rows: StoredEmbedding[] = [];
        for await (const batch of store.embeddingBatches('e')) rows.push(...batch);
        return rows.map((r) => r.seq);
      };
      assert.deepEqual(await read(), [], 'no vector is visible while vector 1 is uncommitted');
      assert.equal(await store.latestEmbeddingSeq(), 0);
      assert.equal(await settledYet(writeB), false, 'B waits for A');

      const reader = keepReading(read);
      try {
        await hold.release();
        assert.deepEqual(await Promise.all([writeA, writeB]), [1, 1]);
      } finally {
        await reader.stop();
      }
      const seen = [...reader.seen, await read()];
      for (const view of seen) assert.ok(contiguous(view), `a reader saw seqs ${JSON.stringify(view)}`);
      assert.deepEqual(seen.at(-1), [1, 2]);
      assert.equal((await store.getEmbedding('e', b.id))?.seq, 2);
    } finally {
      // A writer left waiting on the held row would keep the store from closing.
      await hold.release();
    }
  });
});

test('a reader catching up while many writers commit concurrently misses nothing', async () => {
  await withStore(async (store) => {
    const writers = 6;
    const rounds = 8;
    const written: string[] = [];
    const caughtUp: PaperChange[] = [];
    let after = 0;
    const catchUp = async () => {
      const batch = await store.paperChangesAfter(after, 1000);
      caughtUp.push(...batch);
      after = batch.at(-1)?.seq ?? after;
    };
    const reader = keepReading(catchUp);
    try {
      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let r = 0; r < rounds; r++) {
            const papers = [buildPaper(), buildPaper()];
            written.push(...papers.map((p) => p.id));
            await store.upsertItems(papers.map((paper) => ({ paper })));
          }
        }),
      );
    } finally {
      await reader.stop();
    }
    await catchUp();
    assert.ok(contiguous(caughtUp.map((c) => c.seq)));
    assert.deepEqual(caughtUp.map((c) => c.paperId).sort(), written.sort());
  });
});

test('listeners are told of each commit with the last number taken, and of nothing rolled back', async () => {
  await withStore(async (store, url) => {
    const notices: ChangeNotice[] = [];
    let wake: () => void = () => {};
    const listener = await ChangeListener.start(url, (n) => {
      notices.push(n);
      wake();
    });
    const next = () => new Promise<void>((r) => (wake = r));
    try {
      let arrived = next();
      await store.upsertItems([{ paper: buildPaper() }, { paper: buildPaper() }]);
      await arrived;
      assert.deepEqual(notices, [{ counter: 'papers', last: 2 }]);

      const todo = await store.papersNeedingEmbedding('e', { limit: 1 });
      await assert.rejects(store.putEmbeddings('e', [{ ...todo[0]!, textHash: 'h', scale: Number.NaN, vector: Int8Array.from([1]) }]), RangeError);
      // More stars than PostgreSQL's INTEGER holds: the write fails inside its transaction and is rolled back.
      await assert.rejects(store.upsertItems([{ paper: buildPaper({ githubStars: 2 ** 40 }) }]), /out of range/);
      arrived = next();
      await store.putEmbeddings('e', [{ ...todo[0]!, textHash: 'h', scale: 1, vector: Int8Array.from([1]) }]);
      await arrived;
      assert.deepEqual(notices, [
        { counter: 'papers', last: 2 },
        { counter: 'embeddings', last: 1 },
      ]);
      assert.equal(await store.latestPaperChangeSeq(), 2);
    } finally {
      await listener.close();
    }
  });
});

test('change notices parse, and odd payloads are ignored', () => {
  assert.deepEqual(parseChangeNotice('papers:12'), { counter: 'papers', last: 12 });
  assert.deepEqual(parseChangeNotice('embeddings:3'), { counter: 'embeddings', last: 3 });
  assert.equal(parseChangeNotice('votes:1'), null);
  assert.equal(parseChangeNotice(undefined), null);
});
