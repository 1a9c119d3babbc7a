/** The search-as-you-type script's fingerprinted address (served from public/ under /static/). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const body = readFileSync(new URL('../public/search.js', import.meta.url));

export const searchJsUrl = `/static/search.js?v=${createHash('sha1').update(body).digest('hex').slice(0, 12)}`;
