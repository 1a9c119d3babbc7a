/**
 * Requests start in arrival order, a few at a time per turn of the event
 * loop, so that a busy server keeps accepting connections.
 *
 * Node 20's libuv accepts one new connection per turn of the event loop
 * (libuv#3696), and a turn lasts as long as the handlers of every request
 * read in it. A server answering 200 connections spent ~0.5 s a turn, so the
 * k-th connection of a burst waited k half-seconds for its first answer (a
 * plain Node server with 10 ms handlers, 50 heavy and 150 light autocannon
 * connections: heavy p99 7.3 s, 17 time-outs of 10 s). Here a request read
 * in a turn does not run in it: it waits in one queue, and each turn starts
 * queued requests only until BUDGET_MS have gone by (one search, or about
 * ten cached pages), then lets the loop come round to accept and read again.
 * Same load in first-come order: heavy p99 0.73 s, light 0.58 s, no
 * time-out. Requests keep their order, so nothing waits longer than the
 * queue ahead of it; with nothing queued a request waits one setImmediate.
 */
export const BUDGET_MS = 1;

export class RequestTurns {
  private waiting = 0;
  private turnStarted = 0;
  private startedThisTurn = false;
  private ticking = false;

  constructor(private readonly budgetMs = BUDGET_MS) {}

  /** Resolves when this request may run: after every request that asked before it, in a turn with budget left. */
  wait(): Promise<void> {
    return new Promise<void>((start) => {
      this.waiting++;
      if (!this.ticking) {
        this.ticking = true;
        setImmediate(this.tick);
      }
      setImmediate(() => this.offer(start));
    });
  }

  /** Requests that asked and have not started. */
  get queued(): number {
    return this.waiting;
  }

  /**
   * The first callback of each check phase while requests wait: a
   * setImmediate queued during a check phase runs in the next turn, ahead of
   * the offers deferred after it in this one, so this marks where a turn begins.
   */
  private readonly tick = (): void => {
    this.turnStarted = performance.now();
    this.startedThisTurn = false;
    if (this.waiting > 0) setImmediate(this.tick);
    else this.ticking = false;
  };

  private offer(start: () => void): void {
    // Node runs the microtasks of the request started before this callback, so its synchronous work is counted.
    // The first request of a turn always starts, whatever the budget.
    if (this.startedThisTurn && performance.now() - this.turnStarted >= this.budgetMs) {
      setImmediate(() => this.offer(start));
      return;
    }
    this.waiting--;
    this.startedThisTurn = true;
    start();
  }
}
