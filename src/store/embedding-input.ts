// Argument checks of the embedding methods, the same for every backend: bad
// input is refused before anything is written.
import type { NewEmbedding } from './store.js';

export function checkEmbedderId(embedderId: string): void {
  if (typeof embedderId !== 'string' || embedderId.trim() === '') throw new TypeError('embedderId must be a non-empty string');
}

export function checkPositive(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
}

export function checkAfterSeq(afterSeq: number): void {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new RangeError(`afterSeq must be a non-negative integer, got ${afterSeq}`);
}

export function checkNewEmbedding(r: NewEmbedding): void {
  if (!(r.vector instanceof Int8Array) || r.vector.length === 0) throw new TypeError(`vector of ${r.paperId} must be a non-empty Int8Array`);
  if (!Number.isFinite(r.scale) || r.scale < 0) throw new RangeError(`scale of ${r.paperId} must be a finite non-negative number, got ${r.scale}`);
  if (typeof r.textHash !== 'string' || r.textHash === '') throw new TypeError(`textHash of ${r.paperId} must be a non-empty string`);
}
