/**
 * Search: the page (/papers/search, complete without JavaScript), its results
 * as a fragment and title suggestions for search-as-you-type, and the JSON API
 * in Hugging Face's shape (/api/papers/search). Answers are never cached here:
 * every request searches.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { parseDate } from '../../calendar.js';
import type { DailyEntry } from '../../model.js';
import { badRequest, notFound } from '../../errors.js';
import { MAX_QUERY_CHARS } from '../../search/query-parser.js';
import { EMPTY_QUERY_HINT, SearchService } from '../../search/search-service.js';
import type { SearchFilters } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { presentSearchItem } from '../presenters/search-item.js';
import { parsePaperId, parseQuery } from '../query-params.js';
import { html } from '../views/html.js';
import { searchPage, searchResults } from '../views/search-page.js';
import type { SearchForm, SearchView } from '../views/search-page.js';
import { sendHtml, sendJson, sendJsonCompressed } from './utf8-body.js';

export const SEARCH_PAGE_SIZE = 20;
export const API_MAX_QUERY_CHARS = 250;
export const API_MAX_LIMIT = 120;
export const API_DEFAULT_LIMIT = 50;
const SUGGESTIONS = 6;
const MAX_PAGE = 1000;
const MAX_CATEGORIES = 20;
const CATEGORY_RE = /^[a-z]+(-[a-z]+)*(\.[A-Za-z]+(-[a-z]+)*)?$/;

const services = new WeakMap<AppContext, SearchService>();

/** The context's search service, or a keyword-only one over its store. */
export function searchServiceOf(ctx: AppContext): SearchService {
  if (ctx.search) return ctx.search;
  let service = services.get(ctx);
  if (!service) {
    service = new SearchService(ctx.store, { log: ctx.log });
    services.set(ctx, service);
  }
  return service;
}

const wholeNumber = (name: string, min: number, max: number) =>
  z.string().refine((s) => /^\d{1,9}$/.test(s) && Number(s) >= min && Number(s) <= max, { error: `${name} must be a whole number from ${min} to ${max}` }).transform(Number);
const date = (name: string) => z.string().refine((s) => parseDate(s) !== null, { error: `${name} must be a calendar date written YYYY-MM-DD` });
const categories = (name: string) =>
  z
    .array(z.string().regex(CATEGORY_RE, { error: `${name} must list arXiv archives or categories such as cs or cs.CV` }))
    .max(MAX_CATEGORIES, { error: `${name} may name at most ${MAX_CATEGORIES} categories` })
    .default([]);
const common = {
  mode: z.enum(['keyword', 'semantic', 'hybrid'], { error: 'mode must be keyword, semantic or hybrid' }).optional(),
  sort: z.enum(['relevance', 'newest', 'upvotes'], { error: 'sort must be relevance, newest or upvotes' }).default('relevance'),
  from: date('from').optional(),
  to: date('to').optional(),
  category: categories('category'),
  exclude: categories('exclude'),
};

export const searchPageParams = z.object({
  q: z.string().optional(),
  like: z.string().optional(),
  ...common,
  code: z.enum(['1', 'on', 'true'], { error: 'code must be 1 when set' }).optional(),
  p: wholeNumber('p', 1, MAX_PAGE).default(1),
  /** Search-as-you-type: the last word may be unfinished (results fragment only). */
  prefix: z.enum(['1']).optional(),
  /** "Search instead for": the query searched as typed, without spelling correction, when it equals q (or is 1). */
  literal: z.string().optional(),
});

export const searchApiParams = z.object({
  q: z.string(),
  limit: wholeNumber('limit', 1, API_MAX_LIMIT).default(API_DEFAULT_LIMIT),
  p: wholeNumber('p', 0, MAX_PAGE).default(0),
  ...common,
  hasCode: z.enum(['true', 'false', '1', '0'], { error: 'hasCode must be true or false' }).optional(),
  literal: z.enum(['true', 'false', '1', '0'], { error: 'literal must be true or false' }).optional(),
});

const formFilters = (q: { from?: string; to?: string; category: string[]; exclude: string[] }, hasCode: boolean): SearchFilters => ({
  publishedFrom: q.from,
  publishedTo: q.to,
  categories: q.category.length ? q.category : undefined,
  excludeCategories: q.exclude.length ? q.exclude : undefined,
  hasCode: hasCode || undefined,
});

/** Control characters cannot be shown in a form field; the query parser drops them too. */
const printable = (q: string) => q.slice(0, MAX_QUERY_CHARS).replace(/\p{Cc}/gu, ' ');

/**
 * Whether the page searches the words as typed: `literal` names the query it
 * applies to (the form keeps it in a hidden field, so changing a filter keeps
 * it, and typing another query is corrected again), or is 1.
 */
const isLiteral = (literal: string | undefined, q: string) => literal !== undefined && q.trim() !== '' && (literal === '1' || printable(literal).trim() === printable(q).trim());

/** A header value carries Latin-1 only: the query percent-encoded as UTF-8. */
export const CORRECTED_QUERY_HEADER = 'X-Search-Corrected-Query';
/** Sorted lists of a description: "4/6", the papers hold at least 4 of its 6 content words. */
export const WORDS_HELD_HEADER = 'X-Search-Words-Held';

export function searchRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  const service = () => searchServiceOf(ctx);

  const pageView = async (c: Context): Promise<SearchView> => {
    const params = parseQuery(searchPageParams, c.req.url);
    const q = params.q ?? '';
    const like = params.like !== undefined && q.trim() === '' ? parsePaperId(params.like) : null;
    const form: SearchForm = {
      q: printable(q),
      mode: params.mode ?? null,
      sort: params.sort,
      from: params.from ?? '',
      to: params.to ?? '',
      categories: params.category,
      exclude: params.exclude,
      code: params.code !== undefined,
      like,
      literal: isLiteral(params.literal, q),
    };
    const filters = formFilters(params, form.code);
    const page = { limit: SEARCH_PAGE_SIZE, offset: (params.p - 1) * SEARCH_PAGE_SIZE, sort: params.sort };
    const view = { form, likePaper: null, result: null, notes: [], page: params.p, pageSize: SEARCH_PAGE_SIZE };
    if (like !== null) {
      const [result, [likePaper]] = await Promise.all([service().moreLikeThis({ paperId: like, filters, ...page }), ctx.store.getPapers([like])]);
      if (result === null || !likePaper) throw notFound(`No paper with id ${like}`, 'paper_not_found');
      return { ...view, likePaper, result };
    }
    const result = await service().search({ q, mode: params.mode, filters, prefix: params.prefix === '1', literal: form.literal, ...page });
    // A blank search is no search: the form and a hint, not "0 results"; no hint before anything was typed.
    if (result.warnings.includes(EMPTY_QUERY_HINT)) return { ...view, notes: q.trim() === '' ? [] : result.warnings };
    return { ...view, result };
  };

  app.get('/papers/search', async (c) => {
    const page = searchPage(await pageView(c));
    c.header('Cache-Control', 'no-store');
    return sendHtml(c, page);
  });

  app.get('/papers/search/results', async (c) => {
    const fragment = searchResults(await pageView(c));
    c.header('Cache-Control', 'no-store');
    return sendHtml(c, html`${fragment}`.value);
  });

  app.get('/papers/search/suggest', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, API_MAX_QUERY_CHARS);
    const result = await service().search({ q, mode: 'keyword', prefix: true, limit: SUGGESTIONS });
    c.header('Cache-Control', 'no-store');
    return sendJson(c, result.hits.map((h) => ({ id: h.paper.id, title: h.paper.title.replace(/\s+/g, ' ').trim(), url: `/papers/${h.paper.id}` })));
  });

  app.get('/api/papers/search', async (c) => {
    const raw = new URL(c.req.url).searchParams.get('q');
    if (raw === null || raw.trim() === '') throw badRequest('q is required: the words to search for');
    if ([...raw].length > API_MAX_QUERY_CHARS) throw badRequest(`q must be at most ${API_MAX_QUERY_CHARS} characters`);
    const params = parseQuery(searchApiParams, c.req.url);
    const hasCode = params.hasCode === 'true' || params.hasCode === '1';
    const literal = params.literal === 'true' || params.literal === '1';
    const filters = formFilters(params, hasCode);
    const result = await service().search({ q: params.q, mode: params.mode, sort: params.sort, filters, limit: params.limit, offset: params.p * params.limit, literal });
    // Each item carries its paper's first daily-list entry (submitter, list date).
    const firstEntries = new Map<string, DailyEntry>();
    for (const e of await ctx.store.getDailyEntries(result.hits.map((h) => h.paper.id))) if (!firstEntries.has(e.paperId)) firstEntries.set(e.paperId, e);
    c.header('X-Total-Count', String(result.total));
    c.header('X-Search-Mode', result.mode);
    // The answer is for the corrected query; literal=true searches the words as typed.
    if (result.correction) c.header(CORRECTED_QUERY_HEADER, encodeURIComponent(result.correction.query));
    if (result.wordsHeld) c.header(WORDS_HELD_HEADER, `${result.wordsHeld.least}/${result.wordsHeld.of}`);
    c.header('Cache-Control', 'public, max-age=60');
    return sendJsonCompressed(c, result.hits.map((h) => presentSearchItem(h.paper, firstEntries.get(h.paper.id) ?? null)));
  });

  return app;
}
