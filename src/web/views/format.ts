/** Small, allocation-light formatting helpers for pages (dates in UTC, counts, URLs). */
import { parseDate, weekRange } from '../../calendar.js';
import { squashWhitespace } from '../../search/text-match.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const monthName = (d: Date) => MONTHS[d.getUTCMonth()] as string;
const shortMonth = (d: Date) => monthName(d).slice(0, 3);

/** A Date for a YYYY-MM-DD or an ISO time, or null when unparseable. */
function toDate(value: string): Date | null {
  const ms = parseDate(value) ?? Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** "May 24, 2024"; the input unchanged when it is not a date. */
export function formatShortDate(value: string): string {
  const d = toDate(value);
  return d ? `${shortMonth(d)} ${d.getUTCDate()}, ${d.getUTCFullYear()}` : value;
}

/** "Friday, May 24, 2024". */
export function formatLongDate(value: string): string {
  const d = toDate(value);
  return d ? `${WEEKDAYS[d.getUTCDay()]}, ${monthName(d)} ${d.getUTCDate()}, ${d.getUTCFullYear()}` : value;
}

/** The YYYY-MM-DD part of an ISO time, for <time datetime>. */
export function isoDay(value: string): string {
  const d = toDate(value);
  return d ? d.toISOString().slice(0, 10) : value;
}

/** "May 2024" for "2024-05". */
export function formatMonth(month: string): string {
  const d = toDate(`${month}-01`);
  return d ? `${monthName(d)} ${d.getUTCFullYear()}` : month;
}

/** "Week 22, 2024 (May 27 – Jun 2)" for "2024-W22". */
export function formatWeek(week: string): string {
  const r = weekRange(week);
  const [year, n] = week.split('-W');
  if (!r) return week;
  const from = toDate(r.from) as Date;
  const to = toDate(r.to) as Date;
  return `Week ${Number(n)}, ${year} (${shortMonth(from)} ${from.getUTCDate()} – ${shortMonth(to)} ${to.getUTCDate()})`;
}

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 author", "12 authors". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The URL when it is an absolute http(s) address, else null (never a javascript: link from data). */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  const url = value.trim();
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : null;
}

/** "owner/repo" for a GitHub URL, else the host and path. */
export function repoLabel(url: string): string {
  const m = /^https?:\/\/(?:www\.)?github\.com\/([^/?#]+\/[^/?#]+)/i.exec(url);
  return m ? (m[1] as string).replace(/\.git$/, '') : url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

/** Runs of whitespace (arXiv titles carry hard line breaks) become one space. */
export const squash = squashWhitespace;
