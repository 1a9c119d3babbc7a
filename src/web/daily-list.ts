/**
 * Which daily-list entries a request means. The JSON API and the feeds (and
 * any page that wants the same list) ask here, so a list is selected in one
 * place and only rendered differently.
 */
import { monthRange, weekRange } from '../calendar.js';
import type { DateRange } from '../calendar.js';
import type { DailyListItem } from '../model.js';
import type { DailySort, Store } from '../store/store.js';

const ALL_DATES: DateRange = { from: '0001-01-01', to: '9999-12-31' };

export interface CategoryFilter {
  /** Keep papers with at least one of these (archive prefixes match, "cs" matches "cs.CV"). */
  categories: string[];
  /** Drop papers with any of these. */
  exclude: string[];
}

/** A page of one date, ISO week or month (or of every list date when none is given). */
export interface RangeSelection extends CategoryFilter {
  kind: 'range';
  date?: string;
  week?: string;
  month?: string;
  sort: DailySort;
  limit: number;
  offset: number;
  submitter?: string;
}

/** The newest `days` list dates, newest date first and most upvoted first within a date. */
export interface RecentSelection extends CategoryFilter {
  kind: 'recent';
  days: number;
  limit: number;
}

export type DailySelection = RangeSelection | RecentSelection;

export interface DailyResult {
  items: DailyListItem[];
  /** Distinct papers the selection matches before limit/offset. */
  total: number;
}

/** The list-date range of a validated date / week / month choice. */
export function rangeOf(sel: Pick<RangeSelection, 'date' | 'week' | 'month'>): DateRange {
  if (sel.date) return { from: sel.date, to: sel.date };
  if (sel.week) return weekRange(sel.week) ?? ALL_DATES;
  if (sel.month) return monthRange(sel.month) ?? ALL_DATES;
  return ALL_DATES;
}

export async function selectDaily(store: Store, sel: DailySelection): Promise<DailyResult> {
  if (sel.kind === 'recent') return selectRecent(store, sel);
  const page = await store.listDaily({
    ...rangeOf(sel),
    sort: sel.sort,
    limit: sel.limit,
    offset: sel.offset,
    submitter: sel.submitter,
    categories: sel.categories,
    excludeCategories: sel.exclude,
  });
  return { items: page.items, total: page.total };
}

/**
 * One store query per list date, walking back from the newest, so the cut at
 * `limit` drops the least upvoted papers of the oldest date. A paper listed on
 * two of these dates appears once, at its newest date.
 */
async function selectRecent(store: Store, sel: RecentSelection): Promise<DailyResult> {
  const items: DailyListItem[] = [];
  const seen = new Set<string>();
  let date = await store.latestDailyDate();
  for (let n = 0; date && n < sel.days && items.length < sel.limit; n++) {
    const page = await store.listDaily({
      from: date,
      to: date,
      sort: 'upvotes',
      limit: sel.limit,
      categories: sel.categories,
      excludeCategories: sel.exclude,
    });
    for (const item of page.items) {
      if (items.length >= sel.limit || seen.has(item.paper.id)) continue;
      seen.add(item.paper.id);
      items.push(item);
    }
    date = (await store.adjacentDailyDates(date)).previous;
  }
  return { items, total: items.length };
}
