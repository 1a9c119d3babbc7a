/**
 * Static assets: the site stylesheet is read and fingerprinted once at start-up
 * and served from memory; KaTeX's stylesheet and fonts come from its package.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import katex from 'katex';

/** src/web/public: files served under /static/. */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** node_modules/katex/dist: served under /static/katex/. */
export const KATEX_DIST_DIR = dirname(createRequire(import.meta.url).resolve('katex'));

/** For URLs that carry a version or fingerprint and so never change. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

function fingerprinted(file: string) {
  const body = readFileSync(new URL(file, new URL('../public/', import.meta.url)), 'utf8');
  const hash = createHash('sha1').update(body).digest('hex').slice(0, 12);
  return { body, etag: `"${hash}"`, url: `/static/${file}?v=${hash}` };
}

export const siteCss = fingerprinted('app.css');

export const katexCssUrl = `/static/katex/katex.min.css?v=${katex.version}`;
