import { nowIso } from '../core/time.js';
import { isKnownPlatform, unknownPlatformHint } from '../platforms/index.js';
import type { Db, Store } from '../store/store.js';
import { listDevices } from '../inventory/devices.js';
import { saveDevices } from '../inventory/device-save.js';
import { transactionStore } from '../inventory/exchange/apply.js';
import { fieldChanges, type FieldChange } from '../inventory/exchange/compare.js';
import type { Device, DeviceInput } from '../inventory/types.js';
import { mapNetboxDevice, type MappedDevice, type PlatformResolver } from './mapping.js';
import type { NetboxDevice } from './types.js';

/** The device fields NetBox owns; a sync leaves every other field as the user set it. */
export const NETBOX_FIELDS = ['name', 'host', 'platform', 'site', 'role', 'vendor', 'model', 'tags', 'netboxId'] as const;

export interface NetboxDeviceChange {
  name: string;
  changes: FieldChange[];
}

export interface NetboxConflict {
  name: string;
  netboxId: number;
  /** why NetBox's device was not written */
  reason: string;
}

export interface NetboxSyncPlan {
  added: string[];
  changed: NetboxDeviceChange[];
  unchanged: string[];
  /** NetStacks devices from NetBox that NetBox no longer lists: marked, never deleted */
  missing: string[];
  /** already marked missing by an earlier sync and still absent */
  stillMissing: string[];
  conflicts: NetboxConflict[];
  /** NetBox devices without a name, which NetStacks cannot address */
  skipped: Array<{ netboxId: number; reason: string }>;
  /** slug (platform/manufacturer) → how many devices fell back to the default platform */
  unmappedPlatforms: Record<string, number>;
  /** false when filters limited the pull, so absence proves nothing */
  missingChecked: boolean;
  writes: {
    renames: Array<{ id: number; to: string }>;
    save: DeviceInput[];
    touch: number[];
    markMissing: number[];
  };
}

export interface PlanSyncOptions {
  platforms: PlatformResolver;
  /** mark NetBox devices absent from `devices` as missing; off when filters limited the pull */
  markMissing: boolean;
}

/**
 * Compares what NetBox lists with the inventory. A NetBox device matches the NetStacks device
 * with its NetBox id, else the one with its name. Devices that did not come from NetBox
 * (manual, import, lab) are never changed: a name clash is reported as a conflict.
 */
export async function planNetboxSync(db: Db, netboxDevices: readonly NetboxDevice[], options: PlanSyncOptions): Promise<NetboxSyncPlan> {
  const devices = await listDevices(db);
  const byName = new Map(devices.map((d) => [d.name, d]));
  const byNetboxId = new Map<number, Device>();
  for (const d of devices) if (d.source === 'netbox' && d.netboxId !== null) byNetboxId.set(d.netboxId, d);

  const plan: NetboxSyncPlan = {
    added: [], changed: [], unchanged: [], missing: [], stillMissing: [], conflicts: [], skipped: [], unmappedPlatforms: {},
    missingChecked: options.markMissing,
    writes: { renames: [], save: [], touch: [], markMissing: [] },
  };
  const matched = new Set<number>();
  const claimedNames = new Set<string>();

  for (const netboxDevice of netboxDevices) {
    const mapped = mapNetboxDevice(netboxDevice, options.platforms);
    if (!mapped) {
      plan.skipped.push({ netboxId: netboxDevice.id, reason: 'it has no name in NetBox' });
      continue;
    }
    const { input } = mapped;
    if (!isKnownPlatform(input.platform)) {
      // a platform NetStacks cannot drive: skip it (and keep it from being marked missing) rather than fail the sync
      const current = byNetboxId.get(input.netboxId) ?? byName.get(input.name);
      if (current) matched.add(current.id);
      plan.skipped.push({ netboxId: input.netboxId, reason: `'${input.name}' maps to unknown platform '${input.platform}' (${unknownPlatformHint(input.platform)})` });
      continue;
    }
    if (claimedNames.has(input.name)) {
      plan.conflicts.push({ name: input.name, netboxId: input.netboxId, reason: 'another NetBox device has the same name' });
      continue;
    }
    const current = byNetboxId.get(input.netboxId) ?? byName.get(input.name);
    if (current && current.source !== 'netbox') {
      plan.conflicts.push({ name: input.name, netboxId: input.netboxId, reason: `a ${current.source} device has this name; it is left as it is` });
      continue;
    }
    const holder = byName.get(input.name);
    if (current && holder && holder.id !== current.id) {
      plan.conflicts.push({ name: input.name, netboxId: input.netboxId, reason: `renaming '${current.name}' would clash with the ${holder.source} device '${holder.name}'` });
      matched.add(current.id);
      continue;
    }
    claimedNames.add(input.name);
    noteUnmapped(plan, mapped);
    if (!current) {
      plan.added.push(input.name);
      plan.writes.save.push(input);
      continue;
    }
    matched.add(current.id);
    const changes = fieldChanges(current as unknown as Record<string, unknown>, input as unknown as Record<string, unknown>, NETBOX_FIELDS);
    if (current.missingSince !== null) changes.push({ field: 'missingSince', from: current.missingSince, to: null });
    if (changes.length === 0) {
      plan.unchanged.push(input.name);
      plan.writes.touch.push(current.id);
      continue;
    }
    plan.changed.push({ name: input.name, changes });
    if (current.name !== input.name) plan.writes.renames.push({ id: current.id, to: input.name });
    plan.writes.save.push(input);
  }

  if (options.markMissing) {
    for (const device of devices) {
      if (device.source !== 'netbox' || matched.has(device.id)) continue;
      if (device.missingSince === null) {
        plan.missing.push(device.name);
        plan.writes.markMissing.push(device.id);
      } else plan.stillMissing.push(device.name);
    }
  }
  return plan;
}

function noteUnmapped(plan: NetboxSyncPlan, mapped: MappedDevice): void {
  if (mapped.unmappedPlatform) plan.unmappedPlatforms[mapped.unmappedPlatform] = (plan.unmappedPlatforms[mapped.unmappedPlatform] ?? 0) + 1;
}

const CHUNK = 500;

/**
 * Writes a sync plan in one transaction: renames, then upserts of added and changed devices
 * (stamping last_synced_at and clearing missing_since), then last_synced_at on unchanged
 * devices, then missing_since on devices NetBox no longer lists.
 */
export async function applyNetboxSync(store: Store, plan: NetboxSyncPlan, now: string = nowIso()): Promise<void> {
  const { renames, save, touch, markMissing } = plan.writes;
  await store.write(async (tx) => {
    // two steps, so swapping two names never trips the unique index half-way
    for (const { id } of renames) await tx.updateTable('devices').set({ name: `.netbox-rename.${id}` }).where('id', '=', id).execute();
    for (const { id, to } of renames) await tx.updateTable('devices').set({ name: to }).where('id', '=', id).execute();
    if (save.length > 0) await saveDevices(transactionStore(tx), save, { source: 'netbox', syncedAt: now });
    for (let i = 0; i < touch.length; i += CHUNK) {
      await tx.updateTable('devices').set({ last_synced_at: now }).where('id', 'in', touch.slice(i, i + CHUNK)).execute();
    }
    for (let i = 0; i < markMissing.length; i += CHUNK) {
      await tx.updateTable('devices').set({ missing_since: now }).where('id', 'in', markMissing.slice(i, i + CHUNK)).execute();
    }
  });
}

/** The plan as printed with --json. */
export function describeSyncPlan(plan: NetboxSyncPlan): Record<string, unknown> {
  return {
    summary: {
      added: plan.added.length,
      changed: plan.changed.length,
      unchanged: plan.unchanged.length,
      missing: plan.missing.length,
      conflicts: plan.conflicts.length,
    },
    added: plan.added,
    changed: plan.changed,
    missing: plan.missing,
    stillMissing: plan.stillMissing,
    conflicts: plan.conflicts,
    skipped: plan.skipped,
    unmappedPlatforms: plan.unmappedPlatforms,
    missingChecked: plan.missingChecked,
  };
}
