import type { SearchIndexCompaction, Store } from '../store/store.js';
import type { CommandContext } from './main.js';

/**
 * When an import or harvest compacts the keyword index by itself: after a
 * large load (at least `minWritten` papers written, and at least `minShare`
 * of the collection), when an index has `minSegments` segments. Each write
 * transaction adds a segment; FTS5 merges them lazily, which leaves about a
 * dozen after a large load (13 for 1M papers imported 1,000 at a time), and
 * each query term is then read from every one. Compacting rewrites the whole
 * index (63 s for 1M papers), so small daily harvests leave it to
 * `paperboy compact` (nightly, say).
 */
export interface AutoCompactPolicy {
  minWritten: number;
  minShare: number;
  minSegments: number;
}

export const AUTO_COMPACT: Readonly<AutoCompactPolicy> = Object.freeze({ minWritten: 10_000, minShare: 0.1, minSegments: 4 });

const USAGE = `Usage: paperboy compact

Merges the keyword search index into one segment per index: keyword queries on
a collection loaded by many imports get up to twice as fast. Imports of at
least ${AUTO_COMPACT.minWritten.toLocaleString('en')} papers (and ${AUTO_COMPACT.minShare * 100}% of the collection) do this by themselves; run
it from a nightly job when papers arrive by daily harvests. Searching and
importing keep working meanwhile.
`;

/** app_state key set while a compaction runs: still set at start means one was interrupted. */
export const COMPACTION_STATE_KEY = 'keyword_index:compaction_started';

/**
 * Compacts, leaving a mark in the store while it runs, so that a compaction
 * killed half-way (the index is then left with its segments unmerged) is
 * noticed and run again by the next import, `compact` or `serve`.
 */
export async function compactSearchIndexMarked(store: Store, opts: { minSegments?: number } = {}): Promise<SearchIndexCompaction> {
  await store.setState(COMPACTION_STATE_KEY, new Date().toISOString());
  const r = await store.compactSearchIndex(opts);
  await store.setState(COMPACTION_STATE_KEY, '');
  return r;
}

/** Whether a compaction started and never finished. */
export async function compactionInterrupted(store: Store): Promise<boolean> {
  return Boolean(await store.getState(COMPACTION_STATE_KEY));
}

/**
 * After a write command that wrote `written` papers: compact after a large
 * load (AUTO_COMPACT) or when an earlier compaction was interrupted, and say so.
 */
export async function compactAfterLargeLoad(store: Store, written: number, write: (line: string) => void, policy: AutoCompactPolicy = AUTO_COMPACT): Promise<void> {
  const interrupted = await compactionInterrupted(store);
  if (!interrupted && (written < policy.minWritten || written < policy.minShare * (await store.countPapers()))) return;
  if (interrupted) write('keyword index: finishing a compaction that was interrupted\n');
  const r = await compactSearchIndexMarked(store, { minSegments: interrupted ? 2 : policy.minSegments });
  if (r.segmentsAfter < r.segmentsBefore) write(`keyword index compacted: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s\n`);
}

export async function runCompact(args: string[], ctx: CommandContext): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 0) {
    ctx.stderr.write(`paperboy compact: unexpected argument "${args[0]}"\n\n${USAGE}`);
    return 1;
  }
  const r = await compactSearchIndexMarked(ctx.store);
  ctx.stdout.write(`keyword index: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s\n`);
  return 0;
}
