import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseOaiPmh } from './oai-pmh.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/arxiv/oai-pmh/${name}`, import.meta.url), 'utf8');

test('GetRecord: authors as "Forenames Keyname", dates, categories, paragraphs kept', () => {
  const r = parseOaiPmh(fixture('hepcrawl-arxiv-single.xml'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.resumptionToken, r.completeListSize, r.oaiError], [null, null, null]);
  const p = r.items[0]!.paper;
  assert.equal(p.id, '1401.2122');
  assert.deepEqual(p.authors, ['A. Sergyeyev']);
  assert.deepEqual(p.categories, ['math.AP', 'hep-th', 'math-ph', 'math.DG', 'math.MP', 'nlin.SI']);
  assert.equal(p.publishedAt, '2014-01-09T00:00:00.000Z');
  assert.equal(p.updatedAt, '2017-10-23T00:00:00.000Z');
  assert.equal(p.doi, '10.1007/s11005-017-1013-4');
  assert.equal(p.journalRef, 'Lett. Math. Phys. 108 (2018), no. 2, 359-376');
  assert.ok(p.comment?.startsWith('16 pages, LaTeX, no figures, revised and abridged, in this version (v5)'));
  assert.equal(p.abstract.split('\n\n').length, 2);
});

test('ListRecords pages', () => {
  const ex = parseOaiPmh(fixture('hepcrawl-arxiv-physics-hep-ex.xml'));
  assert.deepEqual(ex.items.map((i) => i.paper.id), ['1706.05371', '1706.09418', '1707.00874']);
  const first = ex.items[0]!.paper;
  assert.equal(first.title, 'Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors');
  assert.equal(first.authors.length, 13);
  assert.equal(first.authors[0], 'Tyler Anderson');
  assert.deepEqual(first.categories, ['physics.ins-det', 'hep-ex']);
  assert.equal(parseOaiPmh(fixture('hepcrawl-arxiv-physics-hep-th.xml')).items.length, 3);
});

test('hand-edited sample: collaborations without forenames, no xmlns, separators dropped', () => {
  const r = parseOaiPmh(fixture('hepcrawl-sample_arxiv_record.xml'));
  assert.deepEqual(r.errors, []);
  assert.equal(r.items.length, 12);
  assert.deepEqual(r.items[0]!.paper.authors, ['Planck Collaboration', 'Jieci Wang', 'Zehua Tian', 'Jiliang Jing', 'Heng Fan']);
  assert.ok(r.items.every((i) => !i.paper.authors.includes(':')));
  assert.equal(r.items[0]!.paper.updatedAt, '2016-01-13T00:00:00.000Z');
});

const envelope = (body: string) =>
  `<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate>${body}</OAI-PMH>`;

test('noRecordsMatch becomes oaiError', () => {
  const r = parseOaiPmh(envelope('<error code="noRecordsMatch">No records match</error>'));
  assert.deepEqual(r.oaiError, { code: 'noRecordsMatch', message: 'No records match' });
  assert.equal(r.items.length, 0);
});

test('deleted records are skipped silently; resumption token and list size are read; bad records reported', () => {
  const r = parseOaiPmh(
    envelope(`<ListRecords>
      <record><header status="deleted"><identifier>oai:arXiv.org:1234.5678</identifier></header></record>
      <record><header><identifier>oai:arXiv.org:2401.00001</identifier></header><metadata><arXiv>
        <id>2401.00001</id><created>2024-01-01</created><title>T</title><abstract>A</abstract>
        <authors><author><keyname>Doe</keyname><forenames>Jane</forenames><suffix>Jr</suffix></author></authors></arXiv></metadata></record>
      <record><header><identifier>oai:arXiv.org:bad</identifier></header><metadata><arXiv><id>bad</id><title>T</title></arXiv></metadata></record>
      <resumptionToken cursor="0" completeListSize="2300">6064321|1001</resumptionToken>
    </ListRecords>`),
  );
  assert.deepEqual(r.items.map((i) => i.paper.authors), [['Jane Doe Jr']]);
  assert.deepEqual(r.errors, [{ where: 'record 3', message: 'invalid arXiv id "bad"' }]);
  assert.equal(r.resumptionToken, '6064321|1001');
  assert.equal(r.completeListSize, 2300);
  const last = parseOaiPmh(envelope('<ListRecords><resumptionToken completeListSize="5" cursor="0"/></ListRecords>'));
  assert.deepEqual([last.resumptionToken, last.completeListSize], [null, 5]);
  assert.equal(parseOaiPmh('not xml <').errors[0]?.where, 'document');
});
