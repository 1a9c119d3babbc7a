// On PostgreSQL, serve keeps its local keyword index (store/postgres/
// local-search-index.ts) current in the background: caught up once before
// serving, then woken by every commit (LISTEN/NOTIFY, with a poll for lost
// notices), so a paper written through any process is searchable here
// within about a second. A large first catch-up (a new process, or one that
// was down during an import) is compacted before serving, as an import is;
// while serving, once it has taken in `compactAfter` more papers, the index
// is compacted in a worker thread. On SQLite there is nothing to follow.
import type { Config } from '../config.js';
import type { Logger } from '../ops/logger.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { followChanges, type SearchIndexFollower } from '../store/postgres/search-index-follower.js';
import type { Store } from '../store/store.js';
import { join } from 'node:path';
import { SEARCH_INDEX_FILE } from '../store/postgres/local-search-index.js';
import { AUTO_COMPACT, compactAfterLargeLoad } from './compact.js';
import { compactInWorker } from './finish-compaction.js';

export interface FollowDatabaseOptions {
  /** Papers taken in while serving after which the local index is compacted (default AUTO_COMPACT.minWritten). */
  compactAfter?: number;
  /** How often that is checked (default 10 s). */
  checkMs?: number;
}

export async function followDatabaseChanges(store: Store, config: Config, log: Logger, opts: FollowDatabaseOptions = {}): Promise<SearchIndexFollower | null> {
  if (!(store instanceof PostgresStore) || config.database.backend !== 'postgres') return null;
  const started = performance.now();
  const index = await store.localSearchIndex();
  const before = index.appliedSeq;
  await index.catchUp();
  log.info({ seconds: (performance.now() - started) / 1000, seq: index.appliedSeq, applied: index.appliedSeq - before }, 'local keyword index caught up with the database');
  // Before serving, so no request waits for it; the marker lives in the local index, as the compaction does.
  await compactAfterLargeLoad(index.index, index.appliedSeq - before, (line) => log.info(line.trimEnd()));
  const follower = await followChanges(index, config.database.url, { onError: (err) => log.error({ err }, 'following database changes failed') });

  let compactedAt = index.appliedSeq;
  let compacting: Promise<void> | null = null;
  const compactAfter = opts.compactAfter ?? AUTO_COMPACT.minWritten;
  const local = { database: { backend: 'sqlite' as const, path: join(config.dataDir, SEARCH_INDEX_FILE) }, ftsExtension: config.ftsExtension, dataDir: config.dataDir };
  const timer = setInterval(() => {
    const seq = index.appliedSeq;
    if (compacting !== null || seq - compactedAt < compactAfter) return;
    compacting = compactInWorker({ store: local, catchUp: true }, (line) => log.info({ papersSince: seq - compactedAt }, line)).finally(() => {
      compactedAt = seq;
      compacting = null;
    });
  }, opts.checkMs ?? 10_000);
  timer.unref();
  return {
    // A compaction in progress is left to die with the process: its marker makes the next start finish it.
    async stop() {
      clearInterval(timer);
      await follower.stop();
    },
  };
}
