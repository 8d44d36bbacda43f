import { afterAll, beforeAll } from 'vitest';
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
