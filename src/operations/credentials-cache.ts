import { loadCredentialSecrets, type CredentialSecrets } from '../credentials/index.js';
import { MASK } from '../session/index.js';
import type { OperationEnv } from './types.js';

/**
 * Loads each credential's secrets once per run: 500 devices sharing one credential hit the
 * keychain or vault once, not 500 times. Also knows every secret loaded, for masking messages.
 */
export class CredentialCache {
  private readonly loaded = new Map<string, Promise<CredentialSecrets>>();
  private readonly secretValues = new Set<string>();

  constructor(private readonly env: Pick<OperationEnv, 'db' | 'secrets'>) {}

  get(name: string): Promise<CredentialSecrets> {
    let promise = this.loaded.get(name);
    if (!promise) {
      promise = loadCredentialSecrets(this.env.db, this.env.secrets, name).then((secrets) => {
        for (const value of [secrets.password, secrets.enable, secrets.passphrase]) if (value) this.secretValues.add(value);
        return secrets;
      });
      this.loaded.set(name, promise);
    }
    return promise;
  }

  /** Replaces every loaded secret in text with the transcripts' mask. */
  redact(text: string): string {
    let masked = text;
    for (const secret of this.secretValues) if (secret.length >= 3) masked = masked.split(secret).join(MASK);
    return masked;
  }
}
