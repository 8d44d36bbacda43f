import { randomBytes } from 'node:crypto';
import { SecretsError } from '../core/errors.js';
import type { SecretBackend } from './types.js';

export const KEYCHAIN_SERVICE = 'netstacks';
const PROBE_TIMEOUT_MS = 5_000;

type KeyringModule = typeof import('@napi-rs/keyring');

let keyringModule: Promise<KeyringModule> | undefined;

// Loaded on first use: the native module costs start-up time that most commands never need.
function loadKeyring(): Promise<KeyringModule> {
  keyringModule ??= import('@napi-rs/keyring');
  return keyringModule;
}

export type KeychainProbe = { available: true } | { available: false; reason: string };

/**
 * The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager). Each secret is one
 * entry under service `netstacks` with the secret's key as the account name.
 */
export class KeychainBackend implements SecretBackend {
  readonly name = 'keychain' as const;

  /** @param unavailableReason set when the probe failed, so every use explains why */
  constructor(private readonly unavailableReason?: string) {}

  async get(key: string): Promise<string | undefined> {
    const entry = await this.entry(key);
    const value = await this.call(`read '${key}' from`, () => entry.getPassword());
    return value ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    const entry = await this.entry(key);
    await this.call(`write '${key}' to`, () => entry.setPassword(value));
  }

  async delete(key: string): Promise<void> {
    const entry = await this.entry(key);
    await this.call(`delete '${key}' from`, () => entry.deletePassword());
  }

  private async entry(key: string) {
    if (this.unavailableReason !== undefined) {
      throw new SecretsError(
        `the OS keychain is not available: ${this.unavailableReason}`,
        "use the encrypted vault: 'netstacks settings set secrets.backend vault' (or auto), or unset NETSTACKS_SECRETS_BACKEND",
      );
    }
    const { AsyncEntry } = await loadKeyring();
    return new AsyncEntry(KEYCHAIN_SERVICE, key);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new SecretsError(`cannot ${what} the OS keychain: ${(error as Error).message}`, 'check that the keychain is unlocked, or run netstacks secrets status', error);
    }
  }
}

/**
 * Whether the keychain really answers: on a headless Linux box the library loads fine and only
 * fails on first use ("Couldn't access platform storage"), so write, read back and delete an entry.
 */
export async function probeKeychain(): Promise<KeychainProbe> {
  const account = `probe-${process.pid}-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(12).toString('hex');
  try {
    const { AsyncEntry } = await loadKeyring();
    const entry = new AsyncEntry(KEYCHAIN_SERVICE, account);
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    await entry.setPassword(value, signal);
    const readBack = await entry.getPassword(signal);
    await entry.deletePassword(signal);
    if (readBack !== value) return { available: false, reason: 'the keychain did not return the value just written' };
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message || String(error) };
  }
}
