import { ConflictError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import { sql, type SqlBool } from 'kysely';
import type { Db, Store, Tx } from '../store/store.js';
import type { Device, DeviceInput } from './types.js';
import { deviceNotFound } from './lookup.js';
import { queryDevices } from './device-query.js';
import { deviceColumns, groupIdsFor, loadNameResolver, newDeviceColumns } from './device-columns.js';

/** The device repository: parsed `Device` objects over the devices, group_members and credentials tables. */

/** Every device, by name, in one query whatever the inventory size. */
export async function listDevices(db: Db): Promise<Device[]> {
  return queryDevices(db);
}

export async function findDevice(db: Db, name: string): Promise<Device | undefined> {
  const [device] = await queryDevices(db, sql<SqlBool>`d.name = ${name}`);
  return device;
}

/** The named device, or NotFoundError suggesting the nearest name. */
export async function getDevice(db: Db, name: string): Promise<Device> {
  const device = await findDevice(db, name);
  if (!device) throw await deviceNotFound(db, name);
  return device;
}

export async function addDevice(store: Store, input: DeviceInput): Promise<Device> {
  return store.write(async (tx) => {
    const names = await loadNameResolver(tx);
    const values = newDeviceColumns(input, names, 'manual', nowIso());
    const groupIds = groupIdsFor(input.groups ?? [], names);
    await assertNameFree(tx, values.name);
    const result = await tx.insertInto('devices').values(values).executeTakeFirstOrThrow();
    const id = Number(result.insertId);
    await setMemberships(tx, id, groupIds);
    return loadById(tx, id);
  });
}

/** Changes the fields present in `patch`; `patch.name` renames; `patch.groups` replaces memberships. */
/**
 * Changes a device. `patch` may be a function of the device as it is inside the write
 * transaction (tags to add to the current ones, say), so concurrent edits never lose one another.
 */
export async function updateDevice(store: Store, name: string, change: Partial<DeviceInput> | ((current: Device) => Partial<DeviceInput>)): Promise<Device> {
  return store.write(async (tx) => {
    const row = await tx.selectFrom('devices').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw await deviceNotFound(tx, name);
    const patch = typeof change === 'function' ? change(await loadById(tx, row.id)) : change;
    const names = await loadNameResolver(tx);
    const columns = deviceColumns(name, patch, names);
    const groupIds = patch.groups === undefined ? undefined : groupIdsFor(patch.groups, names);
    if (columns.name !== undefined && columns.name !== row.name) await assertNameFree(tx, columns.name);
    await tx.updateTable('devices').set({ ...columns, updated_at: nowIso() }).where('id', '=', row.id).execute();
    if (groupIds) await setMemberships(tx, row.id, groupIds, true);
    return loadById(tx, row.id);
  });
}

/** Removes the device with its memberships and override (foreign keys cascade). */
export async function removeDevice(store: Store, name: string): Promise<void> {
  await store.write(async (tx) => {
    const result = await tx.deleteFrom('devices').where('name', '=', name).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw await deviceNotFound(tx, name);
  });
}

export async function setMemberships(tx: Tx, deviceId: number, groupIds: readonly number[], replace = false): Promise<void> {
  if (replace) await tx.deleteFrom('group_members').where('device_id', '=', deviceId).execute();
  if (groupIds.length === 0) return;
  await tx
    .insertInto('group_members')
    .values(groupIds.map((groupId) => ({ group_id: groupId, device_id: deviceId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function assertNameFree(tx: Tx, name: string): Promise<void> {
  const clash = await tx.selectFrom('devices').select('id').where('name', '=', name).executeTakeFirst();
  if (clash) throw new ConflictError(`device '${name}' already exists`, `use 'netstacks device edit ${name}' to change it, or pick another name`);
}

async function loadById(db: Db, id: number): Promise<Device> {
  const [device] = await queryDevices(db, sql<SqlBool>`d.id = ${id}`);
  if (!device) throw new Error(`device id ${id} vanished inside its own transaction`);
  return device;
}
