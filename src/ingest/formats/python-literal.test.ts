import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePythonLiteral } from './python-literal.js';

const value = (src: string): unknown => {
  const r = parsePythonLiteral(src);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const error = (src: string): string => {
  const r = parsePythonLiteral(src);
  assert.equal(r.ok, false, `expected ${src} to be rejected`);
  return r.ok ? '' : r.message;
};

test('dicts, lists, tuples, sets and constants', () => {
  assert.deepEqual(value("{'a': True, 'b': False, 'c': None, 'd': [1, -2, 3.5, 1e3], 'e': (1,), 'f': {}, 'g': [],}"), {
    a: true, b: false, c: null, d: [1, -2, 3.5, 1000], e: [1], f: {}, g: [],
  });
  assert.deepEqual(value('{1, 2}'), [1, 2]);
  assert.deepEqual(value('{1: "x"}'), { 1: 'x' });
  assert.deepEqual(value('  [ ]  '), []);
  assert.equal(value('1_000'), 1000);
});

test('string quoting and escapes as repr() writes them', () => {
  assert.equal(value(`"it's"`), "it's");
  assert.equal(value(`'say \\'hi\\''`), "say 'hi'");
  assert.equal(value(`'a\\nb\\tc\\\\d'`), 'a\nb\tc\\d');
  assert.equal(value(`'\\xe9\\u00e9\\U0001F600'`), 'éé😀');
  assert.equal(value(`'caf\u00e9 \\d'`), 'café \\d');
  assert.equal(value(`r'\\n'`), '\\n');
  assert.equal(value(`b'\\x41'`), 'A');
  assert.equal(value(`'\\0'`), '\0');
});

test('a __proto__ key is data, not a prototype', () => {
  const v = value("{'__proto__': {'x': 1}}") as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('bad input is an error with a position, never an exception or evaluation', () => {
  assert.match(error("{'a': 1"), /expected "," or "}"|unexpected end/);
  assert.match(error("'abc"), /unterminated string/);
  assert.match(error("__import__('os')"), /unexpected name "__import__" at character 1/);
  assert.match(error("{'a': 1, 'b' 2}"), /expected ":"/);
  assert.match(error('[1] 2'), /unexpected text after the value/);
  assert.match(error("'\\x4'"), /bad \\x escape/);
  assert.match(error(''), /unexpected end of input/);
  assert.match(error('['.repeat(1000)), /nesting too deep/);
});
