// On PostgreSQL, serve keeps its local keyword index (store/postgres/
// local-search-index.ts) current in the background: caught up once before
// serving, then woken by every commit (LISTEN/NOTIFY, with a poll for lost
// notices), so a paper written through any process is searchable here
// within about a second. A large first catch-up (a new process, or one that
// was down during an import) is compacted before serving, as an import is.
// On SQLite there is nothing to follow.
import type { Config } from '../config.js';
import type { Logger } from '../ops/logger.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { followChanges, type SearchIndexFollower } from '../store/postgres/search-index-follower.js';
import type { Store } from '../store/store.js';
import { compactAfterLargeLoad } from './compact.js';

export async function followDatabaseChanges(store: Store, config: Config, log: Logger): Promise<SearchIndexFollower | null> {
  if (!(store instanceof PostgresStore) || config.database.backend !== 'postgres') return null;
  const started = performance.now();
  const index = await store.localSearchIndex();
  const before = index.appliedSeq;
  await index.catchUp();
  log.info({ seconds: (performance.now() - started) / 1000, seq: index.appliedSeq, applied: index.appliedSeq - before }, 'local keyword index caught up with the database');
  // Before serving, so no request waits for it; the marker lives in the local index, as the compaction does.
  await compactAfterLargeLoad(index.index, index.appliedSeq - before, (line) => log.info(line.trimEnd()));
  return followChanges(index, config.database.url, { onError: (err) => log.error({ err }, 'following database changes failed') });
}
