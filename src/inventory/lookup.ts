import { NotFoundError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import type { Db } from '../store/store.js';

/** Name ↔ id lookups shared by the repositories; unknown names fail with the nearest suggestion. */

export async function credentialNamesById(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('credentials').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function credentialName(db: Db, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const row = await db.selectFrom('credentials').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? null;
}

export async function credentialIdByName(db: Db, name: string): Promise<number> {
  return idByName(db, 'credentials', name);
}

export async function deviceIdByName(db: Db, name: string): Promise<number> {
  return idByName(db, 'devices', name);
}

export async function deviceNotFound(db: Db, name: string): Promise<NotFoundError> {
  return notFound(db, 'devices', name);
}

export async function groupIdByName(db: Db, name: string): Promise<number> {
  return idByName(db, 'groups', name);
}

export async function groupNotFound(db: Db, name: string): Promise<NotFoundError> {
  return notFound(db, 'groups', name);
}

type NamedTable = 'credentials' | 'devices' | 'groups';
const KIND: Record<NamedTable, string> = { credentials: 'credential', devices: 'device', groups: 'group' };

async function idByName(db: Db, table: NamedTable, name: string): Promise<number> {
  const row = await db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirst();
  if (row) return row.id;
  throw await notFound(db, table, name);
}

async function notFound(db: Db, table: NamedTable, name: string): Promise<NotFoundError> {
  const names = (await db.selectFrom(table).select('name').execute()).map((r) => r.name);
  return new NotFoundError(KIND[table], name, nearest(name, names));
}

/** Ids of the named groups, in the order given; fails on the first unknown one. */
export async function groupIdsByName(db: Db, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('groups').select(['id', 'name']).execute();
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return names.map((name) => {
    const id = byName.get(name);
    if (id === undefined) throw new NotFoundError('group', name, nearest(name, [...byName.keys()]));
    return id;
  });
}
