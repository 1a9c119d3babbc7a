import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseArxivAtom } from './arxiv-atom.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/arxiv/api-atom/${name}`, import.meta.url), 'utf8');

test('a 10-entry page of the current format: paging numbers, ids, versions, categories', () => {
  const r = parseArxivAtom(fixture('q_testing_s0_m10_bc5a6c384fe9.atom.xml'));
  assert.deepEqual(r.errors, []);
  assert.equal(r.feedError, null);
  assert.equal(r.items.length, 10);
  assert.deepEqual([r.totalResults, r.startIndex, r.itemsPerPage], [214881, 0, 10]);
  const first = r.items[0]!.paper;
  assert.equal(first.id, '2202.12139');
  assert.equal(first.version, 1);
  assert.equal(first.title, 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques');
  assert.deepEqual(first.authors, ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker']);
  assert.deepEqual(first.categories, ['cs.SE', 'cs.LG']);
  assert.equal(first.publishedAt, '2022-02-24T15:05:19.000Z');
  assert.equal(first.doi, '10.1109/ICSTW55395.2022.00035');
  assert.equal(first.comment, 'Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022');
  assert.match(first.journalRef ?? '', /^Artificial Intelligence in Software Testing @ 2022 IEEE/);
  assert.deepEqual(first.versions, [{ version: 1, submittedAt: '2022-02-24T15:05:19.000Z' }]);
  assert.equal(r.items[0]!.daily, null);
  for (const { paper } of r.items) {
    assert.match(paper.id, /^\d{4}\.\d{4,5}$/);
    assert.ok(paper.abstract.length > 50 && !paper.abstract.startsWith(' '));
    assert.ok(paper.authors.length > 0);
  }
});

test('the 2019 format: namespaces per element, hard-wrapped title and abstract, primary category first', () => {
  const r = parseArxivAtom(fixture('arxiv-api-atom-all-science-2019-08-10.xml'));
  assert.deepEqual(r.errors, []);
  assert.equal(r.items.length, 10);
  assert.deepEqual([r.totalResults, r.startIndex, r.itemsPerPage], [120839, 0, 10]);
  const p = r.items[1]!.paper;
  assert.equal(p.id, '1503.01162');
  assert.equal(
    p.title,
    "Report on a Boston University Conference December 7-8, 2012 on 'How Can the History and Philosophy of Science Contribute to Contemporary U.S. Science Teaching?'",
  );
  assert.ok(p.abstract.startsWith('This is an editorial report on the outcomes of an international conference sponsored'));
  assert.ok(!p.abstract.includes('\n'));
  assert.deepEqual(p.authors, ['Peter Garik', 'Yann Benétreau-Dupin']);
  assert.equal(p.categories?.[0], 'physics.ed-ph');
  assert.equal(p.journalRef, 'Science & Education, September 2014, 23(9): 1853-1873');
  assert.equal(p.doi, '10.1007/s11191-014-9716-8');
});

test('old-style ids keep their archive; the version comes off the id', () => {
  const q = parseArxivAtom(fixture('id_quant-ph_0201082v1_s0_m100_86989fe779ef.atom.xml')).items[0]!.paper;
  assert.equal(q.id, 'quant-ph/0201082');
  assert.equal(q.version, 1);
  assert.deepEqual(q.categories, ['quant-ph', 'cs.PL']);
  assert.equal(q.comment, '32 pages');
  const a = parseArxivAtom(fixture('id_astro-ph_0601001_s0_m100_3150dca9dc76.atom.xml')).items[0]!.paper;
  assert.equal(a.id, 'astro-ph/0601001');
});

test('an error feed gives feedError and no items; an empty result gives zero items', () => {
  const err = parseArxivAtom(fixture('id_abc_s0_m100_b79c8dcf6bc3.atom.xml'));
  assert.equal(err.feedError, 'incorrect id format for abc');
  assert.equal(err.items.length, 0);
  assert.deepEqual(err.errors, []);
  const empty = parseArxivAtom(fixture('id_0000.0000_s0_m100_8b51d9633a68.atom.xml'));
  assert.deepEqual([empty.items.length, empty.totalResults, empty.feedError], [0, 0, null]);
});

test('bad documents and bad entries are reported, never thrown', () => {
  assert.equal(parseArxivAtom('<feed><entry>').errors[0]?.where, 'document');
  assert.match(parseArxivAtom('<html></html>').errors[0]?.message ?? '', /not an Atom feed/);
  const xml = `<feed xmlns="http://www.w3.org/2005/Atom">
    <entry><id>http://arxiv.org/abs/nonsense</id><title>X</title></entry>
    <entry><id>http://arxiv.org/abs/2401.00001v3</id><title>Good</title><summary>S</summary>
      <published>2024-01-01T00:00:00Z</published><updated>2024-02-01T00:00:00Z</updated></entry>
    <entry><id>http://arxiv.org/abs/2401.00002v1</id></entry></feed>`;
  const r = parseArxivAtom(xml);
  assert.deepEqual(r.errors, [
    { where: 'entry 1', message: 'invalid arXiv id "nonsense"' },
    { where: 'entry 3', message: 'missing title for 2401.00002' },
  ]);
  assert.deepEqual(r.items[0]!.paper.versions, [
    { version: 1, submittedAt: '2024-01-01T00:00:00.000Z' },
    { version: 3, submittedAt: '2024-02-01T00:00:00.000Z' },
  ]);
});
