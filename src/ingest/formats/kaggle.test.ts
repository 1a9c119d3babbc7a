import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ImportItem } from '../../model.js';
import { namesFromParsed, parseAuthorString } from './authors.js';
import { kaggleRecord } from './kaggle.js';

const lines = readFileSync(new URL('../../../test/fixtures/kaggle/abs-records-sample.jsonl', import.meta.url), 'utf8').trim().split('\n');
const items: ImportItem[] = lines.map((l) => {
  const r = kaggleRecord(JSON.parse(l));
  if (!r.ok) throw new Error(r.message);
  return r.value;
});
const byId = (id: string) => items.find((i) => i.paper.id === id)!.paper;

test('every record of the real sample parses; old-style ids stay as they are', () => {
  assert.equal(items.length, 154);
  assert.equal(items.filter((i) => i.paper.id.includes('/')).length, 74);
  assert.ok(items.every((i) => i.daily === null && i.paper.title && i.paper.authors.length > 0));
});

test('dates and versions come from versions[]', () => {
  const p = byId('acc-phys/9411001');
  assert.equal(p.title, 'Symplectic Computation of Lyapunov Exponents');
  assert.deepEqual(p.authors, ['Salman Habib', 'Robert D. Ryne']);
  assert.deepEqual(p.categories, ['acc-phys', 'physics.acc-ph']);
  assert.equal(p.publishedAt, '1994-11-01T18:57:48.000Z');
  assert.equal(p.version, 1);
  assert.equal(p.comment, '12 pages, uuencoded PostScript (figures included)');
  assert.ok(p.abstract.startsWith('A recently developed method for the calculation of Lyapunov exponents of dynamical systems is described.'));
  const multi = items.map((i) => i.paper).find((q) => (q.versions?.length ?? 0) >= 3)!;
  const versions = multi.versions!;
  assert.equal(multi.version, versions[versions.length - 1]!.version);
  assert.equal(multi.publishedAt, versions[0]!.submittedAt);
  assert.equal(multi.updatedAt, versions[versions.length - 1]!.submittedAt);
  assert.ok(multi.publishedAt! < multi.updatedAt!);
});

test('affiliations in parentheses are stripped from the authors string', () => {
  assert.deepEqual(byId('acc-phys/9411002').authors, ['Patrick L. Nash']);
  assert.deepEqual(byId('acc-phys/9503001').authors, [
    'A.N.Aleshaev', 'I.V.Pinayev', 'V.M.Popik', 'S.S.Serednyakov', 'T.V.Shaftan', 'A.S.Sokolov', 'N.A.Vinokurov', "P.V.Vorob'ev",
  ]);
  assert.equal(byId('acc-phys/9503002').authors.length, 18);
  assert.deepEqual(parseAuthorString('Robert D. Ryne (Los Alamos National Laboratory)'), ['Robert D. Ryne']);
  assert.deepEqual(
    parseAuthorString("A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n  Science and Technology Agency, (2) Russian Research Centre ``Kurchatov\n  Institute'', (3) The University of Tokyo)"),
    ['A. S. Mishchenko', 'N. Nagaosa'],
  );
  assert.deepEqual(parseAuthorString('Scott W. Randall, Maxim Markevitch, Douglas Clowe, Anthony H.\n  Gonzalez, and Marusa Bradac'), [
    'Scott W. Randall', 'Maxim Markevitch', 'Douglas Clowe', 'Anthony H. Gonzalez', 'Marusa Bradac',
  ]);
  assert.deepEqual(parseAuthorString('L.M. Zhang, et al, for the Belle Collaboration'), ['L.M. Zhang', 'for the Belle Collaboration']);
  assert.deepEqual(namesFromParsed([['Habib', 'Salman', ''], ['Ryne', 'Robert D.', 'Jr']]), ['Salman Habib', 'Robert D. Ryne Jr']);
  assert.equal(namesFromParsed(null), null);
});

test('bad records are errors, not exceptions', () => {
  assert.deepEqual(kaggleRecord({ title: 'x' }), { ok: false, message: 'missing id' });
  assert.deepEqual(kaggleRecord({ id: '94-11001', title: 'x' }), { ok: false, message: 'invalid arXiv id "94-11001"' });
  assert.deepEqual(kaggleRecord([1]), { ok: false, message: 'expected a JSON object' });
  const noVersions = kaggleRecord({ id: '0704.0001', title: 'T', versions: 'nope', update_date: '2008-11-13' });
  assert.ok(noVersions.ok);
  assert.equal(noVersions.ok && noVersions.value.paper.updatedAt, '2008-11-13T00:00:00.000Z');
  assert.equal(noVersions.ok && noVersions.value.paper.publishedAt, null);
});
