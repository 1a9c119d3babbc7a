import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanAbstract, cleanTitle, dayFromFileName, parseArxivId, toIso } from './common.js';

test('arXiv ids: new and old style, versions split off, junk rejected', () => {
  assert.deepEqual(parseArxivId('2405.15738'), { id: '2405.15738', version: null });
  assert.deepEqual(parseArxivId('0704.0001v2'), { id: '0704.0001', version: 2 });
  assert.deepEqual(parseArxivId('arXiv:2202.12139v1'), { id: '2202.12139', version: 1 });
  assert.deepEqual(parseArxivId('hep-th/9901001v2'), { id: 'hep-th/9901001', version: 2 });
  assert.deepEqual(parseArxivId('math.AG/0601001'), { id: 'math.AG/0601001', version: null });
  assert.deepEqual(parseArxivId('cond-mat.str-el/0601001'), null);
  for (const bad of ['', 'abc', '2405.157', '2405.157381', 'hep-th/990100', 'HEP-TH/9901001', '2405.15738v0', '2405.15738 x']) {
    assert.equal(parseArxivId(bad), null, bad);
  }
});

test('titles lose hard wraps; abstracts keep paragraphs', () => {
  assert.equal(cleanTitle('Meteor: Mamba-based Traversal of Rationale for Large Language and Vision\n  Models'), 'Meteor: Mamba-based Traversal of Rationale for Large Language and Vision Models');
  assert.equal(cleanAbstract('  First line\nwrapped.\n  Second paragraph\nwrapped.\n'), 'First line wrapped.\n\nSecond paragraph wrapped.');
  assert.equal(cleanAbstract('A\r\n\r\nB'), 'A\n\nB');
  assert.equal(cleanAbstract('reason more concisely by\n  distilling'), 'reason more concisely by distilling');
});

test('dates', () => {
  assert.equal(toIso('Tue, 1 Nov 1994 18:57:48 GMT'), '1994-11-01T18:57:48.000Z');
  assert.equal(toIso('2014-01-09'), '2014-01-09T00:00:00.000Z');
  assert.equal(toIso('2019-08-10T00:00:00-04:00'), '2019-08-10T04:00:00.000Z');
  assert.equal(toIso('yesterday'), null);
  assert.equal(toIso(null), null);
  assert.equal(dayFromFileName('/x/daily_papers-2024-05-27.json'), '2024-05-27');
  assert.equal(dayFromFileName('/2024-05-27/papers.json'), null);
});
