/**
 * Calendar arithmetic for daily, weekly (ISO 8601) and monthly list views.
 * All dates are UTC calendar days written YYYY-MM-DD.
 */
const DAY_MS = 86_400_000;

export interface DateRange {
  from: string;
  to: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds of a valid YYYY-MM-DD at 00:00 UTC, or null. */
export function parseDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return formatDate(ms) === s ? ms : null;
}

export function isDate(s: string): boolean {
  return parseDate(s) !== null;
}

export function addDays(date: string, days: number): string {
  const ms = parseDate(date);
  if (ms === null) throw new RangeError(`not a date: ${date}`);
  return formatDate(ms + days * DAY_MS);
}

/** ISO week ("2024-W22") containing a date. */
export function isoWeekOf(date: string): string {
  const ms = parseDate(date);
  if (ms === null) throw new RangeError(`not a date: ${date}`);
  const d = new Date(ms);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday..Sunday of an ISO week, or null when the week does not exist. */
export function weekRange(week: string): DateRange | null {
  const m = WEEK_RE.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  const jan4 = Date.UTC(year, 0, 4);
  const mondayWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const from = formatDate(mondayWeek1 + (n - 1) * 7 * DAY_MS);
  if (n < 1 || isoWeekOf(from) !== week) return null;
  return { from, to: addDays(from, 6) };
}

export function monthRange(month: string): DateRange | null {
  const m = MONTH_RE.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const mon = Number(m[2]);
  if (mon < 1 || mon > 12) return null;
  return { from: formatDate(Date.UTC(year, mon - 1, 1)), to: formatDate(Date.UTC(year, mon, 0)) };
}

export function addWeeks(week: string, n: number): string {
  const r = weekRange(week);
  if (!r) throw new RangeError(`not a week: ${week}`);
  return isoWeekOf(addDays(r.from, 7 * n));
}

export function addMonths(month: string, n: number): string {
  const r = monthRange(month);
  if (!r) throw new RangeError(`not a month: ${month}`);
  const d = new Date(parseDate(r.from) as number);
  return formatDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).slice(0, 7);
}
