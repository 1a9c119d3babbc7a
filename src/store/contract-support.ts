// Shared by the Store contract suites: each case gets a fresh store, closed afterwards.
import { test } from 'node:test';
import type { Store } from './store.js';

export type StoreTest = (title: string, fn: (store: Store) => Promise<void>) => void;

/** Registers `${prefix}: ${title}` tests, each run against its own fresh store. */
export function storeTests(prefix: string, freshStore: () => Promise<Store>): StoreTest {
  return (title, fn) =>
    test(`${prefix}: ${title}`, async () => {
      const store = await freshStore();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
}
