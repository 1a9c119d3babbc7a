/**
 * Headers every response carries: a strict Content-Security-Policy and the
 * other browser protections, plus CORS on the JSON API.
 *
 * Cached pages (sendCached) are built with these headers in one object and
 * returned synchronously, which keeps the node adapter on its fast path; the
 * headers themselves cost `/` about 3% more server CPU a request. Every other
 * response gets them as it leaves the app (`edge` in app.ts).
 */

/**
 * Style attributes are the one inline allowance. KaTeX's HTML output places
 * glyphs with them (style="height:0.6833em;vertical-align:-0.15em"): the 7
 * demo abstracts with math carry 114, up to 27 distinct values in one
 * abstract, and search-as-you-type inserts result fragments the page cannot
 * know in advance, so hashes ('unsafe-hashes') cannot list them. KaTeX's
 * MathML-only output carries none, but leaves the layout to the browser's
 * MathML support instead of KaTeX's stylesheet and fonts. So `style-src-attr`
 * allows inline style attributes and nothing else: <style> elements and
 * stylesheets stay 'self', and an attribute cannot run script, select other
 * elements, or (img-src and font-src are 'self') load anything from elsewhere.
 */
const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'", // search.js only: no inline scripts, no eval
  'style-src': "'self'", // app.css and KaTeX's stylesheet
  'style-src-attr': "'unsafe-inline'",
  'img-src': "'self'", // the favicon
  'font-src': "'self'", // KaTeX's fonts
  'connect-src': "'self'", // search-as-you-type's requests
  'form-action': "'self'",
  'base-uri': "'none'",
  'object-src': "'none'",
  'frame-ancestors': "'none'",
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources}`)
  .join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
});

/** Like Hugging Face's, the JSON API may be read by pages on any origin. */
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...SECURITY_HEADERS, 'Access-Control-Allow-Origin': '*' });

/** The JSON API's addresses. */
export const isApiPath = (path: string): boolean => path.startsWith('/api/');

/** The headers a response to `path` carries besides its own. */
export const headersFor = (path: string): Readonly<Record<string, string>> => (isApiPath(path) ? API_HEADERS : SECURITY_HEADERS);

const complete = new WeakSet<Response>();

/** Mark a response that was built with `headersFor` its path, so it is sent as it is. */
export function withHeadersBuiltIn(res: Response): Response {
  complete.add(res);
  return res;
}

/** `res` with `headersFor` the request's path, unless it was built with them. */
export function withResponseHeaders(request: Request, res: Response | Promise<Response>): Response | Promise<Response> {
  return res instanceof Promise ? res.then((r) => addHeaders(request, r)) : addHeaders(request, res);
}

function addHeaders(request: Request, res: Response): Response {
  if (complete.has(res)) return res;
  const wanted = headersFor(new URL(request.url).pathname);
  try {
    for (const [name, value] of Object.entries(wanted)) res.headers.set(name, value);
    return res;
  } catch {
    // Immutable headers (Response.redirect, a proxied fetch): copy the response.
    const copy = new Response(res.body, res);
    for (const [name, value] of Object.entries(wanted)) copy.headers.set(name, value);
    return copy;
  }
}
