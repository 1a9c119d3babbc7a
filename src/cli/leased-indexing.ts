// serve's background indexing (embedding new papers, training models) runs in
// one process of all those serving a database: the one holding the indexing
// lease. The others only serve; when the holder stops or dies, one of them
// takes the lease over within its time to live and carries on.
import type { Logger } from '../ops/logger.js';
import type { BackgroundIndexer } from '../search/index-papers.js';
import type { Store } from '../store/store.js';
import { LeaseKeeper, processHolderId, type LeaseKeeperOptions } from '../workers/lease-keeper.js';

export const INDEXING_LEASE = 'background-indexing';

export interface LeasedIndexing {
  /** Asks for a run, if this process holds the lease. */
  request(): void;
  /** Stops the indexer, then gives the lease up. */
  stop(): Promise<void>;
}

export async function leasedIndexing(
  store: Store,
  indexer: BackgroundIndexer,
  log: Logger,
  opts: Pick<LeaseKeeperOptions, 'ttlMs' | 'renewMs'> = {},
): Promise<LeasedIndexing> {
  const keeper = new LeaseKeeper(store, INDEXING_LEASE, processHolderId(), {
    ...opts,
    onChange: (held) => {
      log.info({ lease: INDEXING_LEASE, held }, held ? 'Background indexing runs in this process.' : 'Background indexing runs in another process.');
      if (held) indexer.request();
    },
    onError: (err) => log.error({ lease: INDEXING_LEASE, err }, 'indexing lease failed'),
  });
  await keeper.start();
  if (!keeper.held) log.info({ lease: INDEXING_LEASE, held: false }, 'Background indexing runs in another process.');
  return {
    request: () => {
      if (keeper.held) indexer.request();
    },
    stop: async () => {
      await indexer.stop();
      await keeper.stop();
    },
  };
}
