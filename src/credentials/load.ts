import { readFile } from 'node:fs/promises';
import { SecretsError } from '../core/errors.js';
import type { SecretStore } from '../secrets/types.js';
import type { Db } from '../store/store.js';
import { credentialRow, storedFields } from './repository.js';
import { type CredentialSecrets, secretKey } from './types.js';

/** Loads a credential's secrets for a connection, from the backend its row names. */
export async function loadCredentialSecrets(db: Db, secrets: SecretStore, name: string): Promise<CredentialSecrets> {
  const row = await credentialRow(db, name);
  const backend = await secrets.backend(row.secret_backend);
  const loaded: CredentialSecrets = { name: row.name, username: row.username };
  for (const field of storedFields(row)) {
    const value = await backend.get(secretKey(row.secret_ref, field));
    if (value === undefined) {
      throw new SecretsError(
        `the ${field.replace('_', ' ')} of credential '${row.name}' is missing from the ${row.secret_backend}`,
        `store it again with 'netstacks credential edit ${row.name}'`,
      );
    }
    if (field === 'password') loaded.password = value;
    else if (field === 'enable') loaded.enable = value;
    else if (field === 'private_key') loaded.privateKey = value;
    else if (field === 'token') loaded.token = value;
    else loaded.passphrase = value;
  }
  if (row.key_path !== null && loaded.privateKey === undefined) {
    try {
      loaded.privateKey = await readFile(row.key_path, 'utf8');
      loaded.keyPath = row.key_path;
    } catch (error) {
      throw new SecretsError(
        `cannot read the SSH key file ${row.key_path} of credential '${row.name}': ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        `fix the path with 'netstacks credential edit ${row.name} --key-file PATH'`,
      );
    }
  }
  return loaded;
}

/** `core-admin` → `NETSTACKS_CREDENTIAL_CORE_ADMIN_<FIELD>` (the CI environment-variable name). */
export function credentialEnvName(name: string, field: string): string {
  return `NETSTACKS_CREDENTIAL_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${field}`;
}

/**
 * The token of a token credential: from `NETSTACKS_CREDENTIAL_<NAME>_TOKEN` when set (CI secret
 * stores; it stays in memory), else from the credential's secret backend. Errors never hold the token.
 */
export async function loadToken(db: Db | undefined, secrets: SecretStore | undefined, name: string, environment: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnvironment = environment[credentialEnvName(name, 'TOKEN')];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment.trim();
  if (!db || !secrets) {
    throw new SecretsError(`no token for credential '${name}'`, `set ${credentialEnvName(name, 'TOKEN')} or add it with 'netstacks credential add ${name} --type token'`);
  }
  const loaded = await loadCredentialSecrets(db, secrets, name);
  if (loaded.token === undefined) {
    throw new SecretsError(`credential '${name}' holds no token`, `add a token credential with 'netstacks credential add NAME --type token --token-stdin'`);
  }
  return loaded.token;
}
