import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { SecretsError } from '../core/errors.js';
import { homeFiles } from '../core/paths.js';
import { withFileLock } from './file-lock.js';
import { type MasterKey, resolveMasterKey } from './master-key.js';
import type { SecretBackend } from './types.js';
import { deriveVaultKey, newScryptParams, type ScryptParams, type SealedValue, seal, unseal } from './vault-crypto.js';

const FORMAT = 'netstacks-vault';
const CHECK_CONTEXT = 'netstacks-vault-check';
const CHECK_PLAINTEXT = 'netstacks master key check';

interface VaultFile {
  format: typeof FORMAT;
  version: 1;
  kdf: ScryptParams;
  /** a known plaintext sealed with the vault key: tells a wrong master key from a damaged entry */
  check: SealedValue;
  /** secret key → ciphertext; the key names are not secret (`credential/<uuid>/password`) */
  entries: Record<string, SealedValue>;
}

/**
 * The encrypted vault file: one AES-256-GCM ciphertext per secret, key derived with scrypt from the
 * master key. Writers hold a lock file and re-read before changing anything, then replace the
 * file atomically; a file that cannot be decrypted is never rewritten.
 */
export class VaultBackend implements SecretBackend {
  readonly name = 'vault' as const;
  readonly file: string;
  private readonly derivedKeys = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly home: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = homeFiles.vault(home);
  }

  async get(key: string): Promise<string | undefined> {
    const vault = this.read();
    if (!vault) return undefined;
    const sealed = vault.entries[key];
    const vaultKey = await this.unlock(vault);
    if (!sealed) return undefined;
    const value = unseal(vaultKey, sealed, entryContext(key));
    if (value === undefined) throw new SecretsError(`the vault entry '${key}' in ${this.file} is damaged`, 'store that secret again');
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.modify(async (vault, vaultKey) => {
      vault.entries[key] = seal(vaultKey, value, entryContext(key));
      return true;
    });
  }

  async delete(key: string): Promise<void> {
    await this.modify(async (vault) => {
      if (!(key in vault.entries)) return false;
      delete vault.entries[key];
      return true;
    });
  }

  /** Fails with a clear SecretsError when the master key does not open this vault. */
  async verify(): Promise<void> {
    const vault = this.read();
    if (vault) await this.unlock(vault);
  }

  private async modify(change: (vault: VaultFile, vaultKey: Buffer) => Promise<boolean>): Promise<void> {
    await withFileLock(`${this.file}.lock`, async () => {
      let vault = this.read();
      let vaultKey: Buffer;
      if (vault) vaultKey = await this.unlock(vault);
      else {
        const masterKey = this.masterKey(true);
        const kdf = newScryptParams();
        vaultKey = await this.derive(masterKey, kdf);
        vault = { format: FORMAT, version: 1, kdf, check: seal(vaultKey, CHECK_PLAINTEXT, CHECK_CONTEXT), entries: {} };
      }
      if (await change(vault, vaultKey)) this.writeAtomically(vault);
    });
  }

  private async unlock(vault: VaultFile): Promise<Buffer> {
    const masterKey = this.masterKey(false);
    const vaultKey = await this.derive(masterKey, vault.kdf);
    if (unseal(vaultKey, vault.check, CHECK_CONTEXT) !== CHECK_PLAINTEXT) {
      throw new SecretsError(
        `the vault at ${this.file} was not encrypted with this master key; set NETSTACKS_MASTER_KEY to the key used before`,
        `the key tried came from ${masterKey.source}; nothing was changed, the vault stays as it is until the right key is given`,
      );
    }
    return vaultKey;
  }

  private masterKey(create: boolean): MasterKey {
    const masterKey = resolveMasterKey(this.home, { create, env: this.env });
    if (!masterKey) {
      throw new SecretsError(
        `the vault at ${this.file} exists but its master key is missing (no NETSTACKS_MASTER_KEY and no ${homeFiles.masterKey(this.home)})`,
        'set NETSTACKS_MASTER_KEY to the key used before, or restore the master.key file',
      );
    }
    return masterKey;
  }

  private derive(masterKey: MasterKey, kdf: ScryptParams): Promise<Buffer> {
    const cacheKey = `${kdf.salt}:${kdf.N}:${kdf.r}:${kdf.p}:${masterKey.material}`;
    let derived = this.derivedKeys.get(cacheKey);
    if (!derived) {
      derived = deriveVaultKey(masterKey.material, kdf);
      this.derivedKeys.set(cacheKey, derived);
    }
    return derived;
  }

  private read(): VaultFile | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SecretsError(`cannot read the vault ${this.file}: ${(error as Error).message}`, undefined, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw damaged(this.file, 'not valid JSON');
    }
    return checkVaultShape(parsed, this.file);
  }

  private writeAtomically(vault: VaultFile): void {
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(vault, null, 2) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.file);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never created
      }
      throw new SecretsError(`cannot write the vault ${this.file}: ${(error as Error).message}`, undefined, error);
    }
  }
}

function entryContext(key: string): string {
  return `netstacks-vault-entry:${key}`;
}

function damaged(file: string, why: string): SecretsError {
  return new SecretsError(`the vault ${file} is damaged: ${why}`, 'restore it from a backup; netstacks leaves it untouched');
}

function isSealed(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.data === 'string';
}

function checkVaultShape(value: unknown, file: string): VaultFile {
  if (typeof value !== 'object' || value === null) throw damaged(file, 'not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.format !== FORMAT) throw damaged(file, `not a netstacks vault (format ${JSON.stringify(v.format)})`);
  if (v.version !== 1) throw new SecretsError(`the vault ${file} has version ${String(v.version)}, which this netstacks cannot read`, 'upgrade netstacks');
  const kdf = v.kdf as Record<string, unknown> | undefined;
  if (!kdf || kdf.name !== 'scrypt' || typeof kdf.salt !== 'string' || ![kdf.N, kdf.r, kdf.p].every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw damaged(file, 'bad key derivation parameters');
  }
  if (!isSealed(v.check)) throw damaged(file, 'missing key check');
  if (typeof v.entries !== 'object' || v.entries === null || !Object.values(v.entries).every(isSealed)) throw damaged(file, 'bad entries');
  return value as VaultFile;
}
