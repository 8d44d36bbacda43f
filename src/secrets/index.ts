import type { Store } from '../store/store.js';
import type { SecretStore } from './types.js';

export type { SecretStore, SecretBackend, SecretBackendStatus } from './types.js';

// Placeholder until the secrets work lands.
export async function openSecretStore(_options: { home: string; store: Store }): Promise<SecretStore> {
  throw new Error('secrets not implemented yet');
}
