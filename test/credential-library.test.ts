import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { createMemorySecretStore, MemoryBackend } from '../src/secrets/memory.js';
import {
  addCredential,
  getCredential,
  getDefaultCredential,
  listCredentials,
  loadCredentialSecrets,
  removeCredential,
  setDefaultCredential,
  updateCredential,
} from '../src/credentials/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../src/core/errors.js';
import { tempHome } from './helpers/cli.js';

/** A backend that fails on the nth write, to prove nothing is left half done. */
class FailingBackend extends MemoryBackend {
  constructor(private failOnWrite: number) {
    super();
  }
  override async set(key: string, value: string): Promise<void> {
    if (--this.failOnWrite === 0) throw new Error('backend write failed');
    await super.set(key, value);
  }
}

/** A store whose transactions fail, as a full disk or a lost race would. */
function failingWrites(store: Store): Store {
  return { ...store, write: async () => Promise.reject(new Error('disk full')) };
}

describe('credentials as a library', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function open(): Promise<Store> {
    const { home, cleanup } = tempHome('netstacks-credlib-');
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    cleanups.push(cleanup, () => store.close());
    return store;
  }

  it('writes secrets under credential/<ref>/<field> and keeps only flags in the row', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    const credential = await addCredential(store, secrets, { name: 'core', username: 'admin', password: 'p', enable: 'e' });
    expect(credential).toMatchObject({ hasPassword: true, hasEnable: true, secretBackend: 'memory' });
    const row = await store.db.selectFrom('credentials').selectAll().executeTakeFirstOrThrow();
    expect([...secrets.primary.values.keys()].sort()).toEqual([`credential/${row.secret_ref}/enable`, `credential/${row.secret_ref}/password`]);
    expect(JSON.stringify(row)).not.toMatch(/"p"|"e"/);
    expect(await loadCredentialSecrets(store.db, secrets, 'core')).toEqual({ name: 'core', username: 'admin', password: 'p', enable: 'e' });
  });

  it('removes the secrets again when the row cannot be written', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    await expect(addCredential(failingWrites(store), secrets, { name: 'x', username: 'u', password: 'p', enable: 'e' })).rejects.toThrow('disk full');
    expect(secrets.primary.values.size).toBe(0);
    expect(await listCredentials(store.db)).toEqual([]);
  });

  it('removes earlier secrets and writes no row when a later secret fails', async () => {
    const store = await open();
    const secrets = createMemorySecretStore(new FailingBackend(2));
    await expect(addCredential(store, secrets, { name: 'x', username: 'u', password: 'p', enable: 'e' })).rejects.toThrow('backend write failed');
    expect(secrets.primary.values.size).toBe(0);
    expect(await listCredentials(store.db)).toEqual([]);
  });

  it('puts the old secrets back when an update cannot write the row', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    await addCredential(store, secrets, { name: 'x', username: 'u', password: 'old', enable: 'en' });
    await expect(updateCredential(failingWrites(store), secrets, 'x', { password: 'new', enable: null })).rejects.toThrow('disk full');
    expect(await loadCredentialSecrets(store.db, secrets, 'x')).toMatchObject({ password: 'old', enable: 'en' });
  });

  it('validates names, keys and passphrases, and names conflicts', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    await expect(addCredential(store, secrets, { name: 'bad name', username: 'u' })).rejects.toBeInstanceOf(ValidationError);
    await expect(addCredential(store, secrets, { name: 'k', username: 'u', passphrase: 'x' })).rejects.toThrow('a passphrase needs a private key');
    await expect(addCredential(store, secrets, { name: 'k', username: 'u', privateKey: 'secret-not-a-key' })).rejects.toThrow(/^the private key is not a PEM/);
    await addCredential(store, secrets, { name: 'k', username: 'u' });
    await expect(addCredential(store, secrets, { name: 'k', username: 'u' })).rejects.toBeInstanceOf(ConflictError);
    const missing = await getCredential(store.db, 'kk').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).hint).toBe("did you mean 'k'?");
  });

  it('keeps exactly one default through add, set-default and update', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    await addCredential(store, secrets, { name: 'a', username: 'u', isDefault: true });
    await addCredential(store, secrets, { name: 'b', username: 'u', isDefault: true });
    expect((await getDefaultCredential(store.db))?.name).toBe('b');
    await setDefaultCredential(store, 'a');
    await updateCredential(store, secrets, 'b', { isDefault: true });
    const defaults = (await listCredentials(store.db)).filter((c) => c.isDefault).map((c) => c.name);
    expect(defaults).toEqual(['b']);
  });

  it('removal deletes the secrets; a group reference blocks it without force', async () => {
    const store = await open();
    const secrets = createMemorySecretStore();
    const { id } = await addCredential(store, secrets, { name: 'g', username: 'u', password: 'p' });
    const now = new Date().toISOString();
    await store.write((tx) => tx.insertInto('groups').values({ name: 'core', description: null, priority: 0, variables: '{}', ssh: '{}', credential_id: id, created_at: now, updated_at: now }).execute());
    await expect(removeCredential(store, secrets, 'g')).rejects.toThrow("credential 'g' is used by 1 group (core)");
    expect(secrets.primary.values.size).toBe(1);
    const { unlinked, secretsRemoved } = await removeCredential(store, secrets, 'g', { force: true });
    expect(unlinked.groups).toEqual({ count: 1, names: ['core'] });
    expect(secretsRemoved).toBe(true);
    expect(secrets.primary.values.size).toBe(0);
  });

  it('an unreachable backend blocks removal unless forced, and the secrets are then left alone', async () => {
    const store = await open();
    const backend = new MemoryBackend();
    const secrets = createMemorySecretStore(backend);
    await addCredential(store, secrets, { name: 'gone', username: 'u', password: 'p' });
    backend.get = async () => Promise.reject(new Error('keychain locked'));
    await expect(removeCredential(store, secrets, 'gone')).rejects.toThrow('keychain locked');
    expect(await listCredentials(store.db)).toHaveLength(1);
    const result = await removeCredential(store, secrets, 'gone', { force: true });
    expect(result.secretsRemoved).toBe(false);
    expect(await listCredentials(store.db)).toEqual([]);
    expect(backend.values.size).toBe(1);
  });
});
