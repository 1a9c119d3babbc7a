/** The page of one paper: everything we know about it, abstract math rendered by KaTeX. */
import { renderMathText } from '../latex.js';
import type { Paper, PaperDetail } from '../../model.js';
import { formatCount, formatShortDate, isoDay, plural, repoLabel, safeHttpUrl, squash } from './format.js';
import { html, raw } from './html.js';
import type { HtmlValue, SafeHtml } from './html.js';
import { layout } from './layout.js';
import { periodPath } from './list-urls.js';
import { codeLink, paperPath } from './paper-card.js';

const arxivAbs = (id: string) => `https://arxiv.org/abs/${id}`;
const arxivPdf = (id: string) => `https://arxiv.org/pdf/${id}`;

/** A DOI link; DOIs are written bare ("10.1/x") or as a URL. */
function doiUrl(doi: string): string {
  const bare = doi.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '');
  return `https://doi.org/${encodeURI(bare)}`;
}

const timeTag = (iso: string) => html`<time datetime="${isoDay(iso)}">${formatShortDate(iso)}</time>`;

function linkList(p: PaperDetail): SafeHtml {
  const project = safeHttpUrl(p.projectPage);
  const code = codeLink(p, 'Code repository');
  const links: HtmlValue[] = [
    html`<li><a class="button button-primary" href="${arxivAbs(p.id)}">arXiv page</a></li>`,
    html`<li><a class="button" href="${arxivPdf(p.id)}">PDF</a></li>`,
    code ? html`<li class="button-like">${code}</li>` : null,
    project ? html`<li><a class="button" href="${project}">Project page</a></li>` : null,
    p.doi ? html`<li><a class="button" href="${doiUrl(p.doi)}">DOI</a></li>` : null,
  ];
  return html`<ul class="paper-links">${links}</ul>`;
}

function details(p: PaperDetail): SafeHtml {
  const rows: HtmlValue[] = [];
  const row = (term: string, value: HtmlValue) => rows.push(html`<div class="detail-row"><dt>${term}</dt><dd>${value}</dd></div>`);
  row('arXiv id', html`<a href="${arxivAbs(p.id)}">${p.id}</a>${p.version ? ` (v${p.version})` : ''}`);
  if (p.categories.length) {
    const cats = p.categories.map((c, i) =>
      i === 0 ? html`<li class="chip chip-primary">${c} <span class="chip-note">primary</span></li>` : html`<li class="chip">${c}</li>`,
    );
    row('Categories', html`<ul class="chip-list">${cats}</ul>`);
  }
  if (p.doi) row('DOI', html`<a href="${doiUrl(p.doi)}">${p.doi}</a>`);
  if (p.journalRef) row('Journal reference', p.journalRef);
  if (p.comment) row('Comment', p.comment);
  if (p.keywords.length) row('Keywords', html`<ul class="chip-list">${p.keywords.map((k) => html`<li class="chip">${k}</li>`)}</ul>`);
  if (p.organization) row('Organization', p.organization);
  const repo = safeHttpUrl(p.githubRepo);
  if (repo) row('Code', html`<a href="${repo}">${repoLabel(repo)}</a>${p.githubStars != null ? ` · ★ ${formatCount(p.githubStars)}` : ''}`);
  const project = safeHttpUrl(p.projectPage);
  if (project) row('Project page', html`<a href="${project}">${project}</a>`);
  return html`<section aria-labelledby="details-heading"><h2 id="details-heading">Details</h2><dl class="details">${rows}</dl></section>`;
}

function versions(p: PaperDetail): SafeHtml | null {
  if (!p.versions.length) return null;
  const items = p.versions.map(
    (v) => html`<li><a href="${arxivAbs(p.id)}v${v.version}">v${v.version}</a>${v.submittedAt ? html` · ${timeTag(v.submittedAt)}` : ''}${v.size ? ` · ${v.size}` : ''}</li>`,
  );
  return html`<section aria-labelledby="versions-heading"><h2 id="versions-heading">Versions</h2><ol class="versions">${items}</ol></section>`;
}

function dailyLists(p: PaperDetail): SafeHtml | null {
  if (!p.dailyEntries.length) return null;
  const items = p.dailyEntries.map(
    (e) => html`<li><a href="${periodPath('day', e.date)}">${timeTag(e.date)}</a>${e.submitter ? html` · submitted by ${e.submitter}` : ''}</li>`,
  );
  return html`<section aria-labelledby="daily-heading"><h2 id="daily-heading">On the daily list</h2><ul class="daily-dates">${items}</ul></section>`;
}

/** The papers most like this one, and a link to the full "more like this" search. */
function similarPapers(p: PaperDetail, similar: readonly Paper[]): SafeHtml | null {
  if (!similar.length) return null;
  const items = similar.map(
    (s) => html`<li><a href="${paperPath(s.id)}">${raw(renderMathText(squash(s.title)))}</a>${s.publishedAt ? html` <span class="similar-date">${timeTag(s.publishedAt)}</span>` : ''}</li>`,
  );
  return html`<section aria-labelledby="similar-heading"><h2 id="similar-heading">Similar papers</h2><ol class="similar-papers">${items}</ol><p><a href="/papers/search?like=${encodeURIComponent(p.id)}">More like this</a></p></section>`;
}

export function paperPage(p: PaperDetail, similar: readonly Paper[] = []): string {
  const title = squash(p.title);
  const updated = p.updatedAt && p.publishedAt && isoDay(p.updatedAt) !== isoDay(p.publishedAt) ? p.updatedAt : null;
  const body = html`<article class="paper" data-paper-id="${p.id}">
<header class="paper-head">
<p class="kicker">arXiv:${p.id}${p.categories[0] ? ` · ${p.categories[0]}` : ''}</p>
<h1 class="paper-title">${raw(renderMathText(title))}</h1>
<p class="paper-authors"><span class="visually-hidden">Authors: </span>${p.authors.join(', ')} <span class="nowrap">(${plural(p.authors.length, 'author')})</span></p>
<p class="paper-dates">${p.publishedAt ? html`Published on ${timeTag(p.publishedAt)}` : ''}${updated ? html` · updated ${timeTag(updated)}` : ''}</p>
<ul class="paper-stats">
<li class="stat-upvotes"><span class="vote-count">${formatCount(p.upvotes)}</span> ${p.upvotes === 1 ? 'upvote' : 'upvotes'}</li>
<li class="stat-comments">${plural(p.numComments, 'comment')}</li>
</ul>
${linkList(p)}
</header>
<section aria-labelledby="abstract-heading">
<h2 id="abstract-heading">Abstract</h2>
<p class="abstract">${raw(renderMathText(p.abstract))}</p>
</section>
${p.aiSummary ? html`<section aria-labelledby="summary-heading"><h2 id="summary-heading">AI summary</h2><p>${p.aiSummary}</p></section>` : ''}
${details(p)}
${versions(p)}
${dailyLists(p)}
${similarPapers(p, similar)}
</article>`;
  return layout({
    title,
    description: squash(p.abstract).slice(0, 200),
    canonical: paperPath(p.id),
    body,
  });
}
