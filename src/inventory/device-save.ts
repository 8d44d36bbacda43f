import { ValidationError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import type { DeviceRow, DeviceRowUpdate } from '../store/schema.js';
import type { Store, Tx } from '../store/store.js';
import type { DeviceSource } from './types.js';
import { deviceColumns, groupIdsFor, loadNameResolver, newDeviceColumns, type DeviceUpsert } from './device-columns.js';
import { setMemberships } from './devices.js';
import { validName } from './validate.js';

export interface SaveDevicesOptions {
  /** source recorded on added and changed devices, unless an input names its own */
  source: DeviceSource;
  /** sync time (NetBox): stamps last_synced_at on every saved device and clears missing_since */
  syncedAt?: string;
}

export interface SaveDevicesResult {
  added: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Bulk upsert by name in one transaction: new names are inserted (host required), existing ones
 * get the fields present in their input (absent fields stay as they are). `groups`, when given, replaces the
 * device's memberships. Unchanged devices are not touched, so re-importing the same file is a no-op.
 */
export async function saveDevices(store: Store, inputs: readonly DeviceUpsert[], options: SaveDevicesOptions): Promise<SaveDevicesResult> {
  const result: SaveDevicesResult = { added: [], updated: [], unchanged: [] };
  const seen = new Set<string>();
  for (const input of inputs) {
    const name = validName('device', input.name);
    if (seen.has(name)) throw new ValidationError(`device '${name}' appears more than once in the input`, 'each device name must be unique');
    seen.add(name);
  }

  await store.write(async (tx) => {
    const names = await loadNameResolver(tx);
    const existing = await loadExisting(tx);
    const now = nowIso();
    const syncColumns = options.syncedAt ? { last_synced_at: options.syncedAt, missing_since: null } : {};

    for (const input of inputs) {
      const name = validName('device', input.name);
      const groupIds = input.groups === undefined ? undefined : groupIdsFor(input.groups, names);
      const current = existing.get(name);
      if (!current) {
        const values = { ...newDeviceColumns(input, names, options.source, now), ...syncColumns };
        const inserted = await tx.insertInto('devices').values(values).executeTakeFirstOrThrow();
        if (groupIds) await setMemberships(tx, Number(inserted.insertId), groupIds);
        result.added.push(name);
        continue;
      }
      const columns: DeviceRowUpdate = { ...deviceColumns(name, input, names), source: input.source ?? options.source };
      const rowChanged = differs(current.row, columns);
      const groupsChanged = groupIds !== undefined && !sameMembers(current.groupIds, groupIds);
      if (rowChanged) await tx.updateTable('devices').set({ ...columns, ...syncColumns, updated_at: now }).where('id', '=', current.row.id).execute();
      else if (options.syncedAt) await tx.updateTable('devices').set(syncColumns).where('id', '=', current.row.id).execute();
      if (groupsChanged && groupIds) await setMemberships(tx, current.row.id, groupIds, true);
      (rowChanged || groupsChanged ? result.updated : result.unchanged).push(name);
    }
  });
  return result;
}

interface ExistingDevice {
  row: DeviceRow;
  groupIds: number[];
}

async function loadExisting(tx: Tx): Promise<Map<string, ExistingDevice>> {
  const [rows, memberships] = await Promise.all([
    tx.selectFrom('devices').selectAll().execute(),
    tx.selectFrom('group_members').select(['device_id', 'group_id']).execute(),
  ]);
  const groupsById = new Map<number, number[]>();
  for (const m of memberships) {
    const list = groupsById.get(m.device_id);
    if (list) list.push(m.group_id);
    else groupsById.set(m.device_id, [m.group_id]);
  }
  return new Map(rows.map((row) => [row.name, { row, groupIds: groupsById.get(row.id) ?? [] }]));
}

function differs(row: DeviceRow, columns: DeviceRowUpdate): boolean {
  return Object.entries(columns).some(([key, value]) => value !== undefined && row[key as keyof DeviceRow] !== value);
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
