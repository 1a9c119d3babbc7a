import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQuery } from '../src/search/query-parser.js';
import { keywordText } from '../src/search/keyword-query.js';
import { benchDatabases, benchServerUrl, openBenchStore, parseBackends } from './bench-backends.js';
import { testServerUrl } from '../test/support/postgres.js';

// The benchmarks' PostgreSQL runs go to the server the tests use (CI may name another one than the local default).
process.env.PAPERBOY_BENCH_DATABASE_URL ||= testServerUrl();

describe('bench backends', () => {
  it('parses --backends', () => {
    assert.deepEqual(parseBackends('sqlite'), ['sqlite']);
    assert.deepEqual(parseBackends(' sqlite, postgres ,sqlite'), ['sqlite', 'postgres']);
    assert.throws(() => parseBackends('sqlite,mysql'), /--backends: unknown "mysql" \(known: sqlite, postgres\)/);
    assert.throws(() => parseBackends(' , '), /at least one/);
  });

  it('lists the databases benchmarks made, by the process that made them', async () => {
    assert.deepEqual(await benchDatabases(process.pid), []);
  });

  it('takes the server from PAPERBOY_BENCH_DATABASE_URL, else the local one', () => {
    assert.equal(benchServerUrl({}), 'postgres://postgres@127.0.0.1:5432');
    assert.equal(benchServerUrl({ PAPERBOY_BENCH_DATABASE_URL: 'postgres://u@db:5433' }), 'postgres://u@db:5433');
  });

  for (const backend of ['sqlite', 'postgres'] as const) {
    it(`opens a migrated ${backend} store that searches, and closes it leaving nothing behind`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-backends-'));
      try {
        const opened = await openBenchStore(backend, dir);
        await opened.store.upsertItems([{ paper: { id: '2401.00001', title: 'Sparse attention for long documents', abstract: 'We study attention.', authors: ['A. Author'] } }]);
        const found = await opened.store.searchKeyword({ text: keywordText(parseQuery('attention')), limit: 5 });
        assert.deepEqual(found.ids, ['2401.00001']);
        assert.match(await opened.keywordRanker(), backend === 'postgres' ? /local index of PostgreSQL/ : /bm25/);
        const name = backend === 'postgres' ? new URL(opened.where).pathname.slice(1) : null;
        if (name !== null) assert.ok((await benchDatabases()).includes(name));
        await opened.close();
        if (name !== null) assert.equal((await benchDatabases()).includes(name), false, `${name} dropped`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
