/**
 * Trending score, published in the README:
 *
 *   trending = log10(max(upvotes, 1)) + (t - 2020-01-01T00:00:00Z in seconds) / 45000
 *
 * where t is when the paper reached the daily list (or its arXiv date). Every
 * 45,000 s (12.5 h) of recency is worth a tenfold increase in upvotes. The
 * score does not depend on the current time, so it is stored with the paper
 * and recomputed only when its upvotes or time change.
 */
export const TRENDING_EPOCH_MS = Date.UTC(2020, 0, 1);
export const TRENDING_DECAY_SECONDS = 45_000;

export function trendingScore(upvotes: number, atMs: number): number {
  const votes = Math.log10(Math.max(upvotes, 1));
  const age = (atMs - TRENDING_EPOCH_MS) / 1000 / TRENDING_DECAY_SECONDS;
  return Math.round((votes + age) * 1e7) / 1e7;
}
