import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, addMonths, addWeeks, isDate, isoWeekOf, monthRange, weekRange } from './calendar.js';

test('dates are validated, not just pattern-matched', () => {
  assert.ok(isDate('2024-02-29'));
  assert.ok(!isDate('2023-02-29'));
  assert.ok(!isDate('2024-13-01'));
  assert.ok(!isDate('24-01-01'));
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
});

test('ISO weeks, including those that straddle a year', () => {
  assert.equal(isoWeekOf('2024-05-27'), '2024-W22');
  assert.equal(isoWeekOf('2024-12-30'), '2025-W01');
  assert.equal(isoWeekOf('2021-01-03'), '2020-W53');
  assert.deepEqual(weekRange('2024-W22'), { from: '2024-05-27', to: '2024-06-02' });
  assert.deepEqual(weekRange('2025-W01'), { from: '2024-12-30', to: '2025-01-05' });
  assert.equal(weekRange('2024-W53'), null);
  assert.equal(weekRange('2024-W00'), null);
  assert.equal(addWeeks('2024-W52', 1), '2025-W01');
});

test('months', () => {
  assert.deepEqual(monthRange('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
  assert.equal(monthRange('2024-13'), null);
  assert.equal(addMonths('2024-12', 1), '2025-01');
  assert.equal(addMonths('2024-01', -1), '2023-12');
});
