import type { Store } from '../store/store.js';
import { fetchNetboxDevices, type NetboxFetchOptions } from './client.js';
import { PlatformResolver, type PlatformMap } from './mapping.js';
import { applyNetboxSync, planNetboxSync, type NetboxSyncPlan } from './sync.js';

export { fetchNetboxDevices, netboxBaseUrl, maskSecret, type NetboxFetchOptions, type NetboxFetchResult } from './client.js';
export { mapNetboxDevice, parsePlatformMap, PlatformResolver, DEFAULT_PLATFORM_MAP, FALLBACK_PLATFORM, type PlatformMap, type MappedDevice } from './mapping.js';
export { planNetboxSync, applyNetboxSync, describeSyncPlan, NETBOX_FIELDS, type NetboxSyncPlan, type NetboxConflict } from './sync.js';
export {
  readNetboxSettings, readPlatformMapFile, resolveNetboxToken, platformChecker, NETBOX_TOKEN_KEY, type NetboxSettings, type TokenSources,
} from './config.js';
export type { NetboxDevice, NetboxPage } from './types.js';

export interface SyncOptions extends Omit<NetboxFetchOptions, 'filters'> {
  filters?: ReadonlyArray<readonly [string, string]>;
  /** user map: wins over the defaults */
  platformMap?: PlatformMap;
  dryRun?: boolean;
}

export interface SyncResult {
  plan: NetboxSyncPlan;
  pages: number;
  fetched: number;
}

/**
 * Pulls NetBox's devices and brings the inventory in line: plan, then (unless dryRun) apply.
 * Filters limit the pull, so with filters nothing is marked missing.
 */
export async function syncFromNetbox(store: Store, options: SyncOptions): Promise<SyncResult> {
  const { devices, pages } = await fetchNetboxDevices(options);
  const filtered = (options.filters?.length ?? 0) > 0;
  const plan = await planNetboxSync(store.db, devices, { platforms: new PlatformResolver(options.platformMap), markMissing: !filtered });
  if (!options.dryRun) await applyNetboxSync(store, plan);
  return { plan, pages, fetched: devices.length };
}
