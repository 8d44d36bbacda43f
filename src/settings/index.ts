import type { Db } from '../store/store.js';
import type { Timeouts } from '../inventory/types.js';

/** Typed view of all settings with defaults applied. */
export interface Settings {
  timezone: string;
  /** seconds */
  timeouts: Timeouts;
  concurrency: number;
  backupRetentionDays: number;
  netboxUrl: string | null;
  strictHostKeys: boolean;
  secretsBackend: 'auto' | 'keychain' | 'vault';
  /** which timeouts were set explicitly (they then win over platform defaults) */
  explicit: Set<string>;
}

// Stub: contract for the settings work.
export async function readSettings(_db: Db): Promise<Settings> {
  throw new Error('settings not implemented yet');
}
