// Packages the demo's USE-lite vectors (data/cache/demo-vectors.f32.jsonl, made by
// scripts/embed-demo.mts) into the committed, compact int8 file that a first
// start loads (src/search/demo-vectors.ts).
// Usage: node --import tsx scripts/package-demo-vectors.ts [INPUT] [OUTPUT]
import { statSync } from 'node:fs';
import { packageVectors } from '../src/search/demo-vectors.js';
import { USE_LITE_DIMENSIONS, UseLiteEmbedder } from '../src/search/use-lite-embedder.js';

const input = process.argv[2] ?? 'data/cache/demo-vectors.f32.jsonl';
const embedderId = new UseLiteEmbedder().id;
const output = process.argv[3] ?? `demo/hf-daily-papers.${embedderId}.vectors.jsonl.gz`;
try {
  const count = await packageVectors(input, output, embedderId, USE_LITE_DIMENSIONS);
  console.log(`${output}: ${count} vectors, ${(statSync(output).size / 1e6).toFixed(1)} MB`);
} catch (err) {
  console.error(`package-demo-vectors: ${(err as Error).message}`);
  process.exitCode = 1;
}
