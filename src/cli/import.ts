/**
 * paperboy import FILE... [--format NAME]
 * Exit code: 0 all imported, 2 some records or files skipped or lost, 1 usage error or nothing imported.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { FORMAT_NAMES, isFormatName } from '../ingest/formats/index.js';
import type { FormatName } from '../ingest/formats/index.js';
import { importFiles } from '../ingest/import-files.js';
import { compactAfterLargeLoad } from './compact.js';
import type { FileReport, ImportCounts, ImportProblem, ImportProgress } from '../ingest/import-files.js';
import type { Store } from '../store/store.js';

export interface ImportCommandContext {
  store: Store;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

const USAGE = `Usage: paperboy import FILE... [--format NAME]

Imports papers from files; .gz files are read transparently. The format is
detected from the content; --format forces one of:
  ${FORMAT_NAMES.join(', ')}
`;

export function formatProblem(p: ImportProblem): string {
  const where = p.where === 'file' || p.where === 'document' ? '' : `${p.where}:`;
  return `${p.file}:${where} ${p.message}`;
}

const counts = (c: ImportCounts) => `new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, skipped ${c.skipped}`;

function fileLine(r: FileReport): string {
  if (r.error) return `${r.file}: not imported`;
  if (!r.stopped) return `${r.file}: ${r.format}, ${counts(r)}`;
  const stored = r.new + r.updated + r.unchanged;
  const before = stored === 1 ? 'the 1 record before it was imported' : `the ${stored} records before it were imported`;
  return `${r.file}: ${r.format}, ${counts(r)}; stopped at ${r.stopped.where}: ${r.stopped.reason}; ${before}`;
}

/** A progress bar on a terminal, one per file; nothing otherwise. */
function progressBar(ctx: ImportCommandContext) {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p: ImportProgress) {
      if (!ctx.isTTY) return;
      if (!bar) {
        const name = basename(p.file);
        const format = p.total === null ? `${name} {value} records` : `${name} [{bar}] {percentage}% {value}/{total} records`;
        bar = new cliProgress.SingleBar({ stream: ctx.stderr, format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(p.total ?? 0, 0);
      }
      bar.update(p.done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export async function runImport(args: string[], ctx: ImportCommandContext): Promise<number> {
  let files: string[];
  let format: FormatName | undefined;
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (parsed.values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
    files = parsed.positionals;
    const name = parsed.values.format;
    if (name !== undefined && !isFormatName(name)) throw new Error(`unknown format "${name}"`);
    format = name;
  } catch (err) {
    ctx.stderr.write(`paperboy import: ${(err as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (files.length === 0) {
    ctx.stderr.write(`paperboy import: no file given\n\n${USAGE}`);
    return 1;
  }

  const total: ImportCounts = { new: 0, updated: 0, unchanged: 0, skipped: 0 };
  let imported = 0;
  /** Files not imported, or not to their end. */
  let failed = 0;
  for (const file of files) {
    const bar = progressBar(ctx);
    let report;
    try {
      report = await importFiles(ctx.store, [file], { format, onProgress: (p) => bar.update(p) });
    } finally {
      bar.stop();
    }
    for (const p of report.problems) ctx.stderr.write(`${formatProblem(p)}\n`);
    const r = report.files[0]!;
    for (const k of ['new', 'updated', 'unchanged', 'skipped'] as const) total[k] += r[k];
    if (r.error || r.stopped) failed++;
    if (!r.error) imported++;
    ctx.stdout.write(`${fileLine(r)}\n`);
  }
  ctx.stdout.write(`${counts(total)}\n`);
  await compactAfterLargeLoad(ctx.store, total.new + total.updated, (line) => ctx.stdout.write(line));
  if (imported === 0) return 1;
  return total.skipped > 0 || failed > 0 ? 2 : 0;
}
