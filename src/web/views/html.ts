/**
 * A tiny HTML template helper: `html` escapes every interpolated value unless
 * it is marked as already-safe markup with `raw()` (or is itself the result of
 * `html`), so data can only become markup on purpose.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;

export function escapeHtml(s: string): string {
  // Most strings need nothing; skipping the replace keeps page rendering cheap.
  return NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string) : s;
}

/** Markup that is already safe to emit as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Mark pre-rendered markup (KaTeX output, a rendered fragment) as safe. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** What may be interpolated: text (escaped), safe markup, or lists of those. Nullish and `false` render nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  let out = '';
  for (const v of value) out += render(v);
  return out;
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] as string);
  return new SafeHtml(out);
}

