import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { homeFiles } from '../../src/core/paths.js';
import { openSqliteStore, type Store } from '../../src/store/store.js';
import { tempHome } from './cli.js';

/**
 * A store in a fresh home for the whole file: opened in beforeAll and handed to `opened`, closed
 * and the home removed in afterAll. Returns the home's folder.
 */
export function useTempStore(prefix: string, opened: (store: Store) => void): string {
  const temp = tempHome(prefix);
  let store: Store | undefined;
  beforeAll(async () => {
    store = await openSqliteStore(homeFiles.database(temp.home));
    opened(store);
  });
  afterAll(async () => {
    await store?.close();
    temp.cleanup();
  });
  return temp.home;
}

/** A small deterministic generator (an LCG), so a failure reproduces from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Stores that last one test: `newStore` opens a store in a fresh home (its database `file` at
 * `home/netstacks.db`); after each test, everything pushed on `cleanups` runs, newest first, which
 * closes those stores and removes their homes. Call it inside a describe block.
 */
export function storesPerTest(): { newStore: () => Promise<{ store: Store; file: string }>; cleanups: Array<() => Promise<void> | void> } {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function newStore(): Promise<{ store: Store; file: string }> {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const file = join(home, 'netstacks.db');
    const store = await openSqliteStore(file);
    cleanups.push(() => store.close());
    return { store, file };
  }
  return { newStore, cleanups };
}
