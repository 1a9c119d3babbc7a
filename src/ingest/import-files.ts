/**
 * Import files of any known format into the store, in batches. A bad record
 * is reported (file + line or record) and skipped; a bad file does not stop
 * the others. Re-importing is safe: the store merges, so nothing duplicates.
 */
import type { ImportItem } from '../model.js';
import type { Store } from '../store/store.js';
import { detectFormat, unknownFormatMessage } from './detect-format.js';
import { FORMATS } from './formats/index.js';
import type { DocumentFormat, FormatName, LineFormat } from './formats/index.js';
import { formatBytes } from './byte-size.js';
import { DEFAULT_MAX_LINE_BYTES, MAX_DOCUMENT_BYTES, openSource, SourceError } from './read-source.js';
import type { Source } from './read-source.js';

export interface ImportCounts {
  new: number;
  updated: number;
  unchanged: number;
  /** Records that could not be imported. */
  skipped: number;
}

export interface ImportProblem {
  file: string;
  /** "line 12", "record 3", "entry 2", "document", or "file" when the file could not be read. */
  where: string;
  message: string;
}

export interface FileReport extends ImportCounts {
  file: string;
  format: FormatName | null;
  /** Why the file could not be imported at all (unreadable, unknown format, too large), else null. */
  error: string | null;
  /**
   * Reading stopped part-way (a damaged gzip stream): where ("line 5230") and why. The records
   * before it were imported (they are in the counts); the rest of the file was lost. Else null.
   */
  stopped: { where: string; reason: string } | null;
}

export interface ImportReport {
  files: FileReport[];
  total: ImportCounts;
  problems: ImportProblem[];
}

export interface ImportProgress {
  file: string;
  /** Records read so far in this file. */
  done: number;
  /** Records in the file, when known without reading it twice. */
  total: number | null;
}

export interface ImportOptions {
  format?: FormatName;
  onProgress?: (p: ImportProgress) => void;
  batchSize?: number;
  /** A longer line is reported and skipped. Default 64 MiB. */
  maxLineBytes?: number;
  /** A larger XML or JSON document is not imported. Default MAX_DOCUMENT_BYTES (256 MiB). */
  maxDocumentBytes?: number;
}

const DEFAULT_BATCH = 500;
/** Line files up to this size on disk are counted first so progress has a total. */
const COUNT_LINES_UP_TO = 64 * 1024 * 1024;

class FileImport {
  readonly report: FileReport;
  private batch: ImportItem[] = [];
  done = 0;
  total: number | null = null;

  constructor(
    private readonly store: Store,
    file: string,
    private readonly problems: ImportProblem[],
    private readonly opts: ImportOptions,
  ) {
    this.report = { file, format: null, error: null, stopped: null, new: 0, updated: 0, unchanged: 0, skipped: 0 };
  }

  /** A record that is skipped counts in `skipped`; a file-wide problem does not. */
  problem(where: string, message: string, skipsRecord = where !== 'file' && where !== 'document'): void {
    this.problems.push({ file: this.report.file, where, message });
    if (skipsRecord) this.report.skipped++;
  }

  async add(item: ImportItem): Promise<void> {
    this.batch.push(item);
    if (this.batch.length >= (this.opts.batchSize ?? DEFAULT_BATCH)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length > 0) {
      const summary = await this.store.upsertItems(this.batch);
      this.report.new += summary.new;
      this.report.updated += summary.updated;
      this.report.unchanged += summary.unchanged;
      this.batch = [];
    }
    this.opts.onProgress?.({ file: this.report.file, done: this.done, total: this.total });
  }
}

async function countLines(source: Source, maxLineBytes: number): Promise<number | null> {
  if (source.size > COUNT_LINES_UP_TO) return null;
  let n = 0;
  try {
    for await (const line of source.lines(maxLineBytes)) if (line.text === null || line.text.trim() !== '') n++;
  } catch (err) {
    // The import pass meets the same error after importing what comes before it.
    if (err instanceof SourceError) return null;
    throw err;
  }
  return n;
}

async function importLines(job: FileImport, source: Source, record: LineFormat['record'], maxLineBytes: number): Promise<void> {
  job.total = await countLines(source, maxLineBytes);
  for await (const { n, text } of source.lines(maxLineBytes)) {
    if (text === null) {
      job.done++;
      job.problem(`line ${n}`, `line is longer than ${formatBytes(maxLineBytes)}; skipped`);
      continue;
    }
    if (text.trim() === '') continue;
    job.done++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      job.problem(`line ${n}`, `invalid JSON: ${(err as Error).message}`);
      continue;
    }
    const r = record(value);
    if (r.ok) await job.add(r.value);
    else job.problem(`line ${n}`, r.message);
  }
}

async function importDocument(job: FileImport, source: Source, parse: DocumentFormat['parse'], maxBytes: number): Promise<void> {
  const parsed = parse(await source.text(maxBytes), source.path);
  for (const e of parsed.errors) job.problem(e.where, e.message);
  const fatal = parsed.errors.find((e) => e.where === 'document');
  if (fatal && parsed.items.length === 0) job.report.error = `${job.report.file}: ${fatal.message}`;
  const badRecords = parsed.errors.filter((e) => e.where !== 'document').length;
  job.total = parsed.items.length + badRecords;
  job.done = badRecords;
  for (const item of parsed.items) {
    job.done++;
    await job.add(item);
  }
}

async function importOne(store: Store, file: string, problems: ImportProblem[], opts: ImportOptions): Promise<FileReport> {
  const job = new FileImport(store, file, problems, opts);
  try {
    const source = await openSource(file);
    const format = opts.format ?? detectFormat(await source.head(256 * 1024), file);
    if (!format) throw new SourceError(unknownFormatMessage(file));
    job.report.format = format;
    const f = FORMATS[format];
    if (f.kind === 'lines') await importLines(job, source, f.record, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    else await importDocument(job, source, f.parse, opts.maxDocumentBytes ?? MAX_DOCUMENT_BYTES);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    if (err.line !== null && err.line > 1) {
      // Whatever was read before the failure stays imported; the report says where the rest was lost.
      job.report.stopped = { where: `line ${err.line}`, reason: err.reason };
      job.problem(`line ${err.line}`, err.reason, false);
    } else {
      job.report.error = err.message;
      job.problem('file', err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message);
    }
  }
  await job.flush();
  return job.report;
}

export async function importFiles(store: Store, paths: string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const problems: ImportProblem[] = [];
  const files: FileReport[] = [];
  for (const path of paths) files.push(await importOne(store, path, problems, opts));
  const total: ImportCounts = { new: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const f of files) {
    total.new += f.new;
    total.updated += f.updated;
    total.unchanged += f.unchanged;
    total.skipped += f.skipped;
  }
  return { files, total, problems };
}
