/** Which methods an app answers at a path: the `Allow` header of a 405. */
import { METHODS } from 'node:http';
import type { Hono } from 'hono';
import { HttpError } from '../errors.js';

/**
 * The methods `app` has a route for at `path`, HEAD wherever GET is (Hono
 * answers HEAD with the GET route). Middleware (`app.use`, method "ALL") is
 * not a route. A path that only a CORS preflight route matches is not known:
 * empty, so the caller answers 404.
 */
export function allowedMethods(app: Hono, path: string): string[] {
  const allowed = new Set<string>();
  for (const method of METHODS) {
    for (const [[, route]] of app.router.match(method, path)[0]) if (route.method === method) allowed.add(method);
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].every((m) => m === 'OPTIONS') ? [] : [...allowed].sort();
}

export const methodNotAllowed = (method: string, allowed: string[]): HttpError =>
  new HttpError(405, 'method_not_allowed', `${method.slice(0, 20)} is not allowed here; this address answers ${allowed.join(', ')}.`);
