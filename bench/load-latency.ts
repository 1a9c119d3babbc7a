/**
 * Latencies of one autocannon instance with when each request was sent, so a
 * percentile can leave out the first seconds of a run. When a run opens many
 * connections at once against a busy Node server, their first requests queue
 * behind the connections already served (a plain Node server with 5 ms
 * handlers shows it too: p50 0.26 s, p99 2 s), which says how the run started
 * rather than how the server holds a steady load.
 */
export class LatencyLog {
  private readonly sentAt: number[] = [];
  private readonly ms: number[] = [];

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** A response that took `ms`, arriving now. */
  record(ms: number): void {
    this.sentAt.push(this.clock() - ms);
    this.ms.push(ms);
  }

  get size(): number {
    return this.ms.length;
  }

  /** The p-th percentile (nearest rank) of the requests sent at or after `from`; null when there are none. */
  percentileSince(p: number, from: number): number | null {
    const kept = this.ms.filter((_, i) => (this.sentAt[i] as number) >= from).sort((a, b) => a - b);
    if (kept.length === 0) return null;
    return kept[Math.min(kept.length - 1, Math.max(0, Math.ceil((p / 100) * kept.length) - 1))] as number;
  }
}
