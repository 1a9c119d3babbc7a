/** One paper on a daily / weekly / monthly list. */
import { renderMathPreview, renderMathText } from '../latex.js';
import type { Paper } from '../../model.js';
import { formatCount, formatShortDate, isoDay, plural, safeHttpUrl, squash } from './format.js';
import { html, raw } from './html.js';
import type { HtmlValue, SafeHtml } from './html.js';

export const PREVIEW_CHARS = 300;

export const paperPath = (id: string): string => `/papers/${id}`;

/** The authors a card names before the count. */
export const AUTHORS_SHOWN = 3;
/** At most this many matched authors are named after the first ones (the count covers the rest). */
export const MATCHED_AUTHORS_SHOWN = 5;

/**
 * "Ada Lovelace, Alan Turing, Grace Hopper · 12 authors". `matched` (the
 * authors an author: search matched, by index in the list, as HTML with the
 * match marked) are named too, in list order, wherever they are in the list,
 * "…" standing for the authors left out between:
 * "A. One, B. Two, C. Three, …, Geoffrey E. <mark>Hinton</mark> · 15 authors".
 */
export function authorSummary(authors: readonly string[], matched?: ReadonlyMap<number, string>): SafeHtml {
  const count = html`<span class="nowrap">${plural(authors.length, 'author')}</span>`;
  if (matched === undefined || matched.size === 0) {
    const shown = authors.slice(0, AUTHORS_SHOWN).join(', ');
    return html`${shown}${shown ? ' · ' : ''}${count}`;
  }
  const later = [...matched.keys()].filter((i) => i >= AUTHORS_SHOWN && i < authors.length).sort((a, b) => a - b);
  const indexes = [...authors.keys()].slice(0, AUTHORS_SHOWN).concat(later.slice(0, MATCHED_AUTHORS_SHOWN));
  const names: HtmlValue[] = indexes.map((i, k) => {
    const name = matched.get(i);
    const gap = k > 0 && i > (indexes[k - 1] as number) + 1 ? '…, ' : '';
    return html`${k > 0 ? ', ' : ''}${gap}${name === undefined ? authors[i] : raw(name)}`;
  });
  return html`${names} · ${count}`;
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
