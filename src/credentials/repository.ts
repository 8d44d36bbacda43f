import { NotFoundError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import type { CredentialRow } from '../store/schema.js';
import type { Db } from '../store/store.js';
import type { Credential, CredentialUsage, SecretField } from './types.js';

const USAGE_NAMES_SHOWN = 5;

export function toCredential(row: CredentialRow): Credential {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'token' ? 'token' : 'login',
    username: row.username,
    description: row.description,
    hasPassword: row.has_password === 1,
    hasEnable: row.has_enable === 1,
    hasPrivateKey: row.has_private_key === 1,
    hasPassphrase: row.has_passphrase === 1,
    hasToken: row.has_token === 1,
    keyPath: row.key_path,
    secretBackend: row.secret_backend,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Which secret fields the row says are stored. */
export function storedFields(row: CredentialRow): SecretField[] {
  const fields: SecretField[] = [];
  if (row.has_password) fields.push('password');
  if (row.has_enable) fields.push('enable');
  if (row.has_private_key) fields.push('private_key');
  if (row.has_passphrase) fields.push('passphrase');
  if (row.has_token) fields.push('token');
  return fields;
}

export async function findCredentialRow(db: Db, name: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('credentials').selectAll().where('name', '=', name).executeTakeFirst();
}

/** The row, or NotFoundError suggesting the nearest existing name. */
export async function credentialRow(db: Db, name: string): Promise<CredentialRow> {
  const row = await findCredentialRow(db, name);
  if (row) return row;
  const names = await db.selectFrom('credentials').select('name').execute();
  throw new NotFoundError('credential', name, nearest(name, names.map((n) => n.name)));
}

export async function listCredentials(db: Db): Promise<Credential[]> {
  const rows = await db.selectFrom('credentials').selectAll().orderBy('name').execute();
  return rows.map(toCredential);
}

export async function getCredential(db: Db, name: string): Promise<Credential> {
  return toCredential(await credentialRow(db, name));
}

export async function getDefaultCredential(db: Db): Promise<Credential | undefined> {
  const row = await db.selectFrom('credentials').selectAll().where('is_default', '=', 1).orderBy('id').executeTakeFirst();
  return row ? toCredential(row) : undefined;
}

export async function credentialUsage(db: Db, credentialId: number): Promise<CredentialUsage> {
  const devices = await db.selectFrom('devices').select('name').where('credential_id', '=', credentialId).orderBy('name').execute();
  const groups = await db.selectFrom('groups').select('name').where('credential_id', '=', credentialId).orderBy('name').execute();
  const overrides = await db
    .selectFrom('device_overrides')
    .innerJoin('devices', 'devices.id', 'device_overrides.device_id')
    .select('devices.name as name')
    .where('device_overrides.credential_id', '=', credentialId)
    .orderBy('devices.name')
    .execute();
  const summary = (rows: { name: string }[]) => ({ count: rows.length, names: rows.slice(0, USAGE_NAMES_SHOWN).map((r) => r.name) });
  return { devices: summary(devices), groups: summary(groups), overrides: summary(overrides) };
}
