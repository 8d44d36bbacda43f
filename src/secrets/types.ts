/** A place secrets live. Keys are opaque strings such as `credential/<ref>/password`. */
export interface SecretBackend {
  readonly name: 'keychain' | 'vault' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export type SecretBackendChoice = 'auto' | 'keychain' | 'vault';

export interface SecretBackendStatus {
  backend: 'keychain' | 'vault' | 'memory';
  /** why this backend was chosen (setting, env, keychain probe result) */
  reason: string;
  /** e.g. the vault file, or the keychain service name */
  location: string;
  /** vault only: where the master key comes from (never the key itself) */
  masterKey?: string;
  /** false when the chosen backend cannot be used (an explicitly requested keychain that fails) */
  usable?: boolean;
}

/**
 * The secret store used by the rest of NetStacks. It picks a backend once (setting
 * `secrets.backend`, env NETSTACKS_SECRETS_BACKEND, or auto: keychain when it answers, else the
 * encrypted vault) and can still read secrets written earlier to the other backend.
 */
export interface SecretStore {
  status(): SecretBackendStatus;
  /** The backend new secrets are written to. */
  readonly primary: SecretBackend;
  backend(name: string): Promise<SecretBackend>;
}
