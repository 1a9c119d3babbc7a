/**
 * Which format is this file? Decided from the first line (after gunzip) and,
 * only when the content leaves it open, from the file name.
 */
import { basename } from 'node:path';
import { FORMAT_NAMES } from './formats/index.js';
import type { FormatName } from './formats/index.js';

export class UnknownFormatError extends Error {}

function firstLine(head: string): string {
  const line = head.split('\n').find((l) => l.trim() !== '');
  return (line ?? '').trim();
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSONL line's keys tell its schema. */
function fromRecordKeys(o: Record<string, unknown>): FormatName | null {
  if ('archiveDate' in o || 'submittedOnDailyAt' in o || 'upvotes' in o || 'ai_summary' in o) return 'hf-daily-jsonl';
  if ('versions' in o || 'authors_parsed' in o || 'journal-ref' in o || typeof o.categories === 'string') return 'kaggle-jsonl';
  if ('_listingDate' in o || (Array.isArray(o.categories) && 'summary' in o)) return 'arxiv-listing-jsonl';
  return null;
}

function fromName(name: string): FormatName | null {
  if (/daily[_-]?papers/i.test(name) && /\.json(\.gz)?$/i.test(name)) return 'hf-daily-json';
  if (/kaggle|arxiv-metadata/i.test(name)) return 'kaggle-jsonl';
  if (/listing/i.test(name)) return 'arxiv-listing-jsonl';
  if (/oai/i.test(name) && /\.xml(\.gz)?$/i.test(name)) return 'oai-pmh';
  if (/\.atom(\.xml)?(\.gz)?$/i.test(name)) return 'arxiv-atom';
  return null;
}

/** The format of a file from the start of its text and its name, or null. */
export function detectFormat(head: string, fileName: string): FormatName | null {
  const name = basename(fileName);
  const text = head.trimStart();
  if (text.startsWith('<')) {
    if (/<OAI-PMH[\s>]/.test(text)) return 'oai-pmh';
    if (/<feed[\s>]/.test(text)) return 'arxiv-atom';
    return null;
  }
  const line = firstLine(text);
  const value = tryJson(line);
  if (isRecord(value)) {
    if (Array.isArray(value.data)) return 'hf-daily-json';
    // One API item per line (a JSONL export of the API) reads like the archive.
    if ('paper' in value) return 'hf-daily-jsonl';
    return fromRecordKeys(value) ?? fromName(name);
  }
  if (Array.isArray(value)) return 'hf-daily-json';
  // A pretty-printed JSON document: the first line is only "[" or "{".
  if (/^[[{]/.test(line) && /["']paper["']\s*:/.test(text)) return 'hf-daily-json';
  if (/^[[{]/.test(line)) return fromName(name);
  return null;
}

export function unknownFormatMessage(file: string): string {
  return `${file}: cannot tell the format; pass --format with one of ${FORMAT_NAMES.join(', ')}`;
}
