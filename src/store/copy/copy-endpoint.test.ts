import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { describeEndpoint, describePostgresUrl, parseEndpoint, sameDatabase } from './copy-endpoint.js';

test('sqlite:PATH is resolved to an absolute path; postgres URLs are kept whole to connect with', () => {
  assert.deepEqual(parseEndpoint('--from', 'sqlite:data/paperboy.db'), { backend: 'sqlite', path: resolve('data/paperboy.db') });
  const url = 'postgresql://me:pw@db:6543/paperboy?sslmode=require';
  assert.deepEqual(parseEndpoint('--to', url), { backend: 'postgres', url });
});

test('a description never holds the password or query parameters', () => {
  assert.equal(describePostgresUrl('postgres://me:s3cret@db.example:5432/paperboy?password=s3cret'), 'postgres://me@db.example:5432/paperboy');
  assert.equal(describeEndpoint({ backend: 'postgres', url: 'postgres://:s3cret@db/p' }), 'postgres://db/p');
  assert.equal(describePostgresUrl('postgres://[broken'), 'postgres://(an unparsable URL)');
});

test('the same database is recognised whoever connects to it', () => {
  assert.ok(sameDatabase(parseEndpoint('--from', 'postgres://a:x@db:5432/p'), parseEndpoint('--to', 'postgres://b@db:5432/p')));
  assert.ok(!sameDatabase(parseEndpoint('--from', 'postgres://a@db:5432/p'), parseEndpoint('--to', 'postgres://a@db:5432/q')));
  assert.ok(sameDatabase(parseEndpoint('--from', 'sqlite:x.db'), parseEndpoint('--to', `sqlite:${resolve('x.db')}`)));
});
