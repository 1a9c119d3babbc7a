import type { Store } from '../store/store.js';
import type { CommandContext } from './main.js';

/**
 * Imports and harvests compact the keyword index once it has this many
 * segments per index. Each import adds one; FTS5 merges them lazily, which
 * leaves about a dozen after a large load (13 for 1M papers imported 1,000 at
 * a time), and then each query term is read from every one of them.
 */
export const AUTO_COMPACT_SEGMENTS = 8;

const USAGE = `Usage: paperboy compact

Merges the keyword search index into one segment per index: keyword queries on
a collection loaded by many imports get about twice as fast. Imports and
harvests do this by themselves once an index has ${AUTO_COMPACT_SEGMENTS} segments; run it after a large
load or from a nightly job. Searching and importing keep working meanwhile.
`;

/** After a write command: compact when the index has grown fragmented, and say so. */
export async function compactIfFragmented(store: Store, write: (line: string) => void): Promise<void> {
  const r = await store.compactSearchIndex({ minSegments: AUTO_COMPACT_SEGMENTS });
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
  const r = await ctx.store.compactSearchIndex();
  ctx.stdout.write(`keyword index: ${r.segmentsBefore} segments -> ${r.segmentsAfter} in ${r.seconds.toFixed(1)} s\n`);
  return 0;
}
