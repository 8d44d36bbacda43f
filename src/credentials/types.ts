/** A credential set as the rest of NetStacks sees it: flags only, never secret text. */
export interface Credential {
  id: number;
  name: string;
  /** login: username with password/enable/key; token: a bearer token or API key (http steps) */
  kind: CredentialKind;
  /** empty for token credentials */
  username: string;
  description: string | null;
  hasPassword: boolean;
  hasEnable: boolean;
  /** a private key stored in the secret backend */
  hasPrivateKey: boolean;
  hasPassphrase: boolean;
  /** a token stored in the secret backend (kind token) */
  hasToken: boolean;
  /** a private key read from this file at connect time (instead of a stored key) */
  keyPath: string | null;
  /** keychain | vault: where this credential's secrets live */
  secretBackend: string;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export type CredentialKind = 'login' | 'token';

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['login', 'token'];

export interface CredentialInput {
  name: string;
  /** default login */
  kind?: CredentialKind;
  /** required for login credentials; none for token ones */
  username?: string;
  /** the bearer token or API key of a token credential */
  token?: string;
  password?: string;
  enable?: string;
  /** PEM/OpenSSH private key text, stored in the secret backend */
  privateKey?: string;
  /** path to a private key file, read at connect time; not with privateKey */
  keyPath?: string;
  passphrase?: string;
  description?: string;
  isDefault?: boolean;
}

/** Changes to a credential: undefined leaves a field alone, null clears it. */
export interface CredentialChanges {
  name?: string;
  username?: string;
  description?: string | null;
  password?: string | null;
  enable?: string | null;
  privateKey?: string | null;
  keyPath?: string | null;
  passphrase?: string | null;
  /** token credentials only; a token cannot be cleared, only replaced */
  token?: string;
  isDefault?: boolean;
}

/** What refers to a credential: names (a few) and counts. */
export interface CredentialUsage {
  devices: { count: number; names: string[] };
  groups: { count: number; names: string[] };
  overrides: { count: number; names: string[] };
}

/** The secrets of one credential set, loaded for a connection. Never printed or stored in SQLite. */
export interface CredentialSecrets {
  name: string;
  username: string;
  password?: string;
  enable?: string;
  /** the stored key, or the contents of keyPath */
  privateKey?: string;
  passphrase?: string;
  /** set when the key came from a file */
  keyPath?: string;
  /** the token of a token credential */
  token?: string;
}

export type SecretField = 'password' | 'enable' | 'private_key' | 'passphrase' | 'token';

export const SECRET_FIELDS: readonly SecretField[] = ['password', 'enable', 'private_key', 'passphrase', 'token'];

/** Backend key of one secret. Keyed by the row's random secret_ref so renames never orphan it. */
export function secretKey(secretRef: string, field: SecretField): string {
  return `credential/${secretRef}/${field}`;
}
