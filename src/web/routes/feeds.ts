import { Hono } from 'hono';
import type { AppContext } from '../context.js';

// Placeholder: replaced by the module that owns these routes.
export function feedRoutes(_ctx: AppContext): Hono {
  return new Hono();
}
