import { createHash } from 'node:crypto';

/**
 * A stable 24-hex-digit id shaped like Hugging Face's object ids, derived
 * from what it names, so the same paper always shows the same ids.
 */
export function syntheticId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/** An ISO time as `toISOString` writes it (HF's format); unparseable values pass through. */
export function isoTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
