// A child process that builds an HNSW graph on every core and saves it as a
// semantic index's cache (hnsw-vectors.ts), from the vectors the opening
// process wrote to a file (hnsw-build.ts). A process, not a worker thread:
// usearch's native module hangs while loading in a worker thread (Node 20,
// usearch 2.26), and building the graph of a million vectors takes minutes
// that the serving process's event loop must not spend.
//
//   node [--import tsx] hnsw-build-process.(ts|js) INPUT_FILE META_PATH
// Prints "added N of TOTAL" lines, then "saved".
import { readFileSync } from 'node:fs';
import type { StoredEmbedding } from '../store/store.js';
import { HnswVectors } from './hnsw-vectors.js';
import { readVectorFile } from './hnsw-build.js';

/** Vectors added per call: large enough for usearch to use every core. */
const BATCH = 10_000;

const [inputFile, metaPath] = process.argv.slice(2);
if (!inputFile || !metaPath) {
  process.stderr.write('usage: hnsw-build-process INPUT_FILE META_PATH\n');
  process.exit(2);
}
const input = readVectorFile(readFileSync(inputFile));
const d = input.dimensions;
const n = input.paperIds.length;
const set = HnswVectors.create(d);
for (let start = 0; start < n; start += BATCH) {
  const rows: StoredEmbedding[] = [];
  for (let i = start; i < Math.min(n, start + BATCH); i++) {
    rows.push({ seq: input.seqs[i]!, paperId: input.paperIds[i]!, textHash: '', scale: input.scales[i]!, vector: input.vectors.subarray(i * d, (i + 1) * d) });
  }
  set.upsert(rows);
  process.stdout.write(`added ${Math.min(n, start + BATCH)} of ${n}\n`);
}
set.save(metaPath, input.embedderId, input.maxSeq);
process.stdout.write('saved\n');
