// The search filters and the query's text constraints (author:, -word, -"phrase",
// -author:) applied in TypeScript to papers that came from a ranker other than
// the keyword index (the semantic index, similar papers). Mirrors what the store
// does in SQL: store/sqlite/sqlite-keyword.ts (filters) and store/sqlite/fts-query.ts (MATCH).
import type { Paper } from '../model.js';
import type { SearchFilters } from '../store/store.js';
import { categoryMatches, type ParsedQuery } from './query-parser.js';
import { containsSequence, phraseStems } from './text-match.js';

const lower = (xs: readonly string[] | undefined) => (xs ?? []).map((x) => x.toLowerCase());

/** A predicate for SearchFilters; the same semantics as the store's SQL filters. */
export function filterPredicate(f: SearchFilters): (p: Paper) => boolean {
  const include = lower(f.categories);
  const exclude = lower(f.excludeCategories);
  const to = f.publishedTo ? `${f.publishedTo}\uffff` : null;
  return (p) => {
    if (f.publishedFrom && (p.publishedAt === null || p.publishedAt < f.publishedFrom)) return false;
    if (to !== null && (p.publishedAt === null || p.publishedAt > to)) return false;
    if (f.hasCode && !p.githubRepo) return false;
    if (include.length === 0 && exclude.length === 0) return true;
    const cats = lower(p.categories);
    if (include.length > 0 && !include.some((c) => cats.some((pc) => categoryMatches(c, pc)))) return false;
    return !exclude.some((c) => cats.some((pc) => categoryMatches(c, pc)));
  };
}

/** Whether the query constrains text beyond ranking: author filters or exclusions. */
export function hasTextConstraints(q: ParsedQuery): boolean {
  return q.authors.length + q.excludedAuthors.length + q.excluded.length + q.excludedPhrases.length > 0;
}

/**
 * A predicate for the query's author filters and exclusions. Authors are matched
 * as a phrase within the author list; exclusions against title, abstract and
 * authors, by stem, as the keyword index matches them.
 */
export function textPredicate(q: ParsedQuery): (p: Paper) => boolean {
  const authors = q.authors.map(phraseStems).filter((s) => s.length > 0);
  const notAuthors = q.excludedAuthors.map(phraseStems).filter((s) => s.length > 0);
  const notText = [...q.excluded, ...q.excludedPhrases].map(phraseStems).filter((s) => s.length > 0);
  return (p) => {
    const names = phraseStems(p.authors.join(' '));
    if (!authors.every((a) => containsSequence(names, a))) return false;
    if (notAuthors.some((a) => containsSequence(names, a))) return false;
    if (notText.length === 0) return true;
    const text = [...phraseStems(p.title), ...phraseStems(p.abstract), ...names];
    return !notText.some((x) => containsSequence(text, x));
  };
}
