import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../calendar.js';
import type { ImportItem } from '../model.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { buildDailyItem } from '../../test/support/build.js';
import { rangeOf, selectDaily } from './daily-list.js';
import type { RangeSelection } from './daily-list.js';

async function storeWith(items: ImportItem[]): Promise<SqliteStore> {
  const store = await SqliteStore.open(':memory:');
  await store.migrate();
  await store.upsertItems(items);
  return store;
}

test('rangeOf: a date, an ISO week, a month, or every date', () => {
  assert.deepEqual(rangeOf({ date: '2024-05-27' }), { from: '2024-05-27', to: '2024-05-27' });
  assert.deepEqual(rangeOf({ week: '2024-W22' }), { from: '2024-05-27', to: '2024-06-02' });
  assert.deepEqual(rangeOf({ month: '2024-02' }), { from: '2024-02-01', to: '2024-02-29' });
  assert.deepEqual(rangeOf({}), { from: '0001-01-01', to: '9999-12-31' });
});

test('recent: newest dates first, most upvoted first within a date, cut at the limit from the oldest date', async () => {
  // 8 list dates (every other day) of 15 papers with upvotes 0..14.
  const dates = Array.from({ length: 8 }, (_, i) => addDays('2025-01-01', 2 * i));
  const items = dates.flatMap((d) => Array.from({ length: 15 }, (_, u) => buildDailyItem(d, { categories: [u % 2 ? 'cs.CV' : 'math.AP'] }, u)));
  const store = await storeWith(items);
  try {
    const { items: got, total } = await selectDaily(store, { kind: 'recent', days: 7, limit: 100, categories: [], exclude: [] });
    assert.equal(got.length, 100);
    assert.equal(total, 100);
    assert.ok(!got.some((i) => i.entry.date === dates[0]), 'the 8th date is not in a 7-date feed');
    const keys = got.map((i) => [i.entry.date, i.paper.upvotes] as const);
    assert.deepEqual(keys, [...keys].sort((a, b) => (a[0] === b[0] ? b[1] - a[1] : a[0] < b[0] ? 1 : -1)));
    const oldest = got.filter((i) => i.entry.date === dates[1]);
    assert.deepEqual(oldest.map((i) => i.paper.upvotes), [14, 13, 12, 11, 10, 9, 8, 7, 6, 5], 'the cut drops the least upvoted of the oldest date');

    const few = await selectDaily(store, { kind: 'recent', days: 2, limit: 100, categories: ['cs'], exclude: [] });
    assert.equal(few.items.length, 14);
    assert.ok(few.items.every((i) => i.paper.categories.includes('cs.CV')));
  } finally {
    await store.close();
  }
});

test('recent: a paper listed on two of the dates appears once, at its newest date', async () => {
  const again = buildDailyItem('2025-02-01', {}, 5);
  const store = await storeWith([again, buildDailyItem('2025-02-02', {}, 1), { ...again, daily: { date: '2025-02-03' } }]);
  try {
    const { items } = await selectDaily(store, { kind: 'recent', days: 7, limit: 100, categories: [], exclude: [] });
    assert.deepEqual(items.map((i) => [i.paper.id, i.entry.date]), [
      [again.paper.id, '2025-02-03'],
      [items[1]?.paper.id, '2025-02-02'],
    ]);
  } finally {
    await store.close();
  }
});

test('range: passes paging, sort, submitter and category filters to the store', async () => {
  const a = buildDailyItem('2025-03-03', { categories: ['cs.CL'] }, 9);
  const b = buildDailyItem('2025-03-04', { categories: ['cs.CV', 'cs.AI'] }, 2);
  const c = buildDailyItem('2025-03-10', { categories: ['cs.CV'] }, 4);
  c.daily = { date: '2025-03-10', submitter: 'ada' };
  const store = await storeWith([a, b, c]);
  const sel: RangeSelection = { kind: 'range', sort: 'listed', limit: 50, offset: 0, categories: [], exclude: [] };
  try {
    const ids = async (extra: object) => (await selectDaily(store, { ...sel, ...extra })).items.map((i) => i.paper.id);
    assert.deepEqual(await ids({}), [c.paper.id, b.paper.id, a.paper.id]);
    assert.deepEqual(await ids({ week: '2025-W10' }), [b.paper.id, a.paper.id]);
    assert.deepEqual(await ids({ date: '2025-03-04' }), [b.paper.id]);
    assert.deepEqual(await ids({ sort: 'upvotes' }), [a.paper.id, c.paper.id, b.paper.id]);
    assert.deepEqual(await ids({ submitter: 'ada' }), [c.paper.id]);
    assert.deepEqual(await ids({ categories: ['cs.CV'], exclude: ['cs.AI'] }), [c.paper.id]);
    const page = await selectDaily(store, { ...sel, limit: 1, offset: 1 });
    assert.deepEqual([page.items.map((i) => i.paper.id), page.total], [[b.paper.id], 3]);
  } finally {
    await store.close();
  }
});
