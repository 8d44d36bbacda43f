import { ConflictError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import type { DeviceRow } from '../store/schema.js';
import type { Db, Store, Tx } from '../store/store.js';
import type { Device, DeviceInput } from './types.js';
import { credentialNamesById, deviceNotFound } from './lookup.js';
import { rowToDevice } from './rows.js';
import { deviceColumns, groupIdsFor, loadNameResolver, newDeviceColumns } from './device-columns.js';

/** The device repository: parsed `Device` objects over the devices, group_members and credentials tables. */

/** Every device, by name. Three queries in all, whatever the inventory size. */
export async function listDevices(db: Db): Promise<Device[]> {
  const [rows, memberships, credentials] = await Promise.all([
    db.selectFrom('devices').selectAll().orderBy('name').execute(),
    membershipQuery(db).execute(),
    credentialNamesById(db),
  ]);
  const groupsByDevice = new Map<number, string[]>();
  for (const m of memberships) {
    const list = groupsByDevice.get(m.device_id);
    if (list) list.push(m.name);
    else groupsByDevice.set(m.device_id, [m.name]);
  }
  return rows.map((row) => toDevice(row, groupsByDevice.get(row.id) ?? [], credentials));
}

export async function findDevice(db: Db, name: string): Promise<Device | undefined> {
  const row = await db.selectFrom('devices').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? hydrateOne(db, row) : undefined;
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
export async function updateDevice(store: Store, name: string, patch: Partial<DeviceInput>): Promise<Device> {
  return store.write(async (tx) => {
    const row = await tx.selectFrom('devices').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw await deviceNotFound(tx, name);
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

export function membershipQuery(db: Db) {
  return db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.device_id', 'groups.name', 'groups.priority'])
    .orderBy('groups.priority')
    .orderBy('groups.name');
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
  const row = await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return hydrateOne(db, row);
}

async function hydrateOne(db: Db, row: DeviceRow): Promise<Device> {
  const [memberships, credential] = await Promise.all([
    membershipQuery(db).where('group_members.device_id', '=', row.id).execute(),
    row.credential_id === null
      ? Promise.resolve(undefined)
      : db.selectFrom('credentials').select('name').where('id', '=', row.credential_id).executeTakeFirst(),
  ]);
  return rowToDevice(row, memberships.map((m) => m.name), credential?.name ?? null);
}

function toDevice(row: DeviceRow, groups: string[], credentials: Map<number, string>): Device {
  return rowToDevice(row, groups, row.credential_id === null ? null : (credentials.get(row.credential_id) ?? null));
}
