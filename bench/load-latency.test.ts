import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LatencyLog } from './load-latency.js';

describe('LatencyLog', () => {
  test('percentiles of the requests sent after a moment, nearest rank', () => {
    let now = 0;
    const log = new LatencyLog(() => now);
    now = 3000;
    log.record(2900); // sent at 100: the start-up burst
    for (let i = 1; i <= 100; i++) {
      now = 5000 + i * 10;
      log.record(i); // sent just before it arrived, after 5 s
    }
    assert.equal(log.size, 101);
    assert.equal(log.percentileSince(99, 0), 100);
    assert.equal(log.percentileSince(100, 0), 2900);
    assert.equal(log.percentileSince(99, 5000), 99);
    assert.equal(log.percentileSince(50, 5000), 50);
    assert.equal(log.percentileSince(99, 10_000), null);
  });
});
