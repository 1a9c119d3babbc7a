/**
 * paperboy index [--batch N] [--limit N]
 * Exit code: 0 papers were embedded, 3 none needed it (or semantic search is off), 1 usage or setup error.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { embedderSettings, type Config } from '../config.js';
import type { Embedder } from '../search/embedder.js';
import { createEmbedder, EmbedderSetupError } from '../search/embedder-config.js';
import { DEFAULT_INDEX_BATCH, indexPendingPapers } from '../search/index-papers.js';
import type { IndexProgress } from '../search/index-papers.js';
import type { Store } from '../store/store.js';

export interface IndexCommandContext {
  store: Store;
  config?: Config;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** The embedder to use; by default the one PAPERBOY_EMBEDDER names (null: semantic search is off). */
  embedder?: Embedder | null;
}

const USAGE = `Usage: paperboy index [--batch N] [--limit N]

Computes the semantic-search vectors of papers that have none yet or whose
title or abstract changed, with the embedder PAPERBOY_EMBEDDER names
(by default the current learned model: paperboy model train makes one).
Each batch is saved as it completes: stop it at any time and run it again
to continue.
  --batch N   papers per batch (default ${DEFAULT_INDEX_BATCH})
  --limit N   stop after N papers
`;

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/** A progress bar on a terminal; a line per batch otherwise. */
function progressReporter(ctx: IndexCommandContext) {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: IndexProgress) {
      const rate = p.textsPerSecond.toFixed(1);
      if (!ctx.isTTY) {
        ctx.stdout.write(`embedded ${p.done}/${p.total} papers, ${rate} texts/s\n`);
        return;
      }
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { stream: ctx.stderr, format: 'Embedding [{bar}] {percentage}% {value}/{total} papers | {rate} texts/s | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, 0, { rate });
      }
      bar.update(p.done, { rate });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export async function runIndex(args: string[], ctx: IndexCommandContext): Promise<number> {
  let batchSize: number | undefined;
  let limit: number | undefined;
  try {
    const parsed = parseArgs({ args, options: { batch: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (parsed.values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
    batchSize = positive('batch', parsed.values.batch);
    limit = positive('limit', parsed.values.limit);
  } catch (err) {
    ctx.stderr.write(`paperboy index: ${(err as Error).message}\n\n${USAGE}`);
    return 1;
  }

  let embedder: Embedder | null;
  try {
    const settings = ctx.config ?? embedderSettings();
    embedder = ctx.embedder !== undefined ? ctx.embedder : await createEmbedder(settings.embedder, { store: ctx.store, dataDir: settings.dataDir });
  } catch (err) {
    if (!(err instanceof EmbedderSetupError)) throw err;
    ctx.stderr.write(`paperboy index: ${err.message}\n`);
    return 1;
  }
  if (!embedder) {
    ctx.stderr.write('paperboy index: semantic search is off (PAPERBOY_EMBEDDER=off); nothing to do\n');
    return 3;
  }

  // Ctrl-C stops after the batch in flight, which is saved.
  const stop = new AbortController();
  const onSignal = () => {
    ctx.stderr.write('\nStopping after this batch (run paperboy index again to continue)...\n');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  const progress = progressReporter(ctx);
  let summary;
  try {
    summary = await indexPendingPapers(ctx.store, embedder, { batchSize, limit, signal: stop.signal, onBatch: (p) => progress.update(p) });
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSignal);
  }
  if (summary.total === 0) {
    ctx.stdout.write(`Every paper has a vector for ${embedder.id}; nothing to do.\n`);
    return 3;
  }
  const skipped = summary.skipped > 0 ? `; ${summary.skipped} changed while being embedded and are left for the next run` : '';
  ctx.stdout.write(
    `Embedded ${summary.embedded} of ${summary.total} papers with ${embedder.id} in ${summary.seconds.toFixed(1)} s (${summary.textsPerSecond.toFixed(1)} texts/s)${skipped}.\n`,
  );
  return summary.embedded > 0 ? 0 : 3;
}
