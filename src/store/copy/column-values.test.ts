import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, canonicalValue, ColumnValueError, fromPostgres, fromSqlite, toPostgres, toSqlite } from './column-values.js';

test('JSON: SQLite text and PostgreSQL JSONB (parsed by node-postgres) give the same canonical value', () => {
  const fromText = fromSqlite('json', '{"b":[1,"x"],"a":null}');
  const fromJsonb = fromPostgres('json', { a: null, b: [1, 'x'] });
  assert.equal(canonicalValue('json', fromText), '{"a":null,"b":[1,"x"]}');
  assert.equal(canonicalValue('json', fromJsonb), canonicalValue('json', fromText));
  // Written back as compact JSON text, as the SQLite store writes it.
  assert.equal(toSqlite('json', fromSqlite('json', '[ "Ada",  "Grace" ]')), '["Ada","Grace"]');
  assert.equal(toPostgres('json', ['Ada', 'Grace']), '["Ada","Grace"]');
  assert.equal(canonicalJson([{ z: 1, y: { b: 2, a: 1 } }]), '[{"y":{"a":1,"b":2},"z":1}]');
});

test('booleans: SQLite 0/1 and PostgreSQL booleans', () => {
  assert.equal(fromSqlite('boolean', 1), true);
  assert.equal(fromSqlite('boolean', 0), false);
  assert.equal(toSqlite('boolean', true), 1);
  assert.equal(toSqlite('boolean', false), 0);
  assert.equal(fromPostgres('boolean', false), false);
  assert.throws(() => fromSqlite('boolean', 2), ColumnValueError);
});

test('integers: BIGINT text from node-postgres becomes a number; unsafe or fractional values are refused', () => {
  assert.equal(fromPostgres('integer', '9007199254740991'), 9007199254740991);
  assert.equal(fromSqlite('integer', 42), 42);
  assert.throws(() => fromPostgres('integer', '9007199254740993'), /not an integer/);
  assert.throws(() => fromSqlite('integer', 1.5), /cannot read a integer value \(1\.5\): not an integer/);
});

test('bytes: Buffers both ways, base64 in the checksum; nulls stay null and differ from empty values', () => {
  const bytes = Buffer.from([0, 255, 128]);
  assert.equal(fromSqlite('bytes', bytes), bytes);
  assert.equal(canonicalValue('bytes', fromPostgres('bytes', bytes)), 'AP+A');
  assert.equal(canonicalValue('text', fromSqlite('text', null)), null);
  assert.equal(canonicalValue('text', fromSqlite('text', '')), '');
  assert.equal(toPostgres('json', null), null);
});

test('a value of the wrong kind names the type and the value', () => {
  assert.throws(() => fromSqlite('json', '{broken'), /^ColumnValueError: cannot read a json value \("\{broken"\): /);
  assert.throws(() => fromSqlite('text', Buffer.alloc(3)), /cannot read a text value \(3 bytes\): not text/);
});
