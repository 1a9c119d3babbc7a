import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCount, formatLongDate, formatMonth, formatShortDate, formatWeek, isoDay, plural, repoLabel, safeHttpUrl } from './format.js';

test('dates are formatted in UTC', () => {
  assert.equal(formatShortDate('2024-05-24T23:34:15.000Z'), 'May 24, 2024');
  assert.equal(formatShortDate('2024-05-24'), 'May 24, 2024');
  assert.equal(formatLongDate('2024-06-03'), 'Monday, June 3, 2024');
  assert.equal(isoDay('2024-05-24T23:34:15.000Z'), '2024-05-24');
  assert.equal(formatMonth('2024-05'), 'May 2024');
  assert.equal(formatWeek('2024-W22'), 'Week 22, 2024 (May 27 – Jun 2)');
  assert.equal(formatShortDate('not a date'), 'not a date');
});

test('counts and plurals', () => {
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(plural(1, 'author'), '1 author');
  assert.equal(plural(12, 'author'), '12 authors');
});

test('only http(s) URLs are linked', () => {
  assert.equal(safeHttpUrl('https://github.com/a/b'), 'https://github.com/a/b');
  assert.equal(safeHttpUrl('javascript:alert(1)'), null);
  assert.equal(safeHttpUrl('https://x.org/"onmouseover="x'), null);
  assert.equal(safeHttpUrl(null), null);
  assert.equal(repoLabel('https://github.com/alibaba/conv-llava.git'), 'alibaba/conv-llava');
});
