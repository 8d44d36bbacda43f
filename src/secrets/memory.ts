import { SecretsError } from '../core/errors.js';
import type { SecretBackend, SecretStore } from './types.js';

/** Secrets kept in process memory only: for tests and library callers that bring their own. */
export class MemoryBackend implements SecretBackend {
  readonly name = 'memory' as const;
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export function createMemorySecretStore(backend = new MemoryBackend()): SecretStore & { primary: MemoryBackend } {
  return {
    primary: backend,
    status: () => ({ backend: 'memory', reason: 'in-memory store (tests and library use)', location: 'process memory' }),
    backend: async (name: string) => {
      if (name === 'memory') return backend;
      throw new SecretsError(`secret backend '${name}' is not available in an in-memory store`);
    },
  };
}
