import { ConflictError, ValidationError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import type { GroupRow } from '../store/schema.js';
import type { Db, Store, Tx } from '../store/store.js';
import type { Group, SshOptions } from './types.js';
import { credentialIdByName, credentialNamesById, deviceIdByName, groupIdByName, groupNotFound } from './lookup.js';
import { byPrecedence, rowToGroup } from './rows.js';
import { optionalText, validName, validPriority, validSsh, validVariables } from './validate.js';

/**
 * The group repository. A group's variables, SSH options and credential apply to its members;
 * groups apply in ascending priority, then name, so a later (higher priority) group wins.
 * The group named `defaults` is special: see DEFAULTS_GROUP.
 */

/** Its variables and SSH options are the lowest layer for every device, member or not. */
export const DEFAULTS_GROUP = 'defaults';

export interface GroupInput {
  name: string;
  description?: string | null;
  priority?: number;
  variables?: Record<string, unknown>;
  ssh?: SshOptions;
  credential?: string | null;
}

/** All groups in precedence order (ascending priority, then name). */
export async function listGroups(db: Db): Promise<Group[]> {
  const [rows, members, credentials] = await Promise.all([
    db.selectFrom('groups').selectAll().execute(),
    db
      .selectFrom('group_members')
      .innerJoin('devices', 'devices.id', 'group_members.device_id')
      .select(['group_members.group_id', 'devices.name'])
      .orderBy('devices.name')
      .execute(),
    credentialNamesById(db),
  ]);
  const membersByGroup = new Map<number, string[]>();
  for (const m of members) {
    const list = membersByGroup.get(m.group_id);
    if (list) list.push(m.name);
    else membersByGroup.set(m.group_id, [m.name]);
  }
  return rows
    .sort(byPrecedence)
    .map((row) => rowToGroup(row, membersByGroup.get(row.id) ?? [], row.credential_id === null ? null : (credentials.get(row.credential_id) ?? null)));
}

export async function findGroup(db: Db, name: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? hydrate(db, row) : undefined;
}

/** The named group, or NotFoundError suggesting the nearest name. */
export async function getGroup(db: Db, name: string): Promise<Group> {
  const group = await findGroup(db, name);
  if (!group) throw await groupNotFound(db, name);
  return group;
}

export async function addGroup(store: Store, input: GroupInput): Promise<Group> {
  return store.write(async (tx) => {
    const name = validName('group', input.name);
    await assertNameFree(tx, name);
    const columns = await groupColumns(tx, name, input);
    const now = nowIso();
    const result = await tx
      .insertInto('groups')
      .values({ variables: '{}', ssh: '{}', priority: 0, ...columns, name, created_at: now, updated_at: now })
      .executeTakeFirstOrThrow();
    return loadById(tx, Number(result.insertId));
  });
}

/** Changes the fields present in `patch`; `patch.name` renames. */
export async function updateGroup(store: Store, name: string, patch: Partial<GroupInput>): Promise<Group> {
  return store.write(async (tx) => {
    const row = await tx.selectFrom('groups').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
    if (!row) throw await groupNotFound(tx, name);
    const columns = await groupColumns(tx, name, patch);
    if (patch.name !== undefined) {
      const newName = validName('group', patch.name);
      if (newName !== row.name) await assertNameFree(tx, newName);
      Object.assign(columns, { name: newName });
    }
    await tx.updateTable('groups').set({ ...columns, updated_at: nowIso() }).where('id', '=', row.id).execute();
    return loadById(tx, row.id);
  });
}

/** Removes the group; its members stay in the inventory. */
export async function removeGroup(store: Store, name: string): Promise<void> {
  await store.write(async (tx) => {
    const result = await tx.deleteFrom('groups').where('name', '=', name).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw await groupNotFound(tx, name);
  });
}

/** Adds one or more devices to the group, all or none; adding a member again changes nothing. */
export async function addDeviceToGroup(store: Store, group: string, device: string | readonly string[]): Promise<Group> {
  return store.write(async (tx) => {
    const groupId = await groupIdByName(tx, group);
    for (const name of typeof device === 'string' ? [device] : device) {
      const deviceId = await deviceIdByName(tx, name);
      await tx.insertInto('group_members').values({ group_id: groupId, device_id: deviceId }).onConflict((oc) => oc.doNothing()).execute();
    }
    return loadById(tx, groupId);
  });
}

/** Removes one or more devices from the group, all or none; a device that is not a member is an error. */
export async function removeDeviceFromGroup(store: Store, group: string, device: string | readonly string[]): Promise<Group> {
  return store.write(async (tx) => {
    const groupId = await groupIdByName(tx, group);
    for (const name of typeof device === 'string' ? [device] : device) {
      const deviceId = await deviceIdByName(tx, name);
      const result = await tx.deleteFrom('group_members').where('group_id', '=', groupId).where('device_id', '=', deviceId).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new ValidationError(`device '${name}' is not in group '${group}'`, `run 'netstacks group show ${group}' to see its members`);
    }
    return loadById(tx, groupId);
  });
}

async function groupColumns(tx: Tx, group: string, input: Partial<GroupInput>) {
  const columns: { description?: string | null; priority?: number; variables?: string; ssh?: string; credential_id?: number | null } = {};
  if (input.description !== undefined) columns.description = optionalText(input.description);
  if (input.priority !== undefined) columns.priority = validPriority(group, input.priority);
  if (input.variables !== undefined) columns.variables = JSON.stringify(validVariables(`group '${group}'`, input.variables));
  if (input.ssh !== undefined) columns.ssh = JSON.stringify(validSsh(`group '${group}'`, input.ssh));
  if (input.credential !== undefined) {
    const credential = optionalText(input.credential);
    if (credential !== null && group === DEFAULTS_GROUP) {
      throw new ValidationError(`the '${DEFAULTS_GROUP}' group cannot carry a credential`, `make it the default credential instead: netstacks credential set-default ${credential}`);
    }
    columns.credential_id = credential === null ? null : await credentialIdByName(tx, credential);
  }
  return columns;
}

async function assertNameFree(tx: Tx, name: string): Promise<void> {
  const clash = await tx.selectFrom('groups').select('id').where('name', '=', name).executeTakeFirst();
  if (clash) throw new ConflictError(`group '${name}' already exists`, `use 'netstacks group show ${name}' to see it, or pick another name`);
}

async function loadById(db: Db, id: number): Promise<Group> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return hydrate(db, row);
}

async function hydrate(db: Db, row: GroupRow): Promise<Group> {
  const [members, credential] = await Promise.all([
    db
      .selectFrom('group_members')
      .innerJoin('devices', 'devices.id', 'group_members.device_id')
      .select('devices.name')
      .where('group_members.group_id', '=', row.id)
      .orderBy('devices.name')
      .execute(),
    row.credential_id === null
      ? Promise.resolve(undefined)
      : db.selectFrom('credentials').select('name').where('id', '=', row.credential_id).executeTakeFirst(),
  ]);
  return rowToGroup(row, members.map((m) => m.name), credential?.name ?? null);
}
