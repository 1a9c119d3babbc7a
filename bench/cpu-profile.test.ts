import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSummary, summariseProfile } from './cpu-profile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) -> handler (src/web/routes/search.ts) -> stem (src/search/text-match.ts) -> stem (recursion)
//        -> (idle)
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('handler', 'file:///repo/src/web/routes/search.ts', 9), children: [3] },
    { id: 3, callFrame: frame('stem', 'file:///repo/src/search/text-match.ts', 41), children: [4] },
    { id: 4, callFrame: frame('stem', 'file:///repo/src/search/text-match.ts', 41) },
    { id: 5, callFrame: frame('(idle)') },
  ],
  samples: [2, 3, 4, 4, 5],
  timeDeltas: [1000, 2000, 3000, 1000, 3000],
};

describe('CPU profile summary', () => {
  const s = summariseProfile(profile, '/repo');

  test('self time by function and by file, idle apart', () => {
    assert.equal(s.totalMs, 10);
    assert.equal(s.idleMs, 3);
    assert.deepEqual(
      s.selfByFunction.map((x) => [x.name, x.ms, x.percent]),
      [
        ['stem src/search/text-match.ts:42', 6, 60],
        ['(idle)', 3, 30],
        ['handler src/web/routes/search.ts:10', 1, 10],
      ],
    );
    assert.deepEqual(s.selfByFile.map((x) => [x.name, x.ms]), [['src/search/text-match.ts', 6], ['(idle)', 3], ['src/web/routes/search.ts', 1]]);
  });

  test('total time counts a recursive function once per sample', () => {
    const total = new Map(s.totalByFunction.map((x) => [x.name, x.ms]));
    assert.equal(total.get('(root)'), 10);
    assert.equal(total.get('handler src/web/routes/search.ts:10'), 7);
    assert.equal(total.get('stem src/search/text-match.ts:42'), 6);
  });

  test('the printed summary names the busiest function', () => {
    assert.match(formatSummary(s), /profile: 0\.0 s sampled, 30\.0% idle[\s\S]*6 ms +60\.0% +stem src\/search\/text-match\.ts:42/);
  });
});
