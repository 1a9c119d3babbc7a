/**
 * arXiv's free-text author lists ("A. Smith (MIT), B. Jones and C. Wu") as
 * ordered display names.
 */

/** Remove parenthesised affiliations, innermost first, so "(1) CREST, (2) ..." nested groups go too. */
function stripParentheses(s: string): string {
  let prev: string;
  let out = s;
  do {
    prev = out;
    out = out.replace(/\([^()]*\)/g, ' ');
  } while (out !== prev);
  return out.replace(/[()]/g, ' ');
}

const NOT_A_NAME = /^(?:et\.? al\.?|others|and)$/i;

export function parseAuthorString(raw: string): string[] {
  return stripParentheses(raw.replace(/\s+/g, ' '))
    .split(/\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s+&\s+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0 && /\p{L}/u.test(s) && !NOT_A_NAME.test(s));
}

/** Kaggle's authors_parsed: [["Last", "First", "Suffix"], ...] -> "First Last Suffix". */
export function namesFromParsed(parsed: unknown): string[] | null {
  if (!Array.isArray(parsed) || parsed.length === 0) return null;
  const names: string[] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry)) return null;
    const [last, first, suffix] = entry.map((x) => (typeof x === 'string' ? x.trim() : ''));
    const name = [first, last, suffix].filter((x) => x).join(' ');
    if (name) names.push(name);
  }
  return names.length > 0 ? names : null;
}
