import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VaultBackend } from '../src/secrets/vault.js';
import { SecretsError } from '../src/core/errors.js';
import { tempHome } from './helpers/cli.js';

const withKey = (key: string | undefined): NodeJS.ProcessEnv => ({ NETSTACKS_MASTER_KEY: key });

describe('encrypted vault backend', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const home = () => {
    const h = tempHome('netstacks-vault-');
    cleanups.push(h.cleanup);
    return h.home;
  };

  it('stores, reads and deletes secrets, with nothing readable in the file', async () => {
    const dir = home();
    const vault = new VaultBackend(dir, withKey('master-1'));
    await vault.set('credential/a/password', 'Pl@intext-Canary-1');
    await vault.set('credential/a/enable', 'second-canary');
    expect(await vault.get('credential/a/password')).toBe('Pl@intext-Canary-1');
    // a second instance (as another process would) reads the same file
    expect(await new VaultBackend(dir, withKey('master-1')).get('credential/a/enable')).toBe('second-canary');
    const text = readFileSync(join(dir, 'vault.json'), 'utf8');
    expect(text).not.toContain('Canary');
    expect(text).not.toContain('master-1');
    expect(statSync(join(dir, 'vault.json')).mode & 0o777).toBe(0o600);
    await vault.delete('credential/a/password');
    expect(await vault.get('credential/a/password')).toBeUndefined();
    expect(await vault.get('credential/a/enable')).toBe('second-canary');
  });

  it('refuses a wrong master key with a clear error and leaves the file byte for byte', async () => {
    const dir = home();
    await new VaultBackend(dir, withKey('right-key')).set('k', 'v');
    const before = readFileSync(join(dir, 'vault.json'));
    const wrong = new VaultBackend(dir, withKey('wrong-key'));
    await expect(wrong.get('k')).rejects.toThrow(/was not encrypted with this master key; set NETSTACKS_MASTER_KEY to the key used before/);
    await expect(wrong.set('k2', 'v2')).rejects.toBeInstanceOf(SecretsError);
    await expect(wrong.delete('k')).rejects.toBeInstanceOf(SecretsError);
    expect(readFileSync(join(dir, 'vault.json')).equals(before)).toBe(true);
  });

  it('binds each ciphertext to its key name, so entries cannot be swapped', async () => {
    const dir = home();
    const vault = new VaultBackend(dir, withKey('k'));
    await vault.set('a', 'alpha');
    await vault.set('b', 'beta');
    const file = join(dir, 'vault.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    parsed.entries.b = parsed.entries.a;
    writeFileSync(file, JSON.stringify(parsed));
    await expect(vault.get('b')).rejects.toThrow(/damaged/);
  });

  it('creates a 0600 key file on first use and refuses it once others can read it', async () => {
    const dir = home();
    const vault = new VaultBackend(dir, withKey(undefined));
    await vault.set('k', 'v');
    const keyFile = join(dir, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    // the key file's text is the same key as NETSTACKS_MASTER_KEY
    expect(await new VaultBackend(dir, withKey(readFileSync(keyFile, 'utf8').trim())).get('k')).toBe('v');
    chmodSync(keyFile, 0o640);
    await expect(new VaultBackend(dir, withKey(undefined)).get('k')).rejects.toThrow(/accessible by other users \(mode 640\)/);
  });

  it('never invents a new key for an existing vault whose key file is gone', async () => {
    const dir = home();
    await new VaultBackend(dir, withKey('env-key')).set('k', 'v');
    const before = readFileSync(join(dir, 'vault.json'));
    await expect(new VaultBackend(dir, withKey(undefined)).set('x', 'y')).rejects.toThrow(/master key is missing/);
    expect(() => statSync(join(dir, 'master.key'))).toThrow();
    expect(readFileSync(join(dir, 'vault.json')).equals(before)).toBe(true);
  });

  it('refuses a damaged vault file without touching it', async () => {
    const dir = home();
    const file = join(dir, 'vault.json');
    writeFileSync(file, '{"format": "netstacks-vault", "version": 1');
    const vault = new VaultBackend(dir, withKey('k'));
    await expect(vault.set('a', 'b')).rejects.toThrow(/damaged: not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"format": "netstacks-vault", "version": 1');
  });

  it('keeps every write when several writers interleave', async () => {
    const dir = home();
    const writers = Array.from({ length: 4 }, () => new VaultBackend(dir, withKey('k')));
    await Promise.all(writers.map((w, i) => Promise.all([w.set(`w${i}/a`, `a${i}`), w.set(`w${i}/b`, `b${i}`)])));
    const reader = new VaultBackend(dir, withKey('k'));
    for (let i = 0; i < 4; i++) {
      expect(await reader.get(`w${i}/a`)).toBe(`a${i}`);
      expect(await reader.get(`w${i}/b`)).toBe(`b${i}`);
    }
  });
});
