// Holding a lease (Store.acquireLease) for as long as this process runs:
// tries to take it every `renewMs`, which also renews it while held, so a
// holder that dies loses it within `ttlMs` and the next process to try takes
// it over. `held` says whether this process may do the leased work now.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

export interface LeaseKeeperOptions {
  /** How long a lease lasts without renewal (default 30 s). */
  ttlMs?: number;
  /** How often it is renewed or tried for (default a third of ttlMs). */
  renewMs?: number;
  /** Called when this process gains (true) or loses (false) the lease. */
  onChange?: (held: boolean) => void;
  onError?: (err: unknown) => void;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

/** Names this process among those sharing a database: host, pid and a random part. */
export function processHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export class LeaseKeeper {
  private heldNow = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly ttlMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly store: Store,
    readonly name: string,
    readonly holder: string,
    private readonly opts: LeaseKeeperOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.renewMs = opts.renewMs ?? Math.max(10, Math.floor(this.ttlMs / 3));
  }

  get held(): boolean {
    return this.heldNow;
  }

  /** Tries for the lease now and then every renewMs; resolves after the first try. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.renewMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    this.ticking ??= this.store
      .acquireLease(this.name, this.holder, this.ttlMs)
      .then(
        (got) => this.set(got),
        (err: unknown) => {
          // Unable to renew: assume it is lost rather than risk doing the work twice for long.
          this.set(false);
          this.opts.onError?.(err);
        },
      )
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private set(held: boolean): void {
    if (held === this.heldNow) return;
    this.heldNow = held;
    this.opts.onChange?.(held);
  }

  /** Stops renewing and gives the lease up, so another process takes over at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.heldNow) {
      this.heldNow = false;
      await this.store.releaseLease(this.name, this.holder).catch((err: unknown) => this.opts.onError?.(err));
    }
  }
}
