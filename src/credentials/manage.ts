import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import type { SecretBackend, SecretStore } from '../secrets/types.js';
import type { Store } from '../store/store.js';
import { credentialRow, credentialUsage, findCredentialRow, getCredential, storedFields, toCredential } from './repository.js';
import { type Credential, type CredentialChanges, type CredentialInput, type CredentialKind, type CredentialUsage, type SecretField, SECRET_FIELDS, secretKey } from './types.js';
import { checkCredentialName, checkPrivateKey, checkSecret, checkUsername, resolveKeyPath } from './validate.js';

type SecretValues = Partial<Record<SecretField, string>>;

/**
 * Adds a credential set. Secrets go to the primary backend first, then the row is inserted in one
 * transaction; if the row fails, the secrets just written are deleted again, so a failure leaves
 * neither half behind.
 */
export async function addCredential(store: Store, secrets: SecretStore, input: CredentialInput): Promise<Credential> {
  const name = checkCredentialName(input.name);
  const kind: CredentialKind = input.kind ?? 'login';
  if (kind === 'token') {
    checkTokenInput(input);
    if (input.isDefault) throw new ValidationError('a token credential cannot be the default', 'the default credential logs in to devices');
  }
  else if (input.token !== undefined) throw new ValidationError('only token credentials hold a token', 'add it with --type token');
  const username = kind === 'token' ? '' : checkUsername(input.username ?? '');
  if (input.privateKey !== undefined && input.keyPath !== undefined) {
    throw new ValidationError('give either a stored private key or a key file path, not both');
  }
  const values: SecretValues = {};
  if (input.password !== undefined) values.password = checkSecret('password', input.password);
  if (input.enable !== undefined) values.enable = checkSecret('enable secret', input.enable);
  if (input.privateKey !== undefined) values.private_key = checkPrivateKey(input.privateKey);
  if (input.passphrase !== undefined) values.passphrase = checkSecret('passphrase', input.passphrase);
  if (input.token !== undefined) values.token = checkToken(input.token);
  const keyPath = input.keyPath === undefined ? null : resolveKeyPath(input.keyPath);
  if (values.passphrase !== undefined && values.private_key === undefined && keyPath === null) {
    throw new ValidationError('a passphrase needs a private key', 'add --key-file PATH (with --store-key to keep the key in the secret store)');
  }
  if (await findCredentialRow(store.db, name)) {
    throw new ConflictError(`credential '${name}' already exists`, `change it with 'netstacks credential edit ${name}' or remove it first`);
  }

  const secretRef = randomUUID();
  const backend = secrets.primary;
  await writeSecrets(backend, secretRef, values);
  try {
    const now = nowIso();
    await store.write(async (tx) => {
      if (input.isDefault) await tx.updateTable('credentials').set({ is_default: 0 }).where('is_default', '=', 1).execute();
      await tx
        .insertInto('credentials')
        .values({
          name,
          username,
          description: input.description ?? null,
          secret_backend: backend.name,
          secret_ref: secretRef,
          has_password: flag(values.password),
          has_enable: flag(values.enable),
          has_private_key: flag(values.private_key),
          has_passphrase: flag(values.passphrase),
          key_path: keyPath,
          kind,
          has_token: flag(values.token),
          is_default: input.isDefault ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
  } catch (error) {
    await deleteSecretsQuietly(backend, secretRef, Object.keys(values) as SecretField[]);
    if (/UNIQUE constraint failed: credentials\.name/.test((error as Error).message)) {
      throw new ConflictError(`credential '${name}' already exists`, `change it with 'netstacks credential edit ${name}' or remove it first`);
    }
    throw error;
  }
  return getCredential(store.db, name);
}

/**
 * Changes fields of a credential. Secrets stay in the backend they were written to. Old secret
 * values are kept in memory until the row is updated, and put back if that fails.
 */
export async function updateCredential(store: Store, secrets: SecretStore, name: string, changes: CredentialChanges): Promise<Credential> {
  const row = await credentialRow(store.db, name);
  const newName = changes.name === undefined ? row.name : checkCredentialName(changes.name);
  if (newName !== row.name && (await findCredentialRow(store.db, newName))) throw new ConflictError(`credential '${newName}' already exists`);

  const isToken = row.kind === 'token';
  if (isToken) {
    const loginOnly = (['username', 'password', 'enable', 'privateKey', 'keyPath', 'passphrase'] as const).filter((key) => changes[key] !== undefined);
    if (loginOnly.length > 0) throw new ValidationError(`'${row.name}' is a token credential: it has no ${loginOnly.join(', ')}`, 'change its token with --token-stdin');
    if (changes.isDefault === true) throw new ValidationError(`'${row.name}' is a token credential and cannot be the default`, 'the default credential logs in to devices');
  } else if (changes.token !== undefined) {
    throw new ValidationError(`'${row.name}' is a login credential: it holds no token`, `add a token credential with 'netstacks credential add NAME --type token'`);
  }
  const next: Partial<Record<SecretField, string | null>> = {};
  if (changes.token !== undefined) next.token = checkToken(changes.token);
  if (changes.password !== undefined) next.password = changes.password === null ? null : checkSecret('password', changes.password);
  if (changes.enable !== undefined) next.enable = changes.enable === null ? null : checkSecret('enable secret', changes.enable);
  if (changes.passphrase !== undefined) next.passphrase = changes.passphrase === null ? null : checkSecret('passphrase', changes.passphrase);
  if (changes.privateKey !== undefined && changes.keyPath !== undefined && changes.privateKey !== null && changes.keyPath !== null) {
    throw new ValidationError('give either a stored private key or a key file path, not both');
  }
  let keyPath = row.key_path;
  if (changes.privateKey !== undefined) {
    next.private_key = changes.privateKey === null ? null : checkPrivateKey(changes.privateKey);
    if (changes.privateKey !== null) keyPath = null;
  }
  if (changes.keyPath !== undefined) {
    keyPath = changes.keyPath === null ? null : resolveKeyPath(changes.keyPath);
    if (keyPath !== null && row.has_private_key) next.private_key = null;
  }
  const has = (field: SecretField, current: number) => (field in next ? flag(next[field] ?? undefined) : current);
  const hasKey = has('private_key', row.has_private_key) === 1 || keyPath !== null;
  if (has('passphrase', row.has_passphrase) === 1 && !hasKey) throw new ValidationError('a passphrase needs a private key');

  const backend = await secrets.backend(row.secret_backend);
  const fields = Object.keys(next) as SecretField[];
  const previous: SecretValues = {};
  for (const field of fields) {
    const old = await backend.get(secretKey(row.secret_ref, field));
    if (old !== undefined) previous[field] = old;
  }
  await applySecrets(backend, row.secret_ref, next);
  try {
    await store.write(async (tx) => {
      if (changes.isDefault === true) await tx.updateTable('credentials').set({ is_default: 0 }).where('is_default', '=', 1).execute();
      await tx
        .updateTable('credentials')
        .set({
          name: newName,
          username: changes.username === undefined ? row.username : checkUsername(changes.username),
          description: changes.description === undefined ? row.description : changes.description,
          has_password: has('password', row.has_password),
          has_enable: has('enable', row.has_enable),
          has_private_key: has('private_key', row.has_private_key),
          has_passphrase: has('passphrase', row.has_passphrase),
          has_token: has('token', row.has_token),
          key_path: keyPath,
          is_default: changes.isDefault === undefined ? row.is_default : changes.isDefault ? 1 : 0,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
    });
  } catch (error) {
    const restore: Partial<Record<SecretField, string | null>> = {};
    for (const field of fields) restore[field] = previous[field] ?? null;
    await applySecrets(backend, row.secret_ref, restore).catch(() => undefined);
    throw error;
  }
  return getCredential(store.db, newName);
}

/**
 * Removes a credential and its secrets. Devices, groups or overrides that use it block the removal
 * unless `force` (they then lose the reference and fall back to the next rule). A secret backend
 * that cannot be reached also blocks it unless `force`; the secrets then stay where they are.
 */
export async function removeCredential(
  store: Store,
  secrets: SecretStore,
  name: string,
  options: { force?: boolean } = {},
): Promise<{ credential: Credential; unlinked: CredentialUsage; secretsRemoved: boolean }> {
  const row = await credentialRow(store.db, name);
  const usage = await credentialUsage(store.db, row.id);
  const users = describeUsage(usage);
  if (users && !options.force) {
    throw new ConflictError(`credential '${name}' is used by ${users}`, `point them at another credential first, or remove it anyway with --force`);
  }
  // Reach the backend before the row goes, so a locked keychain or a wrong master key stops the
  // removal instead of leaving secrets behind that nothing points at any more.
  // With --force a backend that is gone for good (no keychain any more) must not keep the row forever.
  const backend = await secrets.backend(row.secret_backend);
  const [firstField] = storedFields(row);
  let reachable = true;
  if (firstField) {
    try {
      await backend.get(secretKey(row.secret_ref, firstField));
    } catch (error) {
      if (!options.force) throw error;
      reachable = false;
    }
  }
  await store.write(async (tx) => {
    // The foreign keys say ON DELETE SET NULL; clearing here too keeps it explicit and engine-neutral.
    await tx.updateTable('devices').set({ credential_id: null }).where('credential_id', '=', row.id).execute();
    await tx.updateTable('groups').set({ credential_id: null }).where('credential_id', '=', row.id).execute();
    await tx.updateTable('device_overrides').set({ credential_id: null }).where('credential_id', '=', row.id).execute();
    await tx.deleteFrom('credentials').where('id', '=', row.id).execute();
  });
  // The row is gone first: a leftover secret is harmless, a row without its secrets is not.
  if (reachable) await deleteSecretsQuietly(backend, row.secret_ref, SECRET_FIELDS);
  return { credential: toCredential(row), unlinked: usage, secretsRemoved: reachable && firstField !== undefined };
}

/** Makes `name` the one default credential. */
export async function setDefaultCredential(store: Store, name: string): Promise<Credential> {
  const row = await credentialRow(store.db, name);
  if (row.kind === 'token') throw new ValidationError(`'${name}' is a token credential and cannot be the default`, 'the default credential logs in to devices');
  await store.write(async (tx) => {
    await tx.updateTable('credentials').set({ is_default: 0 }).where('is_default', '=', 1).where('id', '!=', row.id).execute();
    await tx.updateTable('credentials').set({ is_default: 1, updated_at: nowIso() }).where('id', '=', row.id).execute();
  });
  return getCredential(store.db, name);
}

export async function clearDefaultCredential(store: Store): Promise<void> {
  await store.write((tx) => tx.updateTable('credentials').set({ is_default: 0 }).where('is_default', '=', 1).execute());
}

export function describeUsage(usage: CredentialUsage): string {
  const parts: string[] = [];
  const part = (kind: string, entry: { count: number; names: string[] }) => {
    if (entry.count === 0) return;
    const more = entry.count > entry.names.length ? `, … ${entry.count - entry.names.length} more` : '';
    parts.push(`${entry.count} ${kind}${entry.count === 1 ? '' : 's'} (${entry.names.join(', ')}${more})`);
  };
  part('device', usage.devices);
  part('group', usage.groups);
  part('device override', usage.overrides);
  return parts.join(', ');
}

/** A token credential holds a token and nothing a login needs. */
function checkTokenInput(input: CredentialInput): void {
  if (input.token === undefined) throw new ValidationError('a token credential needs its token', "pipe it in with --token-stdin, or type it when asked on a terminal");
  const loginOnly = (['password', 'enable', 'privateKey', 'keyPath', 'passphrase'] as const).filter((key) => input[key] !== undefined);
  if (loginOnly.length > 0) throw new ValidationError(`a token credential has no ${loginOnly.join(', ')}`, 'use a login credential (the default type) for SSH logins');
  if (input.username !== undefined && input.username !== '') throw new ValidationError('a token credential has no username', 'leave --username out with --type token');
}

/** Says only what is wrong, never the text: it is a secret. */
function checkToken(token: string): string {
  const trimmed = token.trim();
  if (trimmed === '') throw new ValidationError('the token is empty');
  if (/[\r\n]/.test(trimmed)) throw new ValidationError('the token contains a line break', 'a token is one line');
  return trimmed;
}

function flag(value: string | undefined): number {
  return value === undefined ? 0 : 1;
}

async function writeSecrets(backend: SecretBackend, secretRef: string, values: SecretValues): Promise<void> {
  const written: SecretField[] = [];
  try {
    for (const [field, value] of Object.entries(values) as [SecretField, string][]) {
      await backend.set(secretKey(secretRef, field), value);
      written.push(field);
    }
  } catch (error) {
    await deleteSecretsQuietly(backend, secretRef, written);
    throw error;
  }
}

async function applySecrets(backend: SecretBackend, secretRef: string, values: Partial<Record<SecretField, string | null>>): Promise<void> {
  for (const [field, value] of Object.entries(values) as [SecretField, string | null][]) {
    if (value === null) await backend.delete(secretKey(secretRef, field));
    else await backend.set(secretKey(secretRef, field), value);
  }
}

async function deleteSecretsQuietly(backend: SecretBackend, secretRef: string, fields: readonly SecretField[]): Promise<void> {
  for (const field of fields) {
    try {
      await backend.delete(secretKey(secretRef, field));
    } catch {
      // best effort: an orphaned secret under a random ref is unreachable and harmless
    }
  }
}
