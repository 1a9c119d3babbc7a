import type { Config } from '../config.js';
import type { SearchService } from '../search/search-service.js';
import type { Store } from '../store/store.js';

/** What every route module receives. */
export interface AppContext {
  store: Store;
  config: Config;
  /** Search with the semantic index when the server has one; absent means keyword search over `store`. */
  search?: SearchService;
}
