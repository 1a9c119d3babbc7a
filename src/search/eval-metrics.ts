// Retrieval quality metrics as pure functions, following trec_eval (which BEIR
// uses through pytrec_eval): linear gains, log2 discount, ideal ranking from
// every judged-relevant document, queries without results score 0.

/** query id -> (document id -> relevance grade; > 0 means relevant) */
export type Qrels = Map<string, Map<string, number>>;

/** query id -> ranked document ids, best first */
export type Run = Map<string, string[]>;

function checkCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`cutoff must be a positive integer, got ${k}`);
}

/** nDCG@k of one ranked list against one query's judgements. 0 when nothing is relevant. */
export function ndcgAtK(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  checkCutoff(k);
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += g / Math.log2(i + 2)));
  if (idcg === 0) return 0;
  let dcg = 0;
  const seen = new Set<string>();
  for (let i = 0, pos = 0; i < ranked.length && pos < k; i++) {
    const id = ranked[i]!;
    if (seen.has(id)) continue; // a repeated document earns nothing twice
    seen.add(id);
    const g = judged.get(id) ?? 0;
    if (g > 0) dcg += g / Math.log2(pos + 2);
    pos++;
  }
  return dcg / idcg;
}

/** Recall@k: the share of relevant documents found in the first k. 0 when nothing is relevant. */
export function recallAtK(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  checkCutoff(k);
  let relevant = 0;
  for (const g of judged.values()) if (g > 0) relevant++;
  if (relevant === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  let found = 0;
  for (const id of top) if ((judged.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

/** Mean of a per-query metric over every query in the qrels (missing runs count 0). */
export function meanOverQueries(
  run: Run,
  qrels: Qrels,
  metric: (ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number) => number,
  k: number,
): number {
  if (qrels.size === 0) throw new RangeError('qrels hold no queries');
  let sum = 0;
  for (const [q, judged] of qrels) sum += metric(run.get(q) ?? [], judged, k);
  return sum / qrels.size;
}

export function evaluateRun(run: Run, qrels: Qrels): { ndcg10: number; recall100: number } {
  return { ndcg10: meanOverQueries(run, qrels, ndcgAtK, 10), recall100: meanOverQueries(run, qrels, recallAtK, 100) };
}
