import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStatCpuMs, readCpuTimes } from './proc-cpu.js';

describe('process CPU time', () => {
  test('utime + stime of a stat line, whatever the command name holds', () => {
    const stat = '4242 (node (a) b) S 1 4242 4242 0 -1 4194304 100 0 0 0 123 45 0 0 20 0 11 0 1000 0 0';
    assert.equal(parseStatCpuMs(stat), (123 + 45) * 10);
  });

  test('reads this process, main thread included', { skip: process.platform !== 'linux' }, () => {
    const t = readCpuTimes(process.pid);
    assert.ok(t !== null && t.processMs >= t.mainMs && t.mainMs >= 0);
    assert.equal(readCpuTimes(2 ** 30), null);
  });
});
