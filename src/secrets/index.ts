import { SecretsError, ValidationError } from '../core/errors.js';
import { homeFiles } from '../core/paths.js';
import type { Store } from '../store/store.js';
import { KEYCHAIN_SERVICE, KeychainBackend, probeKeychain } from './keychain.js';
import { resolveMasterKey } from './master-key.js';
import { VaultBackend } from './vault.js';
import type { SecretBackend, SecretBackendChoice, SecretBackendStatus, SecretStore } from './types.js';

export type { SecretStore, SecretBackend, SecretBackendStatus, SecretBackendChoice } from './types.js';
export { VaultBackend } from './vault.js';
export { KeychainBackend, probeKeychain } from './keychain.js';
export { MemoryBackend, createMemorySecretStore } from './memory.js';

export const SECRET_BACKEND_CHOICES: readonly SecretBackendChoice[] = ['auto', 'keychain', 'vault'];

export interface OpenSecretStoreOptions {
  home: string;
  store: Store;
  /** wins over env and setting (library callers) */
  backend?: SecretBackendChoice;
  env?: NodeJS.ProcessEnv;
}

/**
 * Picks the backend new secrets go to: `backend` option, else env NETSTACKS_SECRETS_BACKEND, else
 * setting `secrets.backend`, else auto (the keychain when a probe write/read/delete works, else the
 * encrypted vault). Secrets already written elsewhere stay readable through `backend(name)`.
 */
export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const env = options.env ?? process.env;
  const { choice, source } = await chooseBackend(options, env);
  const vault = new VaultBackend(options.home, env);
  let keychain: KeychainBackend | undefined;
  let primary: SecretBackend;
  let reason: string;
  let usable = true;

  if (choice === 'vault') {
    primary = vault;
    reason = `${source} is vault`;
  } else {
    const probe = await probeKeychain();
    if (probe.available) {
      keychain = new KeychainBackend();
      primary = keychain;
      reason = choice === 'auto' ? 'auto: the OS keychain answered' : `${source} is keychain`;
    } else if (choice === 'auto') {
      primary = vault;
      reason = `keychain unavailable: ${probe.reason}; using the encrypted vault`;
    } else {
      primary = new KeychainBackend(probe.reason);
      reason = `${source} is keychain, but the keychain is unavailable: ${probe.reason}`;
      usable = false;
    }
  }

  const status: SecretBackendStatus =
    primary === vault
      ? { backend: 'vault', reason, location: vault.file, masterKey: describeMasterKey(options.home, env), usable }
      : { backend: 'keychain', reason, location: keychainLocation(), usable };

  return {
    primary,
    status: () => status,
    backend: async (name: string) => {
      if (name === 'vault') return vault;
      if (name === 'keychain') return (keychain ??= new KeychainBackend());
      throw new SecretsError(`unknown secret backend '${name}'`, 'the credential row names a backend this netstacks does not have');
    },
  };
}

async function chooseBackend(options: OpenSecretStoreOptions, env: NodeJS.ProcessEnv): Promise<{ choice: SecretBackendChoice; source: string }> {
  if (options.backend) return { choice: options.backend, source: 'the caller' };
  const fromEnv = env.NETSTACKS_SECRETS_BACKEND;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isChoice(fromEnv)) {
      throw new ValidationError(`NETSTACKS_SECRETS_BACKEND is '${fromEnv}'`, `use one of: ${SECRET_BACKEND_CHOICES.join(', ')}`);
    }
    return { choice: fromEnv, source: 'NETSTACKS_SECRETS_BACKEND' };
  }
  const { readSettings } = await import('../settings/index.js');
  const settings = await readSettings(options.store.db);
  return { choice: settings.secretsBackend, source: 'setting secrets.backend' };
}

function isChoice(value: string): value is SecretBackendChoice {
  return (SECRET_BACKEND_CHOICES as readonly string[]).includes(value);
}

function describeMasterKey(home: string, env: NodeJS.ProcessEnv): string {
  try {
    return resolveMasterKey(home, { create: false, env })?.source ?? `key file ${homeFiles.masterKey(home)} (created on first write)`;
  } catch (error) {
    return (error as Error).message;
  }
}

function keychainLocation(): string {
  const store = process.platform === 'darwin' ? 'macOS Keychain' : process.platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service';
  return `${store}, service '${KEYCHAIN_SERVICE}'`;
}
