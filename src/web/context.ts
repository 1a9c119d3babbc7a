import type { Config } from '../config.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { SearchService } from '../search/search-service.js';
import type { Store } from '../store/store.js';

/** What every route module receives. */
export interface AppContext {
  store: Store;
  config: Config;
  /** Search with the semantic index when the server has one; absent means keyword search over `store`. */
  search?: SearchService;
  /** Where errors (and, with PAPERBOY_LOG_REQUESTS, requests) are logged; absent: JSON on standard error. */
  log?: Logger;
  /** The server's metrics; absent: the app keeps its own. */
  metrics?: Metrics;
}
