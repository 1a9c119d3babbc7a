/** The page shell every HTML page shares: head, header with the main navigation, main, footer. */
import { katexCssUrl, siteCss } from './assets.js';
import { html, raw } from './html.js';
import type { SafeHtml } from './html.js';
import { searchJsUrl } from './search-script.js';

export interface LayoutOptions {
  /** The document title, without the site name. */
  title: string;
  /** What goes inside <main>; it carries the page's only h1. */
  body: SafeHtml;
  description?: string;
  /** Path of the canonical address, e.g. "/papers/2405.15738". */
  canonical?: string;
  /** Which main-navigation entry is the current page. */
  section?: 'daily' | 'search' | null;
  /** Shown in the header's search box. */
  searchQuery?: string;
}

const SITE = 'Paperboy';

export function layout(o: LayoutOptions): string {
  // Only pages that show math pay for KaTeX's stylesheet.
  const math = o.body.value.includes('class="katex');
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${SITE}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
${o.canonical ? html`<link rel="canonical" href="${o.canonical}">` : ''}
<link rel="stylesheet" href="${siteCss.url}">
${math ? html`<link rel="stylesheet" href="${katexCssUrl}">` : ''}
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/rss+xml" title="Paperboy daily papers (RSS)" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="Paperboy daily papers (Atom)" href="/feed.atom">
<script src="${searchJsUrl}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap header-inner">
<a class="brand" href="/"><span class="brand-mark" aria-hidden="true">P</span>${SITE}</a>
<nav aria-label="Main">
<ul class="main-nav">
<li><a href="/"${raw(o.section === 'daily' ? ' aria-current="page"' : '')}>Daily papers</a></li>
<li><a href="/feed.xml">RSS</a></li>
</ul>
</nav>
<form class="site-search" method="get" action="/papers/search" role="search">
<label for="site-search-q" class="visually-hidden">Search papers</label>
<input id="site-search-q" type="search" name="q" value="${o.searchQuery ?? ''}" placeholder="Search papers" autocomplete="off" data-suggest>
<button type="submit">Search</button>
</form>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${SITE} — research papers picked daily by the community. Paper metadata from arXiv.</p>
<ul class="footer-links">
<li><a href="/feed.xml">RSS feed</a></li>
<li><a href="/feed.atom">Atom feed</a></li>
<li><a href="/api/daily_papers">JSON API</a></li>
</ul>
</div>
</footer>
</body>
</html>
`.value;
}
