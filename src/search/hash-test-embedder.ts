// TEST ONLY. A fast, deterministic stand-in for a sentence-embedding model:
// each lower-cased word is hashed to a signed component of a small vector, so
// texts sharing words get similar vectors. Selected with PAPERBOY_EMBEDDER=hash-test
// (hash-test:DELAY_MS waits that long per call without holding its thread;
// hash-test-cpu:MS keeps its thread busy that long per call, like a real
// model); never use it for real search.
import { l2normalise, type Embedder } from './embedder.js';

export const HASH_TEST_DIMENSIONS = 64;

/** 32-bit FNV-1a. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class HashTestEmbedder implements Embedder {
  readonly id = `hash-test-${HASH_TEST_DIMENSIONS}-v1`;
  readonly dimensions = HASH_TEST_DIMENSIONS;

  constructor(
    private readonly delayMs = 0,
    private readonly busy = false,
  ) {
    if (!Number.isInteger(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be a non-negative integer, got ${delayMs}`);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError('embed() takes an array of strings');
    if (this.busy) {
      const until = performance.now() + this.delayMs;
      while (performance.now() < until) {
        // Hold the thread, as a model computing on the CPU does.
      }
    } else if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return texts.map((text) => {
      const v = new Float32Array(this.dimensions);
      for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        const h = fnv1a(word);
        v[h % this.dimensions]! += h & 0x80000000 ? -1 : 1;
      }
      return l2normalise(v);
    });
  }
}
