import { escapeHtml } from './html.js';

/** Minimal fallback; the pages module may replace it with the full layout. */
export function errorPage(status: number, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · Paperboy</title></head><body><main><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the daily papers</a></p></main></body></html>`;
}
