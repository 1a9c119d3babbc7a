/**
 * Small pure helpers shared by the format parsers: arXiv ids, text clean-up,
 * dates and safe access to untyped JSON values.
 */

/** A record that could not be imported, and where it was. */
export interface RecordError {
  /** "line 12", "record 3", "entry 4", "document". */
  where: string;
  message: string;
}

/** What a parser makes of one record: an item, or why not. */
export type RecordResult<T> = { ok: true; value: T } | { ok: false; message: string };

export const ok = <T>(value: T): RecordResult<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): RecordResult<T> => ({ ok: false, message });

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/**
 * Split an arXiv identifier into the bare id and its version. Accepts an
 * optional "arXiv:" prefix; returns null when the id is not a valid arXiv id.
 */
export function parseArxivId(raw: string): { id: string; version: number | null } | null {
  const s = raw.trim().replace(/^arxiv:/i, '');
  const m = NEW_STYLE.exec(s) ?? OLD_STYLE.exec(s);
  if (!m || !m[1]) return null;
  const version = m[2] === undefined ? null : Number(m[2]);
  if (version === 0) return null;
  return { id: m[1], version };
}

/** Titles: every run of white space (hard wraps included) becomes one space. */
export function cleanTitle(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Author display names: white space collapsed; entries without a letter
 * (separators such as ":" that some sources list as authors) dropped.
 */
export function cleanAuthors(names: readonly (string | null | undefined)[]): string[] {
  return names.map((n) => (n ? cleanTitle(n) : '')).filter((n) => /\p{L}/u.test(n));
}

/**
 * Abstracts: hard line wraps become spaces. Blank lines, and (arXiv's own
 * convention) an indented line after a sentence end, start a new paragraph,
 * kept as "\n\n".
 */
export function cleanAbstract(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n\s*|(?<=[.!?:])[ \t]*\n[ \t]{2,}/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join('\n\n');
}

/** Any date the sources use ("2024-05-24T17:34:15.000Z", "2014-01-09", "Tue, 1 Nov 1994 18:57:48 GMT") as ISO 8601 UTC. */
export function toIso(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const s = value.trim();
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The YYYY-MM-DD (UTC) of a date string, or null. */
export function toDay(value: unknown): string | null {
  const iso = toIso(value);
  return iso ? iso.slice(0, 10) : null;
}

/** A YYYY-MM-DD found in a file name, e.g. "daily_papers-2024-05-27.json". */
export function dayFromFileName(name: string | undefined): string | null {
  const m = name ? /(\d{4}-\d{2}-\d{2})/.exec(name.split(/[\\/]/).pop() ?? '') : null;
  return m && m[1] ? toDay(m[1]) : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A trimmed non-empty string, else null. */
export function str(v: unknown): string | null {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
}

/** A finite number, else null. */
export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** An array of non-empty strings, else null. */
export function strList(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  const out = v.map(str).filter((s): s is string => s !== null);
  return out.length > 0 ? out : null;
}

/** Unique values, first occurrence first. */
export function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The id (validated, version split off) and title every record needs, or why the record has none. */
export function idAndTitle(rawId: unknown, rawTitle: unknown): RecordResult<{ id: string; version: number | null; title: string }> {
  const idText = str(rawId);
  if (!idText) return fail('missing id');
  const parsed = parseArxivId(idText);
  if (!parsed) return fail(`invalid arXiv id "${idText}"`);
  const title = str(rawTitle);
  if (!title) return fail(`missing title for ${parsed.id}`);
  return ok({ ...parsed, title: cleanTitle(title) });
}
