import type { Config } from '../config.js';
import type { Store } from '../store/store.js';

/** What every route module receives. */
export interface AppContext {
  store: Store;
  config: Config;
}
