/**
 * Text as both backends store it: without NUL characters. PostgreSQL's text
 * cannot hold U+0000 at all (one such title made the whole batch fail with
 * "unsupported Unicode escape sequence", the good papers of it unstored), and
 * it means nothing in a title, abstract or name, so both stores drop it and
 * keep the same data.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
  if (Array.isArray(value)) return (value.some(holdsNul) ? value.map(withoutNul) : value) as T;
  if (value !== null && typeof value === 'object') {
    if (!holdsNul(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
  }
  return value;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNul);
  return false;
}
