import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { extensionSetting, loadFtsExtension } from './fts-extension.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-ext-'));

test('PAPERBOY_FTS_EXTENSION: off, a path, or the built file by default', () => {
  assert.equal(extensionSetting({ PAPERBOY_FTS_EXTENSION: 'off' }), 'off');
  assert.deepEqual(extensionSetting({ PAPERBOY_FTS_EXTENSION: '/x/y.so' }), { path: '/x/y.so', required: true });
  const fallback = extensionSetting({});
  assert.ok(fallback !== 'off' && !fallback.required && /native[/\\]build[/\\]paperboy_fts\.(so|dylib|dll)$/.test(fallback.path));
});

test('a missing default file or "off" means bm25(); a named file must load', () => {
  const db = new Database(':memory:');
  assert.deepEqual(loadFtsExtension(db, 'off'), { loaded: false, warning: null });
  assert.deepEqual(loadFtsExtension(db, { path: join(dir, 'absent.so'), required: false }), { loaded: false, warning: null });
  assert.throws(() => loadFtsExtension(db, { path: join(dir, 'absent.so'), required: true }), /cannot load the SQLite extension .*absent\.so.*PAPERBOY_FTS_EXTENSION=off/);
  const broken = join(dir, 'paperboy_fts.so');
  writeFileSync(broken, 'not a shared library');
  const r = loadFtsExtension(db, { path: broken, required: false });
  assert.equal(r.loaded, false);
  assert.match(r.warning ?? '', /falls back to bm25\(\)/);
  db.close();
});
