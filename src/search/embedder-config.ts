// Which sentence-embedding model semantic search uses, from the environment:
//
//   PAPERBOY_EMBEDDER=learned                       (default) the model learned from this instance's own papers
//                                                   (src/search/model/; `paperboy model train`, retrained as it grows)
//   PAPERBOY_EMBEDDER=use-lite                      Universal Sentence Encoder lite, 512-d, weights in npm
//   PAPERBOY_EMBEDDER=onnx:/path/to/model           an ONNX sentence-transformer from a directory, run by
//                                                   @huggingface/transformers (never downloads)
//   PAPERBOY_EMBEDDER=onnx:ORG/NAME                 the same, fetched by `paperboy model fetch ORG/NAME` into
//                                                   <data dir>/models/onnx/ORG__NAME
//   PAPERBOY_EMBEDDER=transformers:...              the older name of onnx:..., the same thing
//   PAPERBOY_EMBEDDER=off                           no semantic search
//   PAPERBOY_EMBEDDER=hash-test[:DELAY_MS]          TEST ONLY: word hashing, no model (waits DELAY_MS per call)
//   PAPERBOY_EMBEDDER=hash-test-cpu:MS              TEST ONLY: the same, keeping its thread busy MS per call
//
//   PAPERBOY_VECTOR_INDEX=auto | exact | hnsw       how vectors are searched (semantic-index.ts); default auto
//
// Vectors are stored per embedder id, so switching models keeps the old vectors
// and `paperboy index` embeds every paper again for the new one.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Embedder } from './embedder.js';
import type { Store } from '../store/store.js';
import { HashTestEmbedder } from './hash-test-embedder.js';
import { loadCurrentModel } from './model/current-model.js';
import { LearnedEmbedder } from './model/learned-embedder.js';
import { EmbedderSetupError, fetchedModelDir, isHubModelId, loadOnnxEmbedder, type TransformersModule } from './onnx-embedder.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';

export type EmbedderSpec =
  | { kind: 'off' }
  | { kind: 'learned' }
  | { kind: 'use-lite' }
  // `model` is the Hub id when the directory is a fetched one. parseEmbedderSpec
  // never returns 'transformers' (it reads transformers: as onnx:); the kind is
  // kept for callers that still name it.
  | { kind: 'onnx' | 'transformers'; modelDir: string; model?: string }
  | { kind: 'hash-test'; delayMs: number; busy?: boolean };

export type VectorIndexKind = 'auto' | 'exact' | 'hnsw';

export { EmbedderSetupError };

// (startup-errors.test.ts pins the start of this text.)
const USAGE = 'expected learned, use-lite, off, or transformers:/onnx: followed by a model directory (starting with / or ./) or a model name fetched by paperboy model fetch';

/**
 * onnx:DIR. A value starting with `/`, `./` or `../` is a directory (relative
 * to the working directory); anything else must be a Hub model id, fetched by
 * `paperboy model fetch` into the data dir. A bare relative path such as
 * `models/bge` is therefore read as a model id: say `./models/bge`.
 */
function parseOnnxTarget(prefix: string, target: string, dataDir: string): EmbedderSpec {
  if (target === '') throw new EmbedderSetupError(`PAPERBOY_EMBEDDER: ${prefix}: needs a model directory or name (${USAGE})`);
  if (/^\.{1,2}(\/|$)|^\//.test(target)) return { kind: 'onnx', modelDir: resolve(target) };
  if (!isHubModelId(target)) {
    throw new EmbedderSetupError(
      `PAPERBOY_EMBEDDER: ${prefix}:${target} is neither a directory (start it with / or ./) nor a model name such as BAAI/bge-small-en-v1.5`,
    );
  }
  return { kind: 'onnx', modelDir: fetchedModelDir(dataDir, target), model: target };
}

/**
 * Parses PAPERBOY_EMBEDDER; throws EmbedderSetupError naming the variable on a
 * bad value. `dataDir` is where fetched models are (default: PAPERBOY_DATA_DIR).
 */
export function parseEmbedderSpec(value: string | undefined, dataDir: string): EmbedderSpec {
  const v = (value ?? '').trim();
  if (v === '' || v === 'learned') return { kind: 'learned' };
  if (v === 'use-lite') return { kind: 'use-lite' };
  if (v === 'off') return { kind: 'off' };
  const onnx = /^(onnx|transformers):/.exec(v);
  if (onnx) return parseOnnxTarget(onnx[1]!, v.slice(onnx[0].length).trim(), dataDir);
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
  deps: { importTransformers?: () => Promise<TransformersModule>; store?: Store; dataDir?: string } = {},
): Promise<Embedder | null> {
  switch (spec.kind) {
    case 'off':
      return null;
    case 'learned': {
      if (!deps.store || deps.dataDir === undefined) throw new Error('the learned embedder needs the store and the data dir');
      const model = await loadCurrentModel(deps.store, deps.dataDir);
      if (model === null) throw new EmbedderSetupError('no learned model yet: run paperboy model train (serve trains one by itself)');
      return new LearnedEmbedder(model);
    }
    case 'use-lite':
      return new UseLiteEmbedder();
    case 'hash-test':
      return new HashTestEmbedder(spec.delayMs, spec.busy === true);
    case 'onnx':
    case 'transformers':
      if (spec.model !== undefined && !existsSync(spec.modelDir)) {
        throw new EmbedderSetupError(`model ${spec.model} has not been fetched into ${spec.modelDir}: run paperboy model fetch ${spec.model}`);
      }
      return loadOnnxEmbedder(spec.modelDir, deps.importTransformers);
  }
}
