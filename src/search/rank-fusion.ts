// Combining rankers. Every ranker returns `{ ids, scores }`, best first, higher
// scores better; fusion returns the same shape, so a fused ranking can be fused
// again or evaluated like any other.

export interface Ranking {
  ids: string[];
  scores: number[];
}

export interface WeightedRanking {
  ranking: Ranking;
  /** Relative importance of this ranker; 1 if omitted. */
  weight?: number;
}

export interface RrfOptions {
  /** Damping constant: larger k flattens the difference between top ranks. 60 is the usual default. */
  k?: number;
  /** Keep at most this many results. */
  limit?: number;
}

export const DEFAULT_RRF_K = 60;

function checkRanking(r: Ranking, n: number): void {
  if (!Array.isArray(r.ids) || !Array.isArray(r.scores) || r.ids.length !== r.scores.length) {
    throw new TypeError(`ranking ${n}: ids and scores must be arrays of equal length`);
  }
}

function checkWeight(w: number, n: number): number {
  if (!Number.isFinite(w) || w < 0) throw new RangeError(`ranking ${n}: weight must be a finite number >= 0, got ${w}`);
  return w;
}

/** Sorts by fused score; ties go to the document that ranked best anywhere, then by id. */
function finish(score: Map<string, number>, bestRank: Map<string, number>, limit: number): Ranking {
  const ids = [...score.keys()].sort(
    (a, b) => score.get(b)! - score.get(a)! || bestRank.get(a)! - bestRank.get(b)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const kept = ids.slice(0, limit);
  return { ids: kept, scores: kept.map((id) => score.get(id)!) };
}

/**
 * Reciprocal rank fusion: score(d) = sum over rankers of weight / (k + rank(d)),
 * rank starting at 1. A document missing from a ranking gets nothing from it.
 * Only ranks matter, so rankers with incomparable scores fuse safely.
 */
export function reciprocalRankFusion(inputs: WeightedRanking[], opts: RrfOptions = {}): Ranking {
  const k = opts.k ?? DEFAULT_RRF_K;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`k must be a finite number >= 0, got ${k}`);
  const limit = opts.limit ?? Infinity;
  const score = new Map<string, number>();
  const bestRank = new Map<string, number>();
  inputs.forEach(({ ranking, weight = 1 }, n) => {
    checkRanking(ranking, n);
    const w = checkWeight(weight, n);
    const seen = new Set<string>();
    ranking.ids.forEach((id, i) => {
      if (seen.has(id)) return; // a duplicate counts once, at its best rank
      seen.add(id);
      score.set(id, (score.get(id) ?? 0) + w / (k + i + 1));
      bestRank.set(id, Math.min(bestRank.get(id) ?? Infinity, i));
    });
  });
  return finish(score, bestRank, limit);
}

// A loop, not Math.min(...xs): spreading a long list overflows the call stack.
function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

export type ScoreNormalisation = 'minmax' | 'zscore';

export interface ScoreFusionOptions {
  normalisation?: ScoreNormalisation;
  limit?: number;
}

/**
 * Rescales one ranking's scores so rankers become comparable: 'minmax' maps to
 * [0, 1] (all-equal scores become 1), 'zscore' to mean 0 and deviation 1.
 */
export function normaliseScores(scores: number[], how: ScoreNormalisation): number[] {
  if (scores.length === 0) return [];
  if (scores.some((s) => !Number.isFinite(s))) throw new RangeError('scores must be finite numbers');
  if (how === 'minmax') {
    const min = minOf(scores);
    const span = -minOf(scores.map((s) => -s)) - min;
    return scores.map((s) => (span === 0 ? 1 : (s - min) / span));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / scores.length);
  return scores.map((s) => (sd === 0 ? 0 : (s - mean) / sd));
}

/**
 * Convex combination of normalised scores: score(d) = sum of weight * norm(d).
 * A document missing from a ranking gets that ranking's lowest normalised
 * score (it ranked below everything the ranker returned).
 */
export function scoreFusion(inputs: WeightedRanking[], opts: ScoreFusionOptions = {}): Ranking {
  const how = opts.normalisation ?? 'minmax';
  const limit = opts.limit ?? Infinity;
  const normalised = inputs.map(({ ranking, weight = 1 }, n) => {
    checkRanking(ranking, n);
    const norm = normaliseScores(ranking.scores, how);
    const byId = new Map<string, number>();
    ranking.ids.forEach((id, i) => {
      if (!byId.has(id)) byId.set(id, norm[i]!);
    });
    return { weight: checkWeight(weight, n), byId, floor: norm.length === 0 ? 0 : minOf(norm), ranks: ranking.ids };
  });
  const score = new Map<string, number>();
  const bestRank = new Map<string, number>();
  for (const { ranks } of normalised) {
    ranks.forEach((id, i) => {
      score.set(id, 0);
      bestRank.set(id, Math.min(bestRank.get(id) ?? Infinity, i));
    });
  }
  for (const id of score.keys()) {
    let s = 0;
    for (const { weight, byId, floor } of normalised) s += weight * (byId.get(id) ?? floor);
    score.set(id, s);
  }
  return finish(score, bestRank, limit);
}
