import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatabaseUrl } from './database-url.js';

const SQLITE = '/srv/pb/paperboy.db';

test('unset: the SQLite file in the data dir', () => {
  assert.deepEqual(parseDatabaseUrl(undefined, SQLITE), { backend: 'sqlite', path: SQLITE });
});

test('postgres:// and postgresql:// select PostgreSQL; the display masks the password', () => {
  assert.deepEqual(parseDatabaseUrl('postgres://pb:s3cret@db.example.org:5432/paperboy', SQLITE), {
    backend: 'postgres',
    url: 'postgres://pb:s3cret@db.example.org:5432/paperboy',
    display: 'postgres://pb:***@db.example.org:5432/paperboy',
  });
  assert.deepEqual(parseDatabaseUrl(' postgresql://localhost/paperboy ', SQLITE), { backend: 'postgres', url: 'postgresql://localhost/paperboy', display: 'postgresql://localhost/paperboy' });
});

test('anything else is an error naming the variable, never the password', () => {
  for (const bad of ['mysql://pb:s3cret@db/paperboy', 'sqlite:/tmp/s3cret.db', 'pb:s3cret@db/paperboy', 'http://pb:s3cret@db', '', '  ']) {
    assert.throws(
      () => parseDatabaseUrl(bad, SQLITE),
      (err: Error) => {
        assert.match(err.message, /^DATABASE_URL /);
        assert.doesNotMatch(err.message, /s3cret/);
        return true;
      },
      JSON.stringify(bad),
    );
  }
});
