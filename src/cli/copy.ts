/**
 * paperboy copy --from sqlite:PATH|postgres://... --to sqlite:PATH|postgres://... [--batch N]
 * Exit code: 0 copied and verified, 2 copied but the two sides differ, 1 usage error or refused.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { parseEndpoint, sameDatabase } from '../store/copy/copy-endpoint.js';
import { CopyError } from '../store/copy/copy-error.js';
import { copyInstance, DEFAULT_COPY_BATCH } from '../store/copy/copy-instance.js';
import type { CopyProgressEvent, CopyReport } from '../store/copy/copy-instance.js';
import type { CopySide } from '../store/copy/copy-side.js';
import { openCopySide } from '../store/copy/open-copy-side.js';

export interface CopyCommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

const USAGE = `Usage: paperboy copy --from SOURCE --to TARGET [--batch N]

Copies an instance's papers, versions, categories, daily entries, state and
vectors from one database to another: SOURCE and TARGET are sqlite:PATH or
postgres://USER@HOST:PORT/DATABASE. The target is migrated first and must be
empty; search indexes are rebuilt there by the target itself. Each batch is
committed with a progress marker: stop it at any time and run the same
command again to continue. At the end both sides are read back and each
table's rows and checksum are printed; any difference exits with code 2.
Stop the processes writing to the source first.
  --batch N   rows per batch and transaction (default ${DEFAULT_COPY_BATCH})
`;

interface CopyArgs {
  from: ReturnType<typeof parseEndpoint>;
  to: ReturnType<typeof parseEndpoint>;
  batchSize: number;
}

function parseCopyArgs(args: string[]): CopyArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    // parseArgs quotes what it did not understand, which may be a URL with its password.
    throw new CopyError((err as Error).message.replace(/\/\/[^@/\s]*@/g, '//***@'));
  }
  if (values.help) return 'help';
  const from = parseEndpoint('--from', values.from);
  const to = parseEndpoint('--to', values.to);
  if (sameDatabase(from, to)) throw new CopyError('--from and --to name the same database');
  let batchSize = DEFAULT_COPY_BATCH;
  if (values.batch !== undefined) {
    batchSize = Number(values.batch);
    if (!/^\d+$/.test(values.batch) || !Number.isSafeInteger(batchSize) || batchSize < 1) throw new CopyError(`--batch must be a positive integer, got "${values.batch}"`);
  }
  return { from, to, batchSize };
}

/** A bar per table on a terminal; otherwise a line when a table starts, after its first batch, at most every 5 s, and at its end. */
function progressReporter(ctx: CopyCommandContext) {
  let bar: cliProgress.SingleBar | null = null;
  let current = '';
  let lastLine = 0;
  let batches = 0;
  const stopBar = () => {
    bar?.stop();
    bar = null;
  };
  return {
    update(p: CopyProgressEvent) {
      const starting = p.table !== current;
      current = p.table;
      batches = starting ? 0 : batches + 1;
      if (!ctx.isTTY) {
        const finished = p.copied >= p.total;
        if (batches <= 1 || finished || Date.now() - lastLine >= 5000) {
          ctx.stdout.write(`copying ${p.table}: ${p.copied}/${p.total} rows\n`);
          lastLine = Date.now();
        }
        return;
      }
      if (starting) {
        stopBar();
        bar = new cliProgress.SingleBar(
          { stream: ctx.stderr, format: `${p.table.padEnd(17)} [{bar}] {percentage}% {value}/{total} rows | ETA {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.copied);
      }
      bar!.setTotal(p.total);
      bar!.update(p.copied);
    },
    verifying(table: string) {
      stopBar();
      if (table === current || !ctx.isTTY) return;
      current = table;
      ctx.stderr.write(`comparing ${table}...\r`);
    },
    stop: stopBar,
  };
}

/** The closing table: per copied table, rows and checksum (first 16 hex digits) on each side. */
export function formatReport(report: CopyReport, source: CopySide, target: CopySide): string {
  const lines = [`source ${source.label}`, `target ${target.label}`, ''];
  const header = ['table', 'source rows', 'target rows', 'source sha256', 'target sha256', ''];
  const rows: string[][] = [header];
  for (const t of report.tables) {
    if (!t.copied) rows.push([t.table, '-', '-', '-', '-', `skipped: ${t.skippedBecause}`]);
    else rows.push([t.table, String(t.source.rows), String(t.target.rows), t.source.sha256.slice(0, 16), t.target.sha256.slice(0, 16), t.matches ? 'ok' : 'DIFFERENT']);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const numeric = new Set([1, 2]);
  for (const r of rows) lines.push(r.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  lines.push('');
  for (const t of report.unknownTables) lines.push(`warning: table ${t} of the source is not copied (copy does not know it)`);
  const different = report.tables.filter((t) => t.copied && !t.matches).map((t) => t.table);
  if (different.length === 0) lines.push('Copied and verified: every copied table has the same rows and checksum on both sides.');
  else {
    lines.push(
      `The copy differs from the source in ${different.join(', ')}: was the source written to during or after the copy? ` +
        'Stop the processes writing to it and copy again into an empty database.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runCopy(args: string[], ctx: CopyCommandContext): Promise<number> {
  let parsed: CopyArgs | 'help';
  try {
    parsed = parseCopyArgs(args);
  } catch (err) {
    if (!(err instanceof CopyError)) throw err;
    ctx.stderr.write(`paperboy copy: ${err.message}\n`);
    return 1;
  }
  if (parsed === 'help') {
    ctx.stdout.write(USAGE);
    return 0;
  }
  const sides: CopySide[] = [];
  const progress = progressReporter(ctx);
  try {
    const source = await openCopySide(parsed.from, 'source');
    sides.push(source);
    const target = await openCopySide(parsed.to, 'target');
    sides.push(target);
    ctx.stdout.write(`copying ${source.label} to ${target.label}\n`);
    const report = await copyInstance(source, target, {
      batchSize: parsed.batchSize,
      onStart: ({ resumed, finishedBefore }) => {
        if (finishedBefore) ctx.stdout.write('this target holds a finished copy of this source: comparing them again\n');
        else if (resumed) ctx.stdout.write('resuming the copy this target holds\n');
      },
      onProgress: (p) => progress.update(p),
      onVerify: (t) => progress.verifying(t),
    });
    progress.stop();
    ctx.stdout.write(formatReport(report, source, target));
    return report.verified ? 0 : 2;
  } catch (err) {
    progress.stop();
    if (!(err instanceof CopyError)) throw err;
    ctx.stderr.write(`paperboy copy: ${err.message}\n`);
    return 1;
  } finally {
    for (const side of sides) await side.close();
  }
}
