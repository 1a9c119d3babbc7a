import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnProblems } from './column-check.js';
import { COPY_TABLES } from './copy-tables.js';

const embeddings = COPY_TABLES.find((t) => t.name === 'paper_embeddings')!;

test("each backend's declared types fit the portable types; the target-numbered column is expected", () => {
  const sqlite = new Map([
    ['seq', 'integer'],
    ['paper_id', 'text'],
    ['embedder_id', 'text'],
    ['text_hash', 'text'],
    ['stale', 'integer'],
    ['scale', 'real'],
    ['vector', 'blob'],
  ]);
  assert.deepEqual(columnProblems('sqlite', embeddings, sqlite), []);
  const postgres = new Map([...sqlite].map(([n]) => [n, n === 'stale' ? 'boolean' : n === 'scale' ? 'double precision' : n === 'vector' ? 'bytea' : n === 'seq' ? 'bigint' : 'text']));
  assert.deepEqual(columnProblems('postgres', embeddings, postgres), []);
});

test('a missing column, a column of another type, and a column copy does not know are each reported', () => {
  const columns = new Map([
    ['paper_id', 'text'],
    ['embedder_id', 'text'],
    ['text_hash', 'text'],
    ['stale', 'text'],
    ['scale', 'real'],
    ['vector', 'blob'],
    ['norm', 'real'],
  ]);
  columns.delete('text_hash');
  assert.deepEqual(columnProblems('sqlite', embeddings, columns), [
    'has no column text_hash',
    'column stale is text, not a boolean column',
    'has a column norm that copy does not know (add it to src/store/copy/copy-tables.ts)',
  ]);
});
