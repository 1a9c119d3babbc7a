import { html } from './html.js';
import { layout } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in needed',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Too large',
  422: 'Cannot process this',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Unavailable',
};

/** A full page for an error status; the message is escaped. */
export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? 'Error';
  return layout({
    title: `${status} ${title}`,
    body: html`<section class="error-page">
<p class="error-status">${status}</p>
<h1>${title}</h1>
<p class="error-message">${message}</p>
<p><a class="button" href="/">Back to the daily papers</a></p>
</section>`,
  });
}
