// An ONNX sentence-transformer from a local directory, run by
// @huggingface/transformers (an optional dependency: `npm install
// @huggingface/transformers` to use it). Remote loading is switched off: the
// directory must hold what `optimum-cli export onnx` or the Hub's "onnx/"
// folder provides: config.json, tokenizer.json, tokenizer_config.json and
// onnx/model.onnx (or onnx/model_quantized.onnx). Pooling follows the
// sentence-transformers file 1_Pooling/config.json (CLS or mean; mean if absent).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { l2normalise, type Embedder } from './embedder.js';

export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

/** The part of @huggingface/transformers this backend uses. */
export interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
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
  /** Stable id: model name, pooling, dtype and a hash of its config and weights' size. */
  id: string;
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
  const weights = ['model.onnx', 'model_quantized.onnx'].map((f) => join(dir, 'onnx', f)).find((f) => existsSync(f));
  if (!weights) throw new EmbedderSetupError(`model directory ${dir} has no onnx/model.onnx or onnx/model_quantized.onnx`);
  const configText = readFileSync(join(dir, 'config.json'), 'utf8');
  const config = readJson(join(dir, 'config.json'));
  const dimensions = [config.hidden_size, config.d_model, config.dim].find((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) as number | undefined;
  if (!dimensions) throw new EmbedderSetupError(`${join(dir, 'config.json')} names no hidden_size`);
  const poolingFile = join(dir, '1_Pooling', 'config.json');
  const pooling = existsSync(poolingFile) && readJson(poolingFile).pooling_mode_cls_token === true ? 'cls' : 'mean';
  const dtype = basename(weights) === 'model.onnx' ? 'fp32' : 'q8';
  const hash = createHash('sha1').update(configText).update(String(statSync(weights).size)).digest('hex').slice(0, 8);
  const name = basename(dir).replace(/[^\w.-]+/g, '_');
  return { dir, dimensions, pooling, dtype, id: `st-${name}-${pooling}-${dtype}-${hash}` };
}

/** Imports the optional package, or explains how to get it. */
export async function importTransformers(specifier = TRANSFORMERS_PACKAGE): Promise<TransformersModule> {
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new EmbedderSetupError(`install ${TRANSFORMERS_PACKAGE} to use PAPERBOY_EMBEDDER=transformers:... (npm install ${TRANSFORMERS_PACKAGE})`);
    }
    throw err;
  }
}

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private extractor: ReturnType<TransformersModule['pipeline']> | null = null;

  constructor(
    private readonly info: ModelDirInfo,
    private readonly lib: TransformersModule,
    private readonly batchSize = 16,
  ) {
    this.id = info.id;
    this.dimensions = info.dimensions;
  }

  private getExtractor(): ReturnType<TransformersModule['pipeline']> {
    if (!this.extractor) {
      // Only the given directory is read: no Hub, no cache downloads.
      this.lib.env.allowRemoteModels = false;
      this.lib.env.allowLocalModels = true;
      this.lib.env.localModelPath = `${dirname(this.info.dir)}/`;
      this.extractor = this.lib.pipeline('feature-extraction', basename(this.info.dir), { dtype: this.info.dtype, local_files_only: true });
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

/** Checks the directory, imports the package and returns an embedder that loads the model on first use. */
export async function loadTransformersEmbedder(modelDir: string, importModule: () => Promise<TransformersModule> = importTransformers): Promise<TransformersEmbedder> {
  const info = inspectModelDir(modelDir);
  return new TransformersEmbedder(info, await importModule());
}
