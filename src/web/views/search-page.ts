/**
 * The search page: a labelled GET form (complete without JavaScript), the
 * results as cards with matched words marked, warnings, and pagination. The
 * results part is also served alone, for search-as-you-type (public/search.js).
 */
import type { Paper } from '../../model.js';
import { highlightMatchers, markAuthors, markText } from '../../search/highlight.js';
import type { QuerySuggestion, SearchHit, SearchMode, SearchResponse, SearchSort, SpellingCorrection } from '../../search/types.js';
import { tokenize, type WordMatcher } from '../../search/text-match.js';
import { renderTex, splitMath } from '../latex.js';
import { formatCount, formatShortDate, isoDay, plural, squash } from './format.js';
import { html, raw } from './html.js';
import type { HtmlValue, SafeHtml } from './html.js';
import { layout } from './layout.js';
import { authorSummary, codeLink, paperPath } from './paper-card.js';

/** What the form shows and what the links keep: the request as the user gave it. */
export interface SearchForm {
  q: string;
  /** null: the server's default (hybrid). */
  mode: SearchMode | null;
  sort: SearchSort;
  from: string;
  to: string;
  categories: string[];
  exclude: string[];
  code: boolean;
  /** "More like this": the paper whose neighbours are listed. */
  like: string | null;
  /** Search the words as typed, without spelling correction ("Search instead for"). */
  literal: boolean;
}

export interface SearchView {
  form: SearchForm;
  /** The paper of a "more like this" search. */
  likePaper: Paper | null;
  /** null when nothing was searched (empty query). */
  result: SearchResponse | null;
  /** Hints shown even when nothing was searched. */
  notes: string[];
  page: number;
  pageSize: number;
}

export const SEARCH_PATH = '/papers/search';

const MODES: { mode: SearchMode; label: string }[] = [
  { mode: 'hybrid', label: 'Keywords and meaning' },
  { mode: 'keyword', label: 'Keywords only' },
  { mode: 'semantic', label: 'Meaning only' },
];
const SORTS: { sort: SearchSort; label: string }[] = [
  { sort: 'relevance', label: 'Relevance' },
  { sort: 'newest', label: 'Newest' },
  { sort: 'upvotes', label: 'Most upvoted' },
];
const MODE_NOTE: Record<SearchMode, string> = { hybrid: 'by keywords and meaning', keyword: 'by keywords', semantic: 'by meaning' };
const SORT_NOTE: Record<Exclude<SearchSort, 'relevance'>, string> = { newest: 'newest first', upvotes: 'most upvoted first' };

/** How many of a sorted description's words its papers hold ("holding 4 of its 6 words"). */
function heldNote(held: SearchResponse['wordsHeld']): string | null {
  if (!held || held.of < 2) return null;
  if (held.least >= held.of) return `holding all ${held.of} of its words`;
  if (held.least === 1) return `holding any of its ${held.of} words`;
  return `holding ${held.least} of its ${held.of} words`;
}

/** The address of a search; parameters at their defaults are left out. */
export function searchUrl(f: SearchForm, page = 1): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.like && !f.q) params.set('like', f.like);
  if (f.mode) params.set('mode', f.mode);
  if (f.sort !== 'relevance') params.set('sort', f.sort);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.categories.length) params.set('category', f.categories.join(','));
  if (f.exclude.length) params.set('exclude', f.exclude.join(','));
  if (f.code) params.set('code', '1');
  // The query it applies to: a different query typed into the form is corrected again.
  if (f.literal && f.q) params.set('literal', f.q);
  if (page > 1) params.set('p', String(page));
  const qs = params.toString();
  return qs ? `${SEARCH_PATH}?${qs}` : SEARCH_PATH;
}

const selected = (on: boolean) => raw(on ? ' selected' : '');

function searchForm(f: SearchForm): SafeHtml {
  const options = f.mode !== null || f.sort !== 'relevance' || f.from || f.to || f.categories.length || f.exclude.length || f.code;
  return html`<form class="search-form" method="get" action="${SEARCH_PATH}" role="search" data-live-search>
<div class="search-main">
<label for="search-q">Search papers</label>
<input id="search-q" type="search" name="q" value="${f.q}" autocomplete="off" spellcheck="false" aria-describedby="search-syntax">
<button type="submit">Search</button>
</div>
${f.like && !f.q ? html`<input type="hidden" name="like" value="${f.like}">` : ''}${f.literal && f.q ? html`<input type="hidden" name="literal" value="${f.q}">` : ''}
<details class="search-options"${raw(options ? ' open' : '')}>
<summary>Filters and sorting</summary>
<div class="search-fields">
<p><label for="search-mode">Match by</label>
<select id="search-mode" name="mode">${MODES.map((m) => html`<option value="${m.mode}"${selected((f.mode ?? 'hybrid') === m.mode)}>${m.label}</option>`)}</select></p>
<p><label for="search-sort">Sort by</label>
<select id="search-sort" name="sort">${SORTS.map((s) => html`<option value="${s.sort}"${selected(f.sort === s.sort)}>${s.label}</option>`)}</select></p>
<p><label for="search-from">Published from</label> <input id="search-from" type="date" name="from" value="${f.from}"></p>
<p><label for="search-to">Published until</label> <input id="search-to" type="date" name="to" value="${f.to}"></p>
<p><label for="search-category">Only categories</label> <input id="search-category" name="category" value="${f.categories.join(', ')}" placeholder="cs.CV, cs.CL" autocomplete="off"></p>
<p><label for="search-exclude">Leave out categories</label> <input id="search-exclude" name="exclude" value="${f.exclude.join(', ')}" placeholder="cs.RO" autocomplete="off"></p>
<p class="search-check"><input id="search-code" type="checkbox" name="code" value="1"${raw(f.code ? ' checked' : '')}> <label for="search-code">Only papers with code</label></p>
</div>
</details>
<p id="search-syntax" class="search-syntax">Tips: <code>"exact phrase"</code> <code>-leave-out</code> <code>author:Name</code> <code>cat:cs.CV</code> <code>year:2024..2025</code> <code>prefix*</code></p>
</form>`;
}

/** A title with its math rendered and matched words marked in the text around the math. */
function titleHtml(hit: SearchHit, matchers: WordMatcher[]): string {
  const title = squash(hit.paper.title);
  if (!title.includes('$') && !title.includes('\\')) return hit.highlight.title;
  return splitMath(title)
    .map((seg) => (seg.kind === 'text' ? markText(seg.text, matchers) : renderTex(seg.tex, false)))
    .join('');
}

/** The card's authors: an author: search names the matched ones even when they are far down the list. */
function authorsHtml(p: Paper, authorNames: readonly string[]): SafeHtml {
  return authorSummary(p.authors, authorNames.length > 0 ? markAuthors(p.authors, authorNames) : undefined);
}

function resultCard(hit: SearchHit, f: SearchForm, matchers: WordMatcher[], authorNames: readonly string[]): SafeHtml {
  const p = hit.paper;
  const code = codeLink(p);
  const published = p.publishedAt ? html` · Published on <time datetime="${isoDay(p.publishedAt)}">${formatShortDate(p.publishedAt)}</time>` : '';
  const chips = p.categories.slice(0, 3).map((c) => html` <a class="chip" href="${searchUrl({ ...f, categories: [c] })}">${c}</a>`);
  const like = searchUrl({ q: '', mode: null, sort: 'relevance', from: '', to: '', categories: [], exclude: [], code: false, like: p.id, literal: false });
  return html`<article class="paper-card search-hit" data-paper-id="${p.id}"><div><h2><a href="${paperPath(p.id)}">${raw(titleHtml(hit, matchers))}</a></h2>
<p class="meta">${authorsHtml(p, authorNames)}${published}</p><p class="summary">${raw(hit.highlight.snippet)}</p><p class="meta">${plural(p.numComments, 'comment')}${code ? html` · ${code}` : ''} · <a href="${like}">More like this</a>${chips.length ? html` ·${chips}` : ''}</p>
</div><p class="votes"><b>${formatCount(p.upvotes)}</b> ${p.upvotes === 1 ? 'upvote' : 'upvotes'}</p></article>
`;
}

function pager(v: SearchView, total: number): SafeHtml | null {
  const pages = Math.ceil(total / v.pageSize);
  if (pages <= 1) return null;
  const prev = v.page > 1 ? html`<a class="page-prev" rel="prev" href="${searchUrl(v.form, Math.min(v.page - 1, pages))}"><span aria-hidden="true">←</span> Previous page</a>` : '';
  const next = v.page < pages ? html`<a class="page-next" rel="next" href="${searchUrl(v.form, v.page + 1)}">Next page <span aria-hidden="true">→</span></a>` : '';
  return html`<nav class="result-pages" aria-label="Result pages">${prev}<span class="page-status">Page ${v.page} of ${pages}</span>${next}</nav>`;
}

function status(v: SearchView, r: SearchResponse): SafeHtml {
  const first = (v.page - 1) * v.pageSize + 1;
  const range = r.hits.length > 0 && r.total > r.hits.length ? `${formatCount(first)}–${formatCount(first + r.hits.length - 1)} of ` : '';
  const what = v.likePaper ? html` like <a href="${paperPath(v.likePaper.id)}">${squash(v.likePaper.title)}</a>` : v.form.q ? html` for <q>${v.form.q}</q>` : '';
  const by = v.likePaper && r.mode === 'keyword' ? 'by shared title words' : MODE_NOTE[r.mode];
  const order = v.form.sort === 'relevance' ? `ranked ${by}` : `${heldNote(r.wordsHeld) ?? `matched ${by}`}, ${SORT_NOTE[v.form.sort]}`;
  return html`<p class="search-status" role="status">${range}${plural(r.total, 'result')}${what}, ${order}</p>`;
}

/** A query with the words that spelling changed in <em>. */
function correctedQuery(query: string, words: SpellingCorrection['words']): SafeHtml {
  const changed = new Set(words.map((w) => w.to.toLowerCase()));
  const parts: HtmlValue[] = [];
  let at = 0;
  for (const t of tokenize(query)) {
    if (!changed.has(t.folded)) continue;
    parts.push(query.slice(at, t.start), html`<em>${query.slice(t.start, t.end)}</em>`);
    at = t.end;
  }
  parts.push(query.slice(at));
  return html`${parts}`;
}

/** "Showing results for <corrected>. Search instead for <as typed>." */
function correctionNote(v: SearchView, c: SpellingCorrection): SafeHtml {
  const corrected = searchUrl({ ...v.form, q: c.query, literal: false });
  const literal = searchUrl({ ...v.form, q: c.original, literal: true });
  return html`<p class="search-correction">Showing results for <a href="${corrected}">${correctedQuery(c.query, c.words)}</a>. <span class="nowrap">Search instead for <a href="${literal}" rel="nofollow">${c.original}</a>.</span></p>`;
}

function suggestionItem(v: SearchView, s: QuerySuggestion): SafeHtml {
  const href = searchUrl({ ...v.form, q: s.query, literal: false });
  if (s.kind === 'spelling') return html`<li>Did you mean <a href="${href}">${s.query}</a>?</li>`;
  if (s.kind === 'mode') {
    const count = s.count ?? 0;
    const by = searchUrl({ ...v.form, q: s.query, mode: s.mode ?? 'hybrid', literal: v.form.literal });
    return html`<li>No paper is close enough in meaning, but ${plural(count, 'paper')} ${count === 1 ? 'holds' : 'hold'} these words: <a href="${by}">search by keywords and meaning</a>.</li>`;
  }
  return html`<li>Without <q>${s.dropped ?? ''}</q>: <a href="${href}">${s.query}</a></li>`;
}

function emptyState(v: SearchView, r: SearchResponse): SafeHtml {
  if (r.hits.length === 0 && r.total > 0) {
    return html`<div class="empty-state"><p class="empty-title">There is no page ${v.page} of these results.</p><p><a href="${searchUrl(v.form)}">Back to the first page</a></p></div>`;
  }
  const f = v.form;
  const suggestions = (r.suggestions ?? []).map((s) => suggestionItem(v, s));
  const tips: HtmlValue[] = [];
  if (f.from || f.to || f.categories.length || f.exclude.length || f.code) {
    tips.push(html`<li><a href="${searchUrl({ ...f, from: '', to: '', categories: [], exclude: [], code: false })}">Search without the filters</a>.</li>`);
  }
  if (!suggestions.length) tips.push(html`<li>Check the spelling, or use fewer or more general words.</li>`);
  if (r.mode === 'keyword') tips.push(html`<li>Every word must appear in a keyword search; describe the topic in a sentence to search by meaning.</li>`);
  const searched = r.correction ? r.correction.query : f.q;
  const title = searched ? html`No papers match <q>${searched}</q>.` : html`No papers match.`;
  return html`<div class="empty-state"><p class="empty-title">${title}</p>${suggestions.length ? html`<ul class="search-suggestions-list">${suggestions}</ul>` : ''}${tips.length ? html`<ul>${tips}</ul>` : ''}</div>`;
}

/** The part of the page that changes with the query: status, warnings, cards, pages. */
export function searchResults(v: SearchView): SafeHtml {
  const r = v.result;
  const warnings = [...v.notes, ...(r?.warnings ?? [])];
  const notes = warnings.length ? html`<ul class="search-warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : '';
  if (r === null) return html`<p class="search-status" role="status"></p>${notes}`;
  const matchers = highlightMatchers(r.parsed);
  const cards = r.hits.map((h) => resultCard(h, v.form, matchers, r.parsed.authors));
  const corrected = r.correction ? correctionNote(v, r.correction) : '';
  return html`${status(v, r)}${corrected}${notes}${r.hits.length ? html`<div class="paper-list">${cards}</div>` : emptyState(v, r)}${pager(v, r.total)}`;
}

export function searchPage(v: SearchView): string {
  const heading = v.likePaper
    ? html`<h1><span class="kicker">More like this</span> Papers like <q>${squash(v.likePaper.title)}</q></h1>`
    : html`<h1>${v.form.q ? html`<span class="kicker">Search</span> <q>${v.form.q}</q>` : 'Search papers'}</h1>`;
  const body = html`<div class="search-head">${heading}${searchForm(v.form)}</div>
<div id="search-results" class="search-results">${searchResults(v)}</div>`;
  const title = v.likePaper ? `Papers like ${squash(v.likePaper.title)}` : v.form.q ? `Search: ${v.form.q}` : 'Search papers';
  return layout({ title, body, section: 'search', searchQuery: v.form.q, canonical: searchUrl(v.form, v.page) });
}
