import { SecretsError, ValidationError } from '../../core/errors.js';
import { nearest } from '../../core/suggest.js';
import { literalSecretsPattern, MASK } from '../../session/masking.js';

/**
 * `{{ secret('bgp-keys', 'password') }}`: a credential's secret, read from the keychain or vault.
 * Rendering is synchronous and the secret backends are not, so a render runs once to learn which
 * secrets it asks for, they are fetched, and it runs again (see renderWithSecrets). Every secret
 * handed to a template is remembered so that output can be masked.
 */
export const SECRET_FIELDS = ['password', 'enable', 'private_key', 'passphrase'] as const;
export type TemplateSecretField = (typeof SECRET_FIELDS)[number];

/** Fetches one secret; throws NotFound/SecretsError when the credential or field does not exist. */
export type SecretLookup = (credential: string, field: TemplateSecretField) => Promise<string>;

export class TemplateSecrets {
  private readonly values = new Map<string, string>();
  private readonly pending = new Map<string, { credential: string; field: TemplateSecretField }>();

  constructor(private readonly lookup?: SecretLookup) {}

  /** The `secret` global handed to the engine. */
  readonly global = (credential: unknown, field: unknown = 'password'): string => {
    if (typeof credential !== 'string' || credential === '') throw new ValidationError("secret() needs a credential name, e.g. secret('bgp-keys', 'password')");
    const fieldName = String(field);
    if (!(SECRET_FIELDS as readonly string[]).includes(fieldName)) {
      const guess = nearest(fieldName, SECRET_FIELDS);
      throw new ValidationError(`secret(): unknown field '${fieldName}'`, guess ? `did you mean '${guess}'? (fields: ${SECRET_FIELDS.join(', ')})` : `fields: ${SECRET_FIELDS.join(', ')}`);
    }
    const key = `${credential}\u0000${fieldName}`;
    const value = this.values.get(key);
    if (value !== undefined) return value;
    if (!this.lookup) throw new SecretsError(`secret('${credential}', '${fieldName}') cannot be resolved here`, 'secrets are resolved from the keychain or vault when rendering for the CLI');
    this.pending.set(key, { credential, field: fieldName as TemplateSecretField });
    // a placeholder for this pass; the render is repeated once the secret is fetched
    return MASK;
  };

  /** True when the last pass asked for secrets not fetched yet. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Fetches what the last pass asked for. */
  async fetchPending(): Promise<void> {
    const wanted = [...this.pending.entries()];
    this.pending.clear();
    for (const [key, { credential, field }] of wanted) {
      if (!this.lookup) break;
      this.values.set(key, await this.lookup(credential, field));
    }
  }

  /** Every secret value handed out, for masking. */
  get secrets(): string[] {
    return [...this.values.values()];
  }

  /** `text` with every secret handed out replaced by ********. */
  mask(text: string): string {
    const pattern = literalSecretsPattern(this.secrets);
    return pattern ? text.replace(pattern, MASK) : text;
  }
}

/** The lookup against the credential store: the named credential's field, or a clear error. */
export function credentialSecretLookup(load: (credential: string) => Promise<Partial<Record<'password' | 'enable' | 'privateKey' | 'passphrase', string>>>): SecretLookup {
  const cache = new Map<string, Promise<Partial<Record<'password' | 'enable' | 'privateKey' | 'passphrase', string>>>>();
  return async (credential, field) => {
    let loaded = cache.get(credential);
    if (!loaded) {
      loaded = load(credential);
      cache.set(credential, loaded);
    }
    const secrets = await loaded;
    const value = field === 'private_key' ? secrets.privateKey : secrets[field];
    if (value === undefined) {
      throw new SecretsError(`credential '${credential}' has no ${field.replace('_', ' ')}`, `set it with 'netstacks credential edit ${credential}'`);
    }
    return value;
  };
}

/**
 * Runs `render` until it asks for no secret it has not got (at most a few passes: a secret can
 * only be asked for by name, and names seldom depend on other secrets).
 */
export async function renderWithSecrets<T>(secrets: TemplateSecrets, render: () => T): Promise<T> {
  for (let pass = 0; ; pass++) {
    let result: T;
    try {
      result = render();
    } catch (error) {
      if (secrets.hasPending && pass < 4) {
        await secrets.fetchPending();
        continue;
      }
      throw maskError(error, secrets);
    }
    if (!secrets.hasPending) return result;
    if (pass >= 4) throw new SecretsError('a template keeps asking for new secrets', 'secret() names should not depend on other secrets');
    await secrets.fetchPending();
  }
}

/** The same error with any secret in its message (and hint) masked. */
export function maskError(error: unknown, secrets: TemplateSecrets): unknown {
  if (!(error instanceof Error) || secrets.secrets.length === 0) return error;
  const masked = secrets.mask(error.message);
  if (masked !== error.message) error.message = masked;
  const withHint = error as Error & { hint?: string };
  if (typeof withHint.hint === 'string') {
    const hint = secrets.mask(withHint.hint);
    if (hint !== withHint.hint) Object.defineProperty(withHint, 'hint', { value: hint });
  }
  return error;
}
