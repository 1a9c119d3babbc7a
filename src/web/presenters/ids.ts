/**
 * A stable 24-hex-digit id shaped like Hugging Face's object ids, derived
 * from what it names, so the same paper always shows the same ids.
 *
 * Three 32-bit lanes of a multiply-xorshift hash over the UTF-16 code units,
 * each finished with MurmurHash3's fmix32: an id is not a secret, only a
 * name, and a search answer derives ~300 of them (one per author), where
 * SHA-1 through node:crypto cost ~3 us each, 40% of presenting the answer.
 */
export function syntheticId(...parts: string[]): string {
  const text = parts.join('\u0000');
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    c = Math.imul(c ^ unit, 0xcc9e2d51);
    c = (c << 15) | (c >>> 17);
  }
  return hex8(fmix32(a ^ Math.imul(b, 3))) + hex8(fmix32(b ^ c)) + hex8(fmix32(c ^ a));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** An ISO time as `toISOString` writes it (HF's format); unparseable values pass through. */
export function isoTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
