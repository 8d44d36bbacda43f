import type { Db } from '../store/store.js';
import type { SecretStore } from '../secrets/types.js';

/** The secrets of one credential set, loaded for a connection. Never printed or stored in SQLite. */
export interface CredentialSecrets {
  name: string;
  username: string;
  password?: string;
  enable?: string;
  privateKey?: string;
  passphrase?: string;
}

// Stub: contract for the credentials work.
export async function loadCredentialSecrets(_db: Db, _secrets: SecretStore, _name: string): Promise<CredentialSecrets> {
  throw new Error('credentials not implemented yet');
}
