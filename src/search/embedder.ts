// The one interface every sentence-embedding backend implements. Vectors are
// L2-normalised, so a dot product is the cosine similarity.
export interface Embedder {
  /** Stable identifier of model + text preparation; changes whenever the vectors would. */
  readonly id: string;
  readonly dimensions: number;
  /** One unit-length vector per input text, in input order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Scales a vector to unit length in place; an all-zero vector stays zero. */
export function l2normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum === 0 || !Number.isFinite(sum)) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

/** Text used to embed a paper: title and abstract as one passage. */
export function paperText(title: string, abstract: string): string {
  const t = title.trim();
  const a = abstract.trim();
  if (t === '') return a;
  if (a === '') return t;
  return /[.!?]$/.test(t) ? `${t} ${a}` : `${t}. ${a}`;
}
