/**
 * paperboy model train [--dimensions N] [--sample N] [--seed N]
 * paperboy model info
 * Trains the learned embedder on the stored papers, embeds every paper with
 * it, calibrates search and makes it current (running servers switch to it
 * within PAPERBOY_INDEX_INTERVAL_S). Killed at any point, the previous model
 * keeps serving.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadCurrentModel } from '../search/model/current-model.js';
import { buildAndSwitchModel } from '../search/model/model-lifecycle.js';
import { DEFAULT_DIMENSIONS, DEFAULT_SAMPLE, DEFAULT_SEED } from '../search/model/train-model.js';
import type { IndexProgress } from '../search/index-papers.js';
import type { ModelCommandContext } from './model.js';

export const MODEL_TRAIN_USAGE = `paperboy model train [--dimensions N] [--sample N] [--seed N]
  Learns the search model from the stored papers (LSA over titles and abstracts),
  embeds every paper with it, calibrates hybrid search on pseudo-queries made
  from the papers, and makes it current. Same papers and seed: same model.
  --dimensions N  vector size (default ${DEFAULT_DIMENSIONS})
  --sample N      train on a random sample of at most N papers; the rest are
                  embedded by the trained model (default ${DEFAULT_SAMPLE})
  --seed N        random seed (default ${DEFAULT_SEED})

paperboy model info
  Prints the current model: id, size, when and on what it was trained, its calibration.
`;

function positive(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got "${value}"`);
  return n;
}

export async function runModelTrain(args: string[], ctx: ModelCommandContext): Promise<number> {
  let opts: { dimensions?: number; sample?: number; seed?: number };
  try {
    const { values } = parseArgs({ args, options: { dimensions: { type: 'string' }, sample: { type: 'string' }, seed: { type: 'string' } }, strict: true });
    opts = { dimensions: positive('dimensions', values.dimensions, 2048), sample: positive('sample', values.sample, 10_000_000), seed: positive('seed', values.seed, 2 ** 31) };
  } catch (err) {
    ctx.stderr.write(`paperboy model train: ${err instanceof Error ? err.message : String(err)}\n\n${MODEL_TRAIN_USAGE}`);
    return 1;
  }
  const store = await ctx.openStore();
  try {
    const papers = await store.countPapers();
    if (papers < 2) {
      ctx.stderr.write(`paperboy model train: ${papers} papers stored; import some first (paperboy import FILE)\n`);
      return 1;
    }
    let bar: cliProgress.SingleBar | null = null;
    const progress = (p: IndexProgress) => {
      if (!ctx.isTTY) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({ stream: ctx.stderr, format: 'Embedding [{bar}] {value}/{total} papers | ETA {eta_formatted}', clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(p.total, 0);
      }
      bar.update(p.done);
    };
    const built = await buildAndSwitchModel(store, { ...opts, dataDir: ctx.config.dataDir, onStep: (line) => ctx.stdout.write(`${line}\n`), onEmbedProgress: progress });
    (bar as cliProgress.SingleBar | null)?.stop();
    ctx.stdout.write(
      `model ${built.model.info.id} is current${previousNote(built.model.info.id, built.previousId)}: ` +
        `training ${built.trainSeconds.toFixed(1)} s, embedding ${built.embedSeconds.toFixed(1)} s, calibration ${built.calibrateSeconds.toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** Training is deterministic: the same papers and seed give the model that already serves. */
function previousNote(id: string, previousId: string | null): string {
  if (previousId === null) return '';
  return previousId === id ? ' (the same model as before: the papers and seed have not changed)' : ` (was ${previousId})`;
}

export async function runModelInfo(_args: string[], ctx: ModelCommandContext): Promise<number> {
  const store = await ctx.openStore();
  try {
    const model = await loadCurrentModel(store, ctx.config.dataDir);
    if (model === null) {
      ctx.stdout.write('no learned model yet (paperboy model train makes one; serve trains one by itself)\n');
      return 3;
    }
    const { info, table } = model;
    const vectors = await store.countEmbeddings(info.id);
    ctx.stdout.write(
      [
        `model       ${info.id} (${info.kind}, ${info.dimensions} dimensions, ${table.stems.length} stems)`,
        `trained     ${info.createdAt} on ${info.trainedOn.sample} of ${info.trainedOn.papers} papers, seed ${info.seed}`,
        `vectors     ${vectors} of ${await store.countPapers()} papers`,
        `calibration ${info.calibration ? `semantic weight ${info.calibration.semanticWeight}, join threshold ${info.calibration.minSimilarity}` : 'none'}`,
        ...(info.calibration ? [`            ${info.calibration.notes}`] : []),
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}
