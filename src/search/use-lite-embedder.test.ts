import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dot } from './vector-math.js';
import { paperText, l2normalise } from './embedder.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';

// Real arXiv titles from the Daily Papers demo data (CC0).
const SPEC_A = 'Nearest Neighbor Speculative Decoding for LLM Generation and Attribution';
const SPEC_B = 'MagicDec: Breaking the Latency-Throughput Tradeoff for Long Context Generation with Speculative Decoding';
const ROBOT_A = 'Affordance-based Robot Manipulation with Flow Matching';
const ROBOT_B = 'Gen2Act: Human Video Generation in Novel Scenarios enables Generalizable Robot Manipulation';

describe('UseLiteEmbedder', () => {
  const embedder = new UseLiteEmbedder({ batchSize: 2 });

  it('returns one 512-d unit vector per text, related titles closer than unrelated ones', async () => {
    const progress: number[] = [];
    const e = new UseLiteEmbedder({ batchSize: 3, onProgress: (done) => progress.push(done) });
    const [sa, sb, ra, rb] = await e.embed([SPEC_A, SPEC_B, ROBOT_A, ROBOT_B]);
    assert.deepEqual(progress, [3, 4]);
    for (const v of [sa!, sb!, ra!, rb!]) {
      assert.equal(v.length, 512);
      assert.ok(Math.abs(dot(v, v) - 1) < 1e-5);
    }
    assert.ok(dot(sa!, sb!) > dot(sa!, ra!) + 0.1, `spec/spec ${dot(sa!, sb!)} vs spec/robot ${dot(sa!, ra!)}`);
    assert.ok(dot(ra!, rb!) > dot(rb!, sb!) + 0.1, `robot/robot ${dot(ra!, rb!)} vs robot/spec ${dot(rb!, sb!)}`);
  });

  it('gives the same vector alone and inside a batch', async () => {
    const [single] = await embedder.embed([ROBOT_A]);
    const batch = await embedder.embed([SPEC_A, SPEC_B, ROBOT_A]);
    assert.ok(dot(single!, batch[2]!) > 0.9999);
  });

  it('handles empty input and empty strings, rejects non-strings', async () => {
    assert.deepEqual(await embedder.embed([]), []);
    const [blank] = await embedder.embed(['']);
    assert.equal(blank!.length, 512);
    await assert.rejects(embedder.embed([42 as unknown as string]), TypeError);
    assert.throws(() => new UseLiteEmbedder({ batchSize: 0 }), RangeError);
  });
});

describe('embedder helpers', () => {
  it('paperText joins title and abstract as one passage', () => {
    assert.equal(paperText(' A title ', 'An abstract.'), 'A title. An abstract.');
    assert.equal(paperText('Does it work?', 'Yes.'), 'Does it work? Yes.');
    assert.equal(paperText('', 'Only text.'), 'Only text.');
  });

  it('l2normalise scales to unit length and leaves zero alone', () => {
    assert.deepEqual([...l2normalise(new Float32Array([3, 4]))], [0.6000000238418579, 0.800000011920929]);
    assert.deepEqual([...l2normalise(new Float32Array(2))], [0, 0]);
  });
});
