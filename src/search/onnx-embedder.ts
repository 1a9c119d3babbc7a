// An ONNX sentence-transformer from a local directory, run by
// @huggingface/transformers (onnxruntime-node on the CPU). Remote loading is
// off and its file cache unused: only the directory is read. It holds what the
// Hub's ONNX exports provide (`paperboy model fetch` downloads one into the
// data dir): config.json, tokenizer.json, tokenizer_config.json and
// onnx/model.onnx or onnx/model_quantized.onnx. Pooling follows the
// sentence-transformers file 1_Pooling/config.json (CLS or mean; mean if absent).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { l2normalise, type Embedder } from './embedder.js';

export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

/** Where `paperboy model fetch` puts models: <data dir>/models/onnx/<org>__<name>. */
export const FETCHED_MODELS_DIR = join('models', 'onnx');

/** What `paperboy model fetch` writes last, once every file is verified. */
export const FETCH_MANIFEST = 'paperboy-fetch.json';

/**
 * A Hub model id: NAME or ORG/NAME of letters, digits, `_`, `-` and `.`
 * (the Hub's own rule, which also forbids `--` and `..`).
 */
export function isHubModelId(value: string): boolean {
  return /^(?:[\w.-]{1,96}\/)?[\w.-]{1,96}$/.test(value) && !value.includes('--') && !value.includes('..') && !/^[.-]|[.-]$/.test(value.split('/').pop()!);
}

/** The directory a fetched model lives in: BAAI/bge-small-en-v1.5 -> <dataDir>/models/onnx/BAAI__bge-small-en-v1.5. */
export function fetchedModelDir(dataDir: string, modelId: string): string {
  return join(resolve(dataDir), FETCHED_MODELS_DIR, modelId.replace('/', '__'));
}

/** The part of @huggingface/transformers this backend uses. */
export interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; useFSCache: boolean };
  pipeline(
    task: 'feature-extraction',
    model: string,
    opts: { dtype: string; local_files_only: boolean },
  ): Promise<(texts: string[], opts: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<{ data: ArrayLike<number>; dims: number[] }>>;
}

export class EmbedderSetupError extends Error {}

export interface ModelDirInfo {
  dir: string;
  dimensions: number;
  pooling: 'mean' | 'cls';
  dtype: 'fp32' | 'q8';
  /** Stable id: model name, pooling, dtype and a hash of its config and weights. */
  id: string;
}

interface FetchManifest {
  weights?: string;
  files?: Record<string, { sha256?: string; gitBlobSha1?: string; size?: number }>;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new EmbedderSetupError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Checks a model directory and reads what the embedder needs to know before loading it. */
export function inspectModelDir(modelDir: string): ModelDirInfo {
  const dir = resolve(modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EmbedderSetupError(`model directory ${dir} does not exist`);
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!existsSync(join(dir, f))) throw new EmbedderSetupError(`model directory ${dir} has no ${f}`);
  }
  const manifest: FetchManifest | null = existsSync(join(dir, FETCH_MANIFEST)) ? (readJson(join(dir, FETCH_MANIFEST)) as FetchManifest) : null;
  // A fetched directory names its weights (an earlier fetch with another --quantized/--fp32 may have left the other file).
  const candidates = manifest?.weights ? [manifest.weights] : ['onnx/model.onnx', 'onnx/model_quantized.onnx'];
  const weights = candidates.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!weights) throw new EmbedderSetupError(`model directory ${dir} has no ${candidates.join(' or ')}`);
  const configText = readFileSync(join(dir, 'config.json'), 'utf8');
  const config = readJson(join(dir, 'config.json'));
  const dimensions = [config.hidden_size, config.d_model, config.dim].find((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) as number | undefined;
  if (!dimensions) throw new EmbedderSetupError(`${join(dir, 'config.json')} names no hidden_size`);
  const poolingFile = join(dir, '1_Pooling', 'config.json');
  const pooling = existsSync(poolingFile) && readJson(poolingFile).pooling_mode_cls_token === true ? 'cls' : 'mean';
  const dtype = basename(weights) === 'model.onnx' ? 'fp32' : 'q8';
  // The weights' published checksum when fetched (hashing 130 MB at every start costs 0.3 s per worker), their size otherwise.
  const weightsKey = (manifest?.weights && manifest.files?.[manifest.weights]?.sha256) ?? String(statSync(weights).size);
  const hash = createHash('sha1').update(configText).update(weightsKey).digest('hex').slice(0, 8);
  const name = basename(dir).replace(/[^\w.-]+/g, '_');
  return { dir, dimensions, pooling, dtype, id: `st-${name}-${pooling}-${dtype}-${hash}` };
}

/** Imports @huggingface/transformers (a dependency; a broken install is explained, not a stack trace). */
export async function importTransformers(specifier = TRANSFORMERS_PACKAGE): Promise<TransformersModule> {
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new EmbedderSetupError(`${specifier} is not installed: run npm install to use PAPERBOY_EMBEDDER=onnx:...`);
    }
    throw err;
  }
}

export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private extractor: ReturnType<TransformersModule['pipeline']> | null = null;

  constructor(
    readonly info: ModelDirInfo,
    private readonly lib: TransformersModule,
    private readonly batchSize = 16,
  ) {
    this.id = info.id;
    this.dimensions = info.dimensions;
  }

  private getExtractor(): ReturnType<TransformersModule['pipeline']> {
    if (!this.extractor) {
      // Only the given directory is read: no Hub, and no file cache (it lives
      // in node_modules and is looked up before local paths). The directory
      // goes in as an absolute path, which the library reads as it is,
      // whatever env.localModelPath says.
      this.lib.env.allowRemoteModels = false;
      this.lib.env.allowLocalModels = true;
      this.lib.env.useFSCache = false;
      this.extractor = this.lib.pipeline('feature-extraction', this.info.dir, { dtype: this.info.dtype, local_files_only: true });
      this.extractor.catch(() => {
        this.extractor = null;
      });
    }
    return this.extractor;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new TypeError('embed() takes an array of strings');
    if (texts.length === 0) return [];
    const extract = await this.getExtractor();
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize).map((t) => (t.trim() === '' ? ' ' : t));
      const tensor = await extract(batch, { pooling: this.info.pooling, normalize: true });
      const [rows, dims] = tensor.dims;
      if (rows !== batch.length || dims !== this.dimensions) {
        throw new Error(`model ${this.id} returned a ${tensor.dims.join('x')} tensor, expected ${batch.length}x${this.dimensions}`);
      }
      for (let r = 0; r < rows; r++) out.push(l2normalise(Float32Array.from({ length: dims }, (_, j) => tensor.data[r * dims + j]!)));
    }
    return out;
  }
}

/** Checks the directory, imports the library and returns an embedder that loads the model on first use. */
export async function loadOnnxEmbedder(modelDir: string, importModule: () => Promise<TransformersModule> = importTransformers): Promise<OnnxEmbedder> {
  const info = inspectModelDir(modelDir);
  return new OnnxEmbedder(info, await importModule());
}
