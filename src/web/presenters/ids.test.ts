import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTime, syntheticId } from './ids.js';

test('syntheticId: 24 hex digits, the same for the same parts in every process', () => {
  const id = syntheticId('author', '2410.09584', '0');
  assert.match(id, /^[0-9a-f]{24}$/);
  assert.equal(syntheticId('author', '2410.09584', '0'), id);
  // Fixed here so that a change to the function, which would change every id the API has shown, fails a test.
  assert.equal(id, '05eb249a594591b59c94df34');
});

test('syntheticId keeps its parts apart and spreads near-identical names', () => {
  assert.notEqual(syntheticId('ab', 'c'), syntheticId('a', 'bc'));
  const ids = new Set<string>();
  for (let paper = 0; paper < 2000; paper++) for (let i = 0; i < 50; i++) ids.add(syntheticId('author', `2410.${String(paper).padStart(5, '0')}`, String(i)));
  assert.equal(ids.size, 100_000, 'no two of 100,000 author ids alike');
  // Each hex digit position takes all 16 values across them: no lane is stuck.
  for (let pos = 0; pos < 24; pos++) assert.equal(new Set([...ids].slice(0, 2000).map((id) => id[pos])).size, 16, `digit ${pos}`);
});

test('isoTime writes what toISOString writes and passes unparseable text through', () => {
  assert.equal(isoTime('2024-10-12T01:02:03Z'), '2024-10-12T01:02:03.000Z');
  assert.equal(isoTime('not a time'), 'not a time');
});
