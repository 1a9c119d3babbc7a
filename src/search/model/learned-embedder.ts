// The default embedder: the model learned from the instance's own papers
// (lsa.ts, model-file.ts). Pure arithmetic on a small table, so it embeds
// on the calling thread: a query in microseconds, thousands of abstracts a
// second.
import type { Embedder } from '../embedder.js';
import type { LearnedModel } from './model-file.js';
import { stemCounts } from './model-tokens.js';
import { TokenIndex } from './token-table.js';

export class LearnedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly index: TokenIndex;

  constructor(readonly model: LearnedModel) {
    this.id = model.info.id;
    this.dimensions = model.table.dimensions;
    this.index = new TokenIndex(model.table);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return this.embedNow(texts);
  }

  embedNow(texts: string[]): Float32Array[] {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError('embed() takes an array of strings');
    return texts.map((t) => this.index.embed(t));
  }

  /** Share of the text's distinct stems the model knows (0 when it has none). */
  knownShare(text: string): number {
    const all = stemCounts(text).size;
    return all === 0 ? 0 : this.index.knownStems(text) / all;
  }

  /** How many of the text's stems the model knows (0: the text means nothing to it). */
  knownStems(text: string): number {
    return this.index.knownStems(text);
  }
}
