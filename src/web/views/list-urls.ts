/** Addresses of the list pages, so every link to a day, week or month is written one way. */

export type ListKind = 'day' | 'week' | 'month';
export type PageSort = 'upvotes' | 'newest';
export const DEFAULT_SORT: PageSort = 'upvotes';

export interface ListParams {
  sort?: PageSort;
  category?: string | null;
  /** 1-based page number. */
  page?: number;
}

const SEGMENT: Record<ListKind, string> = { day: 'date', week: 'week', month: 'month' };

export const periodPath = (kind: ListKind, period: string): string => `/papers/${SEGMENT[kind]}/${period}`;

/** The query string for non-default parameters ("" when all are defaults). */
export function listQuery(p: ListParams): string {
  const parts: string[] = [];
  if (p.sort && p.sort !== DEFAULT_SORT) parts.push(`sort=${p.sort}`);
  if (p.category) parts.push(`category=${encodeURIComponent(p.category)}`);
  if (p.page && p.page > 1) parts.push(`p=${p.page}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export const listUrl = (kind: ListKind, period: string, p: ListParams = {}): string => periodPath(kind, period) + listQuery(p);
