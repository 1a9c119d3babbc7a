import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { importFiles } from '../../ingest/import-files.js';
import { DatabaseDamagedError } from '../../errors.js';
import { noKeywords } from '../store.js';
import { repairSqlite } from './sqlite-repair.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-repair-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLE = 'test/fixtures/hf-daily/papers-sample.jsonl.gz';

async function loadedDatabase(name: string): Promise<{ path: string; papers: number; entries: number }> {
  const path = join(dir, name, 'paperboy.db');
  const store = await SqliteStore.open(path);
  await store.migrate();
  await importFiles(store, [SAMPLE]);
  const papers = await store.countPapers();
  const entries = (store.db.prepare('SELECT count(*) AS n FROM daily_entries').get() as { n: number }).n;
  await store.close();
  return { path, papers, entries };
}

/** Overwrites whole pages, as a failing disk does. */
function damagePages(path: string, fractions: number[]): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  for (const f of fractions) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor((size * f) / 4096) * 4096);
  closeSync(fd);
}

test('a sound file is left alone', async () => {
  const { path } = await loadedDatabase('sound');
  const before = statSync(path).mtimeMs;
  const report = repairSqlite(path);
  assert.deepEqual(report, { problems: [], tables: [], damagedCopy: null });
  assert.equal(statSync(path).mtimeMs, before);
});

test('a damaged file: readable rows are copied into a sound file, losses counted, the damaged file kept, search works again', async () => {
  const { path, papers, entries } = await loadedDatabase('damaged');
  damagePages(path, [0.3, 0.55, 0.8]);
  const damaged = await SqliteStore.open(path);
  await assert.rejects(damaged.checkHealth(), DatabaseDamagedError, 'quick_check sees the damage');
  await damaged.close();

  const report = repairSqlite(path, { now: new Date('2026-12-01T10:00:00Z') });
  assert.ok(report.problems.length > 0);
  assert.equal(report.damagedCopy, `${path}.damaged-2026-12-01T10-00-00-000Z`);
  assert.ok(existsSync(report.damagedCopy!));
  assert.ok(!readdirSync(join(dir, 'damaged')).some((f) => f.includes('.repairing')), 'no temporary file left');

  const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t]));
  const saved = byTable.papers!.copied;
  assert.ok(saved > papers * 0.8 && saved <= papers, `most papers saved (${saved} of ${papers})`);
  assert.equal(saved + byTable.papers!.lost <= papers, true);

  const repaired = await SqliteStore.open(path);
  await repaired.checkHealth();
  await repaired.migrate();
  assert.equal(await repaired.countPapers(), saved);
  const keptEntries = (repaired.db.prepare('SELECT count(*) AS n FROM daily_entries').get() as { n: number }).n;
  assert.ok(keptEntries >= saved && keptEntries <= entries);
  // The keyword index was rebuilt from the saved papers: every saved paper's title finds it.
  const some = repaired.db.prepare('SELECT id, title FROM papers ORDER BY rowid LIMIT 5').all() as { id: string; title: string }[];
  for (const p of some) {
    const words = p.title.toLowerCase().match(/[a-z]{4,}/g)!.slice(0, 3);
    const found = await repaired.searchKeyword({ text: { ...noKeywords(), terms: words.map((w) => ({ text: w, prefix: false })) }, limit: 50 });
    assert.ok(found.ids.includes(p.id), `${p.id} found by its title words`);
  }
  // Importing the source again restores what was lost, without doubling anything.
  await importFiles(repaired, [SAMPLE]);
  assert.equal(await repaired.countPapers(), papers);
  assert.equal((repaired.db.prepare('SELECT count(*) AS n FROM daily_entries').get() as { n: number }).n, entries);
  await repaired.close();
});
