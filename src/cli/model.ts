/**
 * paperboy model <subcommand>: the sentence-embedding models semantic search uses.
 * Each subcommand lives in its own file; this one only dispatches.
 */
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { MODEL_FETCH_USAGE, runModelFetch } from './model-fetch.js';
import { MODEL_TRAIN_USAGE, runModelInfo, runModelTrain } from './model-train.js';

export interface ModelCommandContext {
  config: Config;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Opens (and migrates) the configured store, for subcommands that need the papers; the caller closes it. */
  openStore: () => Promise<Store>;
}

const USAGE = `Usage: paperboy model <subcommand>

Subcommands:
  train [--dimensions N] [--sample N] [--seed N]
                 learn the default search model from the stored papers and switch to it
  info           show the current learned model
  fetch MODEL [--revision R] [--quantized | --fp32] [--hub-url URL]
                 download a sentence-transformer's ONNX export from the Hugging Face Hub
                 into the data dir, for PAPERBOY_EMBEDDER=onnx:MODEL

${MODEL_TRAIN_USAGE}
${MODEL_FETCH_USAGE}`;

const SUBCOMMANDS: Record<string, (args: string[], ctx: ModelCommandContext) => Promise<number>> = {
  train: runModelTrain,
  info: runModelInfo,
  fetch: (args, ctx) => runModelFetch(args, { dataDir: ctx.config.dataDir, stdout: ctx.stdout, stderr: ctx.stderr, isTTY: ctx.isTTY }),
};

export async function runModel(args: string[], ctx: ModelCommandContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    (sub === undefined ? ctx.stderr : ctx.stdout).write(USAGE);
    return sub === undefined ? 1 : 0;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) {
    ctx.stderr.write(`paperboy model: unknown subcommand "${sub}"\n\n${USAGE}`);
    return 1;
  }
  return run(rest, ctx);
}
