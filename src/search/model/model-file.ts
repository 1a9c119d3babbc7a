// A learned model on disk: versioned, one file, written atomically.
//
//   "PBMODEL1"                    8 bytes
//   header length                 uint32 LE
//   header                        JSON (below), UTF-8, padded with spaces to a multiple of 4 bytes
//   scales                        float32 LE, one per stem
//   rows                          int8, stems x dimensions
//
// The id names the model and changes whenever its vectors would:
// learned-<dimensions>-<first 10 hex digits of sha256 over stems, scales and rows>.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TokenTable } from './token-table.js';

const MAGIC = 'PBMODEL1';
export const MODEL_FORMAT = 1;

/** How search uses the model on the corpus it was trained on (calibrate.ts). */
export interface ModelCalibration {
  /** Weight of the semantic side in hybrid fusion, 0..1 (keyword gets 1 - weight). */
  semanticWeight: number;
  /** A paper joins a result list by meaning alone only at this cosine similarity or above. */
  minSimilarity: number;
  /** What the choice was based on, for `paperboy model info` and the logs. */
  notes: string;
}

export interface ModelInfo {
  format: number;
  id: string;
  /** lsa: LSA alone; lsa-contrastive: LSA refined by contrastive training (contrastive.ts). */
  kind: 'lsa' | 'lsa-contrastive';
  dimensions: number;
  createdAt: string;
  /**
   * Papers in the collection when it was trained, and how many of them it was
   * trained on; `heldOut`: ids of sampled papers kept out of training so that
   * calibration can measure the model on text it has never seen.
   */
  trainedOn: { papers: number; sample: number; heldOut?: string[] };
  seed: number;
  calibration: ModelCalibration | null;
}

export interface LearnedModel {
  info: ModelInfo;
  table: TokenTable;
}

export function modelId(table: TokenTable): string {
  const hash = createHash('sha256');
  hash.update(table.stems.join('\n'));
  hash.update(new Uint8Array(table.scales.buffer, table.scales.byteOffset, table.scales.byteLength));
  hash.update(new Uint8Array(table.rows.buffer, table.rows.byteOffset, table.rows.byteLength));
  return `learned-${table.dimensions}-${hash.digest('hex').slice(0, 10)}`;
}

/** Where a data dir keeps its models. */
export function modelPath(dataDir: string, id: string): string {
  return join(dataDir, 'models', `${id}.pbmodel`);
}

export function encodeModel(model: LearnedModel): Buffer {
  const { info, table } = model;
  let header = Buffer.from(JSON.stringify({ ...info, stems: table.stems }), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  header = Buffer.concat([header, Buffer.alloc(pad, 0x20)]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const scales = Buffer.from(table.scales.buffer, table.scales.byteOffset, table.scales.byteLength);
  const rows = Buffer.from(table.rows.buffer, table.rows.byteOffset, table.rows.byteLength);
  return Buffer.concat([Buffer.from(MAGIC, 'ascii'), length, header, scales, rows]);
}

/** The model in `bytes`; throws with `source` in the message when it is not a model file. */
export function decodeModel(bytes: Buffer, source = 'model file'): LearnedModel {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 8) !== MAGIC) throw new Error(`${source} is not a Paperboy model file`);
  const headerLength = bytes.readUInt32LE(8);
  const start = 12 + headerLength;
  let parsed: ModelInfo & { stems: string[] };
  try {
    parsed = JSON.parse(bytes.toString('utf8', 12, start)) as ModelInfo & { stems: string[] };
  } catch {
    throw new Error(`${source}: unreadable header`);
  }
  if (parsed.format !== MODEL_FORMAT) throw new Error(`${source}: model format ${parsed.format}, this Paperboy reads ${MODEL_FORMAT}`);
  const { stems, ...info } = parsed;
  const n = stems.length;
  const d = info.dimensions;
  if (bytes.length !== start + 4 * n + n * d) throw new Error(`${source}: ${bytes.length} bytes, expected ${start + 4 * n + n * d} for ${n} stems of ${d} dimensions`);
  // Copies, so the arrays are aligned and independent of the file buffer.
  const scales = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + 4 * n));
  const rows = new Int8Array(bytes.buffer.slice(bytes.byteOffset + start + 4 * n, bytes.byteOffset + start + 4 * n + n * d));
  const model = { info, table: { stems, dimensions: d, rows, scales } };
  if (modelId(model.table) !== info.id) throw new Error(`${source}: its contents do not match its id ${info.id} (damaged?)`);
  return model;
}

/** Writes the model atomically (temporary file, then rename); returns the path. */
export function saveModel(dataDir: string, model: LearnedModel): string {
  const path = modelPath(dataDir, model.info.id);
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, encodeModel(model));
  renameSync(temp, path);
  return path;
}

export function loadModelFile(path: string): LearnedModel {
  return decodeModel(readFileSync(path), path);
}
