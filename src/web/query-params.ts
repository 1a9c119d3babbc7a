/**
 * Query-string schemas for the JSON API and the feeds. Every bad value becomes
 * a 400 whose message names the parameter and repeats what was sent.
 */
import { z } from 'zod';
import { monthRange, parseDate, weekRange } from '../calendar.js';
import { badRequest } from '../errors.js';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 50;
const MAX_PAGE = 10_000;
const MAX_CATEGORIES = 20;

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .refine((s) => /^\d{1,9}$/.test(s) && Number(s) >= min && Number(s) <= max, {
      error: `${name} must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const limit = wholeNumber('limit', 1, MAX_LIMIT).default(DEFAULT_LIMIT);

const date = z.string().refine((s) => parseDate(s) !== null, { error: 'date must be a calendar date written YYYY-MM-DD' });
const week = z.string().refine((s) => weekRange(s) !== null, { error: 'week must be an ISO week written YYYY-Www, e.g. 2024-W22' });
const month = z.string().refine((s) => monthRange(s) !== null, { error: 'month must be written YYYY-MM, e.g. 2024-05' });

/** An arXiv archive ("cs", "hep-th") or category ("cs.CV", "cond-mat.mes-hall"). */
const CATEGORY_RE = /^[a-z]+(-[a-z]+)*(\.[A-Za-z]+(-[a-z]+)*)?$/;
const categoryList = (name: string) =>
  z
    .array(z.string().regex(CATEGORY_RE, { error: `${name} must list arXiv archives or categories such as cs or cs.CV` }))
    .max(MAX_CATEGORIES, { error: `${name} may name at most ${MAX_CATEGORIES} categories` })
    .default([]);

/** `category` / `exclude` shared by the daily API and the feeds. */
const categoryFilter = { category: categoryList('category'), exclude: categoryList('exclude') };

export const dailyPapersParams = z
  .object({
    p: wholeNumber('p', 0, MAX_PAGE).default(0),
    limit,
    date: date.optional(),
    week: week.optional(),
    month: month.optional(),
    submitter: z.string().max(100, { error: 'submitter must be at most 100 characters' }).optional(),
    sort: z.enum(['publishedAt', 'trending'], { error: 'sort must be publishedAt or trending' }).default('publishedAt'),
    ...categoryFilter,
  })
  .refine((q) => [q.date, q.week, q.month].filter((v) => v !== undefined).length <= 1, {
    error: 'give at most one of date, week and month',
  });
export type DailyPapersParams = z.infer<typeof dailyPapersParams>;

export const paperListParams = z.object({
  cursor: z.string().max(200, { error: 'cursor must be at most 200 characters' }).optional(),
  limit,
});
export type PaperListParams = z.infer<typeof paperListParams>;

export const feedParams = z.object(categoryFilter);
export type FeedParams = z.infer<typeof feedParams>;

/** Parameters that may be repeated or comma-separated; every other one takes its first value. */
const LIST_PARAMS = new Set(['category', 'exclude']);

/** The query string as a plain object: empty values dropped, list parameters split on commas. */
export function queryInput(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    if (LIST_PARAMS.has(key)) {
      const items = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
      if (items.length > 0) out[key] = items;
    } else {
      const first = values[0];
      if (first !== undefined && first !== '') out[key] = first;
    }
  }
  return out;
}

/** Validate a request's query string against `schema`; throw a 400 naming the first bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, requestUrl: string): z.output<S> {
  const input = queryInput(new URL(requestUrl));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw badRequest('invalid query string');
  const name = issue.path[0];
  const got = typeof name === 'string' ? input[name] : undefined;
  const value = Array.isArray(got) && typeof issue.path[1] === 'number' ? got[issue.path[1]] : got;
  throw badRequest(value === undefined ? issue.message : `${issue.message} (got ${JSON.stringify(value)})`);
}

const NEW_ID_RE = /^\d{4}\.\d{4,5}$/;
const OLD_ID_RE = /^[a-z]+(-[a-z]+)*(\.[A-Z]{2})?\/\d{7}$/;

/** A bare arXiv id from a path segment, with any version suffix ("v2") dropped; 400 when malformed. */
export function parsePaperId(raw: string): string {
  const bare = raw.replace(/v\d+$/, '');
  if (raw.length <= 64 && (NEW_ID_RE.test(bare) || OLD_ID_RE.test(bare))) return bare;
  throw badRequest(`id must be an arXiv id such as 2405.15738 or hep-th/9901001 (got ${JSON.stringify(raw.slice(0, 64))})`);
}
