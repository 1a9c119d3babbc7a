/**
 * The OpenAPI 3.1 description of the JSON API and the feeds, served at
 * /openapi.json. Kept by hand beside the routes; openapi.test.ts checks that
 * every route is documented and every documented path answers.
 */
import { DEFAULT_LIMIT, MAX_LIMIT } from './query-params.js';
import { API_DEFAULT_LIMIT, API_MAX_LIMIT, API_MAX_QUERY_CHARS } from './routes/search.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string) => ({ type: [type, 'null'] });
const str = { type: 'string' };
const int = { type: 'integer' };
const time = { type: 'string', format: 'date-time' };
const json = (schema: object) => ({ 'application/json': { schema } });

const query = (name: string, description: string, schema: object) => ({ name, in: 'query', required: false, description, schema });
const categoryParam = (name: string, what: string) => ({
  ...query(name, `${what} these arXiv categories or archives ("cs" matches every cs.*). Comma-separated or repeated.`, { type: 'array', items: { type: 'string', pattern: '^[a-z]+(-[a-z]+)*(\\.[A-Za-z]+(-[a-z]+)*)?$' }, maxItems: 20 }),
  style: 'form',
  explode: true,
});
const limitParam = query('limit', 'Items per page.', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT });

const badRequest = { description: 'A parameter is invalid; the message names it.', content: json(ref('Error')) };
const cached = { 'Cache-Control': { description: 'public, max-age=60', schema: str } };
const nextLink = { Link: { description: 'The next page as `<url>; rel="next"`, when there is one.', schema: str } };

const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { ...str, description: 'What was wrong, in words.' }, id: { ...str, description: 'Stable machine-readable error id.' } },
  },
  Author: {
    type: 'object',
    required: ['_id', 'name', 'hidden'],
    properties: { _id: { ...str, description: 'Stable synthetic id (paper id + position).' }, name: str, hidden: { type: 'boolean' } },
  },
  User: {
    type: 'object',
    description: "Hugging Face's user object reduced to what Paperboy knows: the submitter's name.",
    required: ['_id', 'fullname', 'name', 'type'],
    properties: { _id: str, fullname: str, user: str, name: str, type: { const: 'user' } },
  },
  Organization: {
    type: 'object',
    required: ['_id', 'name', 'fullname'],
    properties: { _id: str, name: str, fullname: str },
  },
  Paper: {
    type: 'object',
    description: 'A paper as Hugging Face shapes it. Fields without a known value are omitted, as Hugging Face omits them.',
    required: ['id', 'authors', 'title', 'summary', 'upvotes', 'discussionId'],
    properties: {
      id: { ...str, description: 'Bare arXiv id, e.g. 2405.15738 or hep-th/9901001.' },
      authors: { type: 'array', items: ref('Author') },
      publishedAt: { ...time, description: 'arXiv first-version time.' },
      submittedOnDailyAt: { ...time, description: 'When it was put on the daily list (the first time, for a paper outside a list).' },
      title: str,
      submittedOnDailyBy: ref('User'),
      summary: { ...str, description: 'The abstract.' },
      upvotes: int,
      discussionId: { ...str, description: 'Stable synthetic id.' },
      projectPage: { ...str, format: 'uri' },
      githubRepo: { ...str, format: 'uri' },
      ai_summary: str,
      ai_keywords: { type: 'array', items: str },
      githubStars: int,
      organization: ref('Organization'),
    },
  },
  PaperDetail: {
    description: 'The paper object plus Paperboy extensions, which are always present.',
    allOf: [
      ref('Paper'),
      {
        type: 'object',
        required: ['categories', 'comment', 'journalRef', 'doi', 'versions'],
        properties: {
          categories: { type: 'array', items: str, description: 'arXiv categories, primary first.' },
          comment: nullable('string'),
          journalRef: nullable('string'),
          doi: nullable('string'),
          versions: {
            type: 'array',
            items: { type: 'object', required: ['version', 'submittedAt', 'size'], properties: { version: int, submittedAt: { type: ['string', 'null'], format: 'date-time' }, size: nullable('string') } },
          },
        },
      },
    ],
  },
  DailyPaper: {
    type: 'object',
    required: ['paper', 'title', 'summary', 'thumbnail', 'numComments', 'isAuthorParticipating'],
    properties: {
      paper: ref('Paper'),
      publishedAt: time,
      title: str,
      summary: str,
      thumbnail: { type: 'null', description: 'Paperboy renders no social thumbnails: always null.' },
      numComments: int,
      submittedBy: ref('User'),
      organization: ref('Organization'),
      isAuthorParticipating: { type: 'boolean', description: 'Always false: Paperboy does not link users to authors.' },
    },
  },
  PaperPage: {
    type: 'object',
    required: ['papers', 'nextCursor'],
    properties: { papers: { type: 'array', items: ref('PaperDetail') }, nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last.' } },
  },
};

const feedOperation = (summary: string, mediaType: string) => ({
  summary,
  description: 'The papers of the 7 newest list dates (at most 100), newest list date first, then most upvoted.',
  parameters: [categoryParam('category', 'Only papers with any of'), categoryParam('exclude', 'Leave out papers with any of')],
  responses: {
    200: { description: 'The feed.', headers: cached, content: { [mediaType]: { schema: str } } },
    400: { description: 'A parameter is invalid.', content: json(ref('Error')) },
  },
});

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperboy API',
      version: '1.0.0',
      description: "Daily research-paper lists and paper records. Routes, parameters and field names follow Hugging Face's papers API; `category`, `exclude` and the flat paper extras are Paperboy extensions.",
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/api/daily_papers': {
        get: {
          summary: 'Papers put on the daily list',
          description: 'At most one of date, week and month; with none, every list date, most recently listed first.',
          parameters: [
            query('p', 'Page number, from 0.', { type: 'integer', minimum: 0, maximum: 10000, default: 0 }),
            limitParam,
            query('date', 'One list date.', { type: 'string', format: 'date' }),
            query('week', 'An ISO week, e.g. 2024-W22.', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }),
            query('month', 'A month, e.g. 2024-05.', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }),
            query('submitter', 'Only entries put on the list by this user.', { type: 'string', maxLength: 100 }),
            query('sort', 'publishedAt: most recently listed first; trending: by the trending score.', { type: 'string', enum: ['publishedAt', 'trending'], default: 'publishedAt' }),
            categoryParam('category', 'Only papers with any of'),
            categoryParam('exclude', 'Leave out papers with any of'),
          ],
          responses: {
            200: {
              description: 'One page of daily-list items; a paper listed on several dates of the range appears once.',
              headers: { ...cached, ...nextLink, 'X-Total-Count': { description: 'Items over all pages.', schema: int } },
              content: json({ type: 'array', items: ref('DailyPaper') }),
            },
            400: badRequest,
          },
        },
      },
      '/api/papers': {
        get: {
          summary: 'Every paper, in id order',
          parameters: [query('cursor', 'nextCursor of the previous page.', { type: 'string', maxLength: 200 }), limitParam],
          responses: { 200: { description: 'One page of papers.', headers: { ...cached, ...nextLink }, content: json(ref('PaperPage')) }, 400: badRequest },
        },
      },
      '/api/papers/{id}': {
        get: {
          summary: 'One paper',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              description: 'arXiv id; a version suffix is ignored. Old-style ids keep their slash: /api/papers/hep-th/9901001.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: { description: 'The paper.', content: json(ref('PaperDetail')) },
            400: badRequest,
            404: { description: 'No paper with this id.', content: json(ref('Error')) },
          },
        },
      },
      '/api/papers/search': {
        get: {
          summary: 'Search papers',
          description:
            'Keyword (BM25), semantic (embedding) or hybrid (reciprocal rank fusion) search; items in the daily-list shape, as Hugging Face answers. ' +
            'q takes the search-box grammar: "phrase", -exclude, author:Name, cat:cs.CV, year:2020..2024, prefix*. Without a vector index every mode answers with keyword results (X-Search-Mode says which ran). ' +
            'The results are the keyword matches and, in hybrid and semantic mode, the papers close enough in meaning (at or above a similarity threshold); sorting by newest or upvotes orders all of them. ' +
            'Words the index does not hold are corrected to close ones it does (X-Search-Corrected-Query says to what); literal=true searches the words as typed.',
          parameters: [
            { ...query('q', 'The words to search for.', { type: 'string', minLength: 1, maxLength: API_MAX_QUERY_CHARS }), required: true, example: 'gaussian splatting' },
            query('limit', 'Items per page.', { type: 'integer', minimum: 1, maximum: API_MAX_LIMIT, default: API_DEFAULT_LIMIT }),
            query('p', 'Page number, from 0.', { type: 'integer', minimum: 0, maximum: 1000, default: 0 }),
            query('mode', 'How to match.', { type: 'string', enum: ['hybrid', 'keyword', 'semantic'], default: 'hybrid' }),
            query('sort', 'Order of the results.', { type: 'string', enum: ['relevance', 'newest', 'upvotes'], default: 'relevance' }),
            categoryParam('category', 'Only papers with any of'),
            categoryParam('exclude', 'Leave out papers with any of'),
            query('from', 'Published on or after this date.', { type: 'string', format: 'date' }),
            query('to', 'Published on or before this date.', { type: 'string', format: 'date' }),
            query('hasCode', 'Only papers with a code repository.', { type: 'boolean' }),
            query('literal', 'Search the words as typed, without spelling correction.', { type: 'boolean', default: false }),
          ],
          responses: {
            200: {
              description: 'One page of results, best first.',
              headers: {
                'Cache-Control': cached['Cache-Control'],
                'X-Total-Count': { description: 'Results over all pages: every keyword match, plus the papers found by meaning alone.', schema: int },
                'X-Search-Corrected-Query': { description: 'When misspelled words were corrected: the query searched, percent-encoded UTF-8.', schema: { type: 'string' } },
                'X-Search-Mode': { description: 'The mode that ran: keyword when no vector index is available.', schema: { type: 'string', enum: ['hybrid', 'keyword', 'semantic'] } },
                'X-Search-Words-Held': {
                  description: 'A query of three or more words sorted by newest or upvotes: "4/6" when the papers listed hold at least 4 of its 6 content words (all of them when at least 5 papers do, else fewer).',
                  schema: { type: 'string', pattern: '^[0-9]+/[0-9]+$' },
                },
              },
              content: json({ type: 'array', items: ref('DailyPaper') }),
            },
            400: badRequest,
          },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document.', content: json({ type: 'object' }) } } },
      },
      '/feed.xml': { get: feedOperation('Daily papers as RSS 2.0', 'application/rss+xml') },
      '/feed.atom': { get: feedOperation('Daily papers as Atom 1.0', 'application/atom+xml') },
    },
    components: { schemas },
  };
}
