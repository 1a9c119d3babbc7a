/** The daily, weekly and monthly list pages, and the page shown before any data is imported. */
import { isoWeekOf } from '../../calendar.js';
import type { DailyListItem } from '../../model.js';
import { formatCount, formatLongDate, formatMonth, formatShortDate, formatWeek, plural } from './format.js';
import { html, raw } from './html.js';
import type { SafeHtml } from './html.js';
import { layout } from './layout.js';
import { listQuery, listUrl } from './list-urls.js';
import type { ListKind, ListParams, PageSort } from './list-urls.js';
import { paperCard } from './paper-card.js';

export interface ListView {
  kind: ListKind;
  /** "2024-05-29", "2024-W22" or "2024-05". */
  period: string;
  /** A date inside the period: the day/week/month switch links to the periods holding it. */
  anchorDate: string;
  /** Rendered at "/" (the latest day) rather than at the period's own address. */
  home: boolean;
  previous: string | null;
  next: string | null;
  items: DailyListItem[];
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  sort: PageSort;
  category: string | null;
}

const NOUN: Record<ListKind, string> = { day: 'day', week: 'week', month: 'month' };
const SORTS: { sort: PageSort; label: string }[] = [
  { sort: 'upvotes', label: 'Most upvoted' },
  { sort: 'newest', label: 'Newest' },
];

function periodLabel(kind: ListKind, period: string): string {
  if (kind === 'day') return formatLongDate(period);
  return kind === 'week' ? formatWeek(period) : formatMonth(period);
}

function heading(v: ListView): SafeHtml {
  const kicker = { day: 'Daily papers', week: 'Papers of the week', month: 'Papers of the month' }[v.kind];
  const label = periodLabel(v.kind, v.period);
  const when = v.kind === 'week' ? html`${label}` : html`<time datetime="${v.period}">${label}</time>`;
  return html`<h1><span class="kicker">${kicker}</span> ${when}</h1>`;
}

/** This view's own address with some parameters changed. */
function selfUrl(v: ListView, p: ListParams): string {
  const params: ListParams = { sort: v.sort, category: v.category, ...p };
  if (v.home && params.page === undefined) return `/${listQuery(params)}`;
  return listUrl(v.kind, v.period, params);
}

function periodNav(v: ListView): SafeHtml {
  const noun = NOUN[v.kind];
  const keep = { sort: v.sort, category: v.category };
  const short = (period: string) => (v.kind === 'day' ? formatShortDate(period) : v.kind === 'week' ? period.replace(/^\d{4}-/, '') : formatMonth(period));
  const link = (period: string | null, rel: 'prev' | 'next') => {
    const text = rel === 'prev' ? `Previous ${noun}` : `Next ${noun}`;
    if (!period) return html`<span class="period-link is-disabled">${text}</span>`;
    return html`<a class="period-link period-${rel}" rel="${rel}" href="${listUrl(v.kind, period, keep)}">${rel === 'prev' ? raw('<span aria-hidden="true">←</span> ') : ''}${text} <span class="period-date">${short(period)}</span>${rel === 'next' ? raw(' <span aria-hidden="true">→</span>') : ''}</a>`;
  };
  return html`<nav class="period-nav" aria-label="Pagination">${link(v.previous, 'prev')}${link(v.next, 'next')}</nav>`;
}

function viewSwitch(v: ListView): SafeHtml {
  const keep = { sort: v.sort, category: v.category };
  const views: { kind: ListKind; label: string; period: string }[] = [
    { kind: 'day', label: 'Day', period: v.anchorDate },
    { kind: 'week', label: 'Week', period: isoWeekOf(v.anchorDate) },
    { kind: 'month', label: 'Month', period: v.anchorDate.slice(0, 7) },
  ];
  const items = views.map(
    (o) => html`<li><a href="${listUrl(o.kind, o.period, keep)}"${raw(o.kind === v.kind ? ' aria-current="page"' : '')}>${o.label}</a></li>`,
  );
  return html`<nav class="view-switch" aria-label="List period"><ul>${items}</ul></nav>`;
}

function datePicker(v: ListView): SafeHtml {
  const value = v.kind === 'day' ? v.period : v.anchorDate;
  return html`<form class="date-picker" method="get" action="/papers/date">
<label for="date-picker-input">Go to date</label>
<input id="date-picker-input" type="date" name="date" value="${value}" required>
${v.sort !== 'upvotes' ? html`<input type="hidden" name="sort" value="${v.sort}">` : ''}
${v.category ? html`<input type="hidden" name="category" value="${v.category}">` : ''}
<button type="submit">Go</button>
</form>`;
}

function sortLinks(v: ListView): SafeHtml {
  const links = SORTS.map(
    (s) => html`<li><a href="${selfUrl(v, { sort: s.sort })}"${raw(s.sort === v.sort ? ' aria-current="true"' : '')}>${s.label}</a></li>`,
  );
  return html`<nav class="sort-links" aria-label="Sort order"><span class="sort-caption" aria-hidden="true">Sort:</span><ul>${links}</ul></nav>`;
}

function summary(v: ListView): SafeHtml {
  const first = (v.page - 1) * v.pageSize + 1;
  const last = first + v.items.length - 1;
  const count = v.total > v.items.length ? `${formatCount(first)}–${formatCount(last)} of ${plural(v.total, 'paper')}` : plural(v.total, 'paper');
  const filter = v.category
    ? html` in <strong>${v.category}</strong> · <a href="${selfUrl(v, { category: null })}">show all categories</a>`
    : '';
  return html`<p class="list-summary">${count}${filter}</p>`;
}

function resultPages(v: ListView): SafeHtml | null {
  const pages = Math.ceil(v.total / v.pageSize);
  if (pages <= 1) return null;
  const prev = v.page > 1 ? html`<a class="page-prev" href="${selfUrl(v, { page: v.page - 1 })}"><span aria-hidden="true">←</span> Previous page</a>` : '';
  const next = v.page < pages ? html`<a class="page-next" href="${selfUrl(v, { page: v.page + 1 })}">Next page <span aria-hidden="true">→</span></a>` : '';
  return html`<nav class="result-pages" aria-label="Result pages">${prev}<span class="page-status">Page ${v.page} of ${pages}</span>${next}</nav>`;
}

function emptyList(v: ListView): SafeHtml {
  const noun = NOUN[v.kind];
  const what = v.category ? html`No <strong>${v.category}</strong> papers` : html`No papers`;
  const hint = v.category
    ? html`<a href="${selfUrl(v, { category: null })}">Show all categories</a>, or try another ${noun}.`
    : html`Nobody put a paper on the list for this ${noun}. Try the ${v.previous || v.next ? `previous or next ${noun}` : 'date picker'}.`;
  return html`<div class="empty-state"><p class="empty-title">${what} on this ${noun}.</p><p>${hint}</p></div>`;
}

export function listPage(v: ListView): string {
  const categoryHref = (c: string) => selfUrl(v, { category: c });
  const body = html`<div class="list-head">
${heading(v)}
${summary(v)}
</div>
<div class="toolbar">
${periodNav(v)}
${viewSwitch(v)}
${datePicker(v)}
</div>
${v.items.length ? html`${sortLinks(v)}<div class="paper-list">${v.items.map((i) => paperCard(i.paper, { categoryHref }))}</div>` : emptyList(v)}
${resultPages(v)}`;
  const label = periodLabel(v.kind, v.period);
  return layout({
    title: v.home ? `Daily papers, ${label}` : `${v.kind === 'day' ? 'Papers of ' : ''}${label}`,
    canonical: v.home ? '/' : listUrl(v.kind, v.period, { sort: v.sort, category: v.category, page: v.page }),
    section: 'daily',
    body,
  });
}

/** Shown at "/" while the database has no daily lists yet. */
export function emptySitePage(): string {
  const body = html`<section class="welcome">
<h1>No papers yet</h1>
<p>This Paperboy has no daily lists yet. Import some papers and they will show up here.</p>
<h2>Import the demo data set</h2>
<pre><code>paperboy import demo/hf-daily-papers.jsonl.gz</code></pre>
<h2>Or harvest from arXiv</h2>
<pre><code>paperboy ingest arxiv --category cs.CL --since 2024-05-01</code></pre>
<p>Files from Hugging Face's daily papers (JSON or JSONL), the Kaggle arXiv snapshot, arXiv Atom and OAI-PMH can be imported; run <code>paperboy help</code> for the details. The server loads the demo data by itself when it starts with an empty database and <code>PAPERBOY_DEMO_DATA</code> points at it.</p>
</section>`;
  return layout({ title: 'No papers yet', body, section: 'daily' });
}
