/** One paper on a daily / weekly / monthly list. */
import { renderMathPreview, renderMathText } from '../latex.js';
import type { Paper } from '../../model.js';
import { formatCount, formatShortDate, isoDay, plural, safeHttpUrl, squash } from './format.js';
import { html, raw } from './html.js';
import type { SafeHtml } from './html.js';

export const PREVIEW_CHARS = 300;

export const paperPath = (id: string): string => `/papers/${id}`;

/** "Ada Lovelace, Alan Turing, Grace Hopper · 12 authors". */
export function authorSummary(authors: readonly string[]): SafeHtml {
  const shown = authors.slice(0, 3).join(', ');
  return html`${shown}${shown ? ' · ' : ''}<span class="nowrap">${plural(authors.length, 'author')}</span>`;
}

/** A link to the code repository, with its GitHub stars when known. */
export function codeLink(paper: Pick<Paper, 'githubRepo' | 'githubStars'>, label = 'Code'): SafeHtml | null {
  const url = safeHttpUrl(paper.githubRepo);
  if (!url) return null;
  const stars = paper.githubStars != null ? html` <span class="stars">★ ${formatCount(paper.githubStars)}</span>` : '';
  return html`<a href="${url}">${label}</a>${stars}`;
}

export interface CardOptions {
  /** Where a category chip links to (the current list filtered to it); a plain chip when absent. */
  categoryHref?: (category: string) => string;
}

// Markup is kept lean on purpose: the daily page's size is what bounds its throughput.
export function paperCard(paper: Paper, opts: CardOptions = {}): SafeHtml {
  const code = codeLink(paper);
  const primary = paper.categories[0];
  const published = paper.publishedAt
    ? html` · Published on <time datetime="${isoDay(paper.publishedAt)}">${formatShortDate(paper.publishedAt)}</time>`
    : '';
  return html`<article class="paper-card" data-paper-id="${paper.id}"><div><h2><a href="${paperPath(paper.id)}">${raw(renderMathText(squash(paper.title)))}</a></h2>
<p class="meta">${authorSummary(paper.authors)}${published}</p><p class="summary">${raw(renderMathPreview(paper.abstract, PREVIEW_CHARS))}</p><p class="meta">${plural(paper.numComments, 'comment')}${code ? html` · ${code}` : ''}${primary ? html` · ${categoryChip(primary, opts)}` : ''}</p>
</div><p class="votes"><b>${formatCount(paper.upvotes)}</b> ${paper.upvotes === 1 ? 'upvote' : 'upvotes'}</p></article>
`;
}

function categoryChip(category: string, opts: CardOptions): SafeHtml {
  if (!opts.categoryHref) return html`<span class="chip">${category}</span>`;
  return html`<a class="chip" href="${opts.categoryHref(category)}">${category}</a>`;
}
