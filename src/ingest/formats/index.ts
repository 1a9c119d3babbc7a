/** Every input format the importer knows, by the name `--format` takes. */
import type { ImportItem } from '../../model.js';
import { parseArxivAtom } from './arxiv-atom.js';
import { arxivListingRecord } from './arxiv-listing.js';
import type { RecordError, RecordResult } from './common.js';
import { hfDailyJsonlRecord, parseHfDailyJson } from './hf-daily.js';
import { kaggleRecord } from './kaggle.js';
import { parseOaiPmh } from './oai-pmh.js';

export const FORMAT_NAMES = ['hf-daily-json', 'hf-daily-jsonl', 'kaggle-jsonl', 'arxiv-listing-jsonl', 'arxiv-atom', 'oai-pmh'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function isFormatName(s: string): s is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(s);
}

export interface DocumentParse {
  items: ImportItem[];
  errors: RecordError[];
}

/** One JSON value per line, parsed record by record while streaming. */
export interface LineFormat {
  kind: 'lines';
  record(value: unknown): RecordResult<ImportItem>;
}

/** A whole document (JSON or XML) parsed at once. */
export interface DocumentFormat {
  kind: 'document';
  parse(text: string, fileName: string): DocumentParse;
}

export type Format = LineFormat | DocumentFormat;

function atomDocument(xml: string): DocumentParse {
  const r = parseArxivAtom(xml);
  const errors = r.feedError ? [...r.errors, { where: 'document', message: `arXiv API error: ${r.feedError}` }] : r.errors;
  return { items: r.items, errors };
}

function oaiDocument(xml: string): DocumentParse {
  const r = parseOaiPmh(xml);
  // noRecordsMatch is OAI-PMH's way of saying "empty", not a failure.
  const failed = r.oaiError && r.oaiError.code !== 'noRecordsMatch';
  const errors = failed ? [...r.errors, { where: 'document', message: `OAI-PMH error ${r.oaiError!.code}: ${r.oaiError!.message}` }] : r.errors;
  return { items: r.items, errors };
}

export const FORMATS: Record<FormatName, Format> = {
  'hf-daily-json': { kind: 'document', parse: parseHfDailyJson },
  'hf-daily-jsonl': { kind: 'lines', record: hfDailyJsonlRecord },
  'kaggle-jsonl': { kind: 'lines', record: kaggleRecord },
  'arxiv-listing-jsonl': { kind: 'lines', record: arxivListingRecord },
  'arxiv-atom': { kind: 'document', parse: atomDocument },
  'oai-pmh': { kind: 'document', parse: oaiDocument },
};
