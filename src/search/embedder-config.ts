// Which sentence-embedding model semantic search uses, from the environment:
//
//   PAPERBOY_EMBEDDER=use-lite                      (default) Universal Sentence Encoder lite, 512-d, weights in npm
//   PAPERBOY_EMBEDDER=transformers:/path/to/model   an ONNX sentence-transformer from a local directory, through
//                                                   @huggingface/transformers (install it first; never downloads)
//   PAPERBOY_EMBEDDER=off                           no semantic search
//   PAPERBOY_EMBEDDER=hash-test[:DELAY_MS]          TEST ONLY: word hashing, no model (waits DELAY_MS per call)
//   PAPERBOY_EMBEDDER=hash-test-cpu:MS              TEST ONLY: the same, keeping its thread busy MS per call
//
//   PAPERBOY_VECTOR_INDEX=auto | exact | hnsw       how vectors are searched (semantic-index.ts); default auto
//
// Vectors are stored per embedder id, so switching models keeps the old vectors
// and `paperboy index` embeds every paper again for the new one.
import type { Embedder } from './embedder.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { EmbedderSetupError, loadTransformersEmbedder, type TransformersModule } from './transformers-embedder.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';

export type EmbedderSpec =
  | { kind: 'off' }
  | { kind: 'use-lite' }
  | { kind: 'transformers'; modelDir: string }
  | { kind: 'hash-test'; delayMs: number; busy?: boolean };

export type VectorIndexKind = 'auto' | 'exact' | 'hnsw';

export { EmbedderSetupError };

const USAGE = 'expected use-lite, off, or transformers:/path/to/model/dir';

/** Parses PAPERBOY_EMBEDDER; throws EmbedderSetupError naming the variable on a bad value. */
export function parseEmbedderSpec(value: string | undefined): EmbedderSpec {
  const v = (value ?? '').trim();
  if (v === '' || v === 'use-lite') return { kind: 'use-lite' };
  if (v === 'off') return { kind: 'off' };
  if (v.startsWith('transformers:')) {
    const modelDir = v.slice('transformers:'.length).trim();
    if (modelDir === '') throw new EmbedderSetupError(`PAPERBOY_EMBEDDER: transformers: needs a model directory (${USAGE})`);
    return { kind: 'transformers', modelDir };
  }
  const test = /^hash-test(?::(\d{1,5}))?$/.exec(v);
  if (test) return { kind: 'hash-test', delayMs: Number(test[1] ?? 0) };
  const busy = /^hash-test-cpu:(\d{1,5})$/.exec(v);
  if (busy) return { kind: 'hash-test', delayMs: Number(busy[1]), busy: true };
  throw new EmbedderSetupError(`PAPERBOY_EMBEDDER: unknown embedder ${JSON.stringify(v)} (${USAGE})`);
}

export function parseVectorIndexKind(value: string | undefined): VectorIndexKind {
  const v = (value ?? '').trim();
  if (v === '') return 'auto';
  if (v === 'auto' || v === 'exact' || v === 'hnsw') return v;
  throw new EmbedderSetupError(`PAPERBOY_VECTOR_INDEX: expected auto, exact or hnsw, got ${JSON.stringify(v)}`);
}

/** The embedder a spec names, or null when semantic search is off. Fails early when a model cannot be used. */
export async function createEmbedder(
  spec: EmbedderSpec,
  deps: { importTransformers?: () => Promise<TransformersModule> } = {},
): Promise<Embedder | null> {
  switch (spec.kind) {
    case 'off':
      return null;
    case 'use-lite':
      return new UseLiteEmbedder();
    case 'hash-test':
      return new HashTestEmbedder(spec.delayMs, spec.busy === true);
    case 'transformers':
      return loadTransformersEmbedder(spec.modelDir, deps.importTransformers);
  }
}

export function embedderFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Embedder | null> {
  return createEmbedder(parseEmbedderSpec(env.PAPERBOY_EMBEDDER));
}
