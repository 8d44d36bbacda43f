import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { openSecretStore } from '../src/secrets/index.js';
import { loadCredentialSecrets } from '../src/credentials/index.js';

// Needs a running Secret Service: scripts/test-keychain.sh starts gnome-keyring in a private
// D-Bus session and sets NETSTACKS_TEST_KEYCHAIN=1. Anywhere else this suite shows as skipped.
const enabled = process.env.NETSTACKS_TEST_KEYCHAIN === '1';
const PASSWORD = `kc-canary-${process.pid}-Password`;
const KEYCHAIN_ENV = { NETSTACKS_SECRETS_BACKEND: 'keychain', NETSTACKS_MASTER_KEY: undefined };

/** What a separate process sees in the keychain under service `netstacks`. */
function keychainEntries(): Array<{ account: string; password: string }> {
  const script = "const {findCredentials}=require('@napi-rs/keyring');process.stdout.write(JSON.stringify(findCredentials('netstacks')))";
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' })) as Array<{ account: string; password: string }>;
}

async function secretRef(home: string, name: string): Promise<string> {
  const store = await openSqliteStore(join(home, 'netstacks.db'));
  try {
    return (await store.db.selectFrom('credentials').select('secret_ref').where('name', '=', name).executeTakeFirstOrThrow()).secret_ref;
  } finally {
    await store.close();
  }
}

async function loadThroughLibrary(home: string, name: string) {
  const store = await openSqliteStore(join(home, 'netstacks.db'));
  try {
    const secrets = await openSecretStore({ home, store, env: { NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'unused' } });
    return await loadCredentialSecrets(store.db, secrets, name);
  } finally {
    await store.close();
  }
}

describe.skipIf(!enabled)('OS keychain backend (run scripts/test-keychain.sh, or set NETSTACKS_TEST_KEYCHAIN=1 with a Secret Service running)', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-keychain-')));
  afterAll(async () => {
    await runCli(['credential', 'rm', 'kc-core', '--force'], { home, env: KEYCHAIN_ENV });
    cleanup();
  });

  it('is chosen and reported by secrets status', async () => {
    const explicit = await runJson<{ backend: string; reason: string; usable: boolean }>(['secrets', 'status'], { home, env: KEYCHAIN_ENV });
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(explicit.data).toMatchObject({ backend: 'keychain', reason: 'NETSTACKS_SECRETS_BACKEND is keychain', usable: true });
    const auto = await runJson<{ backend: string; reason: string }>(['secrets', 'status'], { home, env: { NETSTACKS_SECRETS_BACKEND: undefined } });
    expect(auto.data).toMatchObject({ backend: 'keychain', reason: 'auto: the OS keychain answered' });
  });

  it('stores a credential in the keychain, readable from other processes, never in the vault', async () => {
    const add = await runCli(['credential', 'add', 'kc-core', '-u', 'admin', '--secrets-stdin', '--json'], {
      home,
      env: KEYCHAIN_ENV,
      input: `password: ${PASSWORD}\nenable: ${PASSWORD}-enable\n`,
    });
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ secretBackend: 'keychain', hasPassword: true, hasEnable: true });
    expect(add.stdout + add.stderr).not.toContain(PASSWORD);
    expect(existsSync(join(home, 'vault.json'))).toBe(false);

    const ref = await secretRef(home, 'kc-core');
    const entries = keychainEntries();
    expect(entries).toContainEqual({ account: `credential/${ref}/password`, password: PASSWORD });
    expect(entries).toContainEqual({ account: `credential/${ref}/enable`, password: `${PASSWORD}-enable` });
  });

  it('reads through the backend named by the row even when new secrets go to the vault', async () => {
    const loaded = await loadThroughLibrary(home, 'kc-core');
    expect(loaded).toMatchObject({ username: 'admin', password: PASSWORD, enable: `${PASSWORD}-enable` });
  });

  it('updates and deletes across processes', async () => {
    const edit = await runCli(['credential', 'edit', 'kc-core', '--password-stdin', '--clear-enable'], { home, env: KEYCHAIN_ENV, input: `${PASSWORD}-2\n` });
    expect(edit.code, edit.stderr).toBe(0);
    const ref = await secretRef(home, 'kc-core');
    const afterEdit = keychainEntries().filter((e) => e.account.startsWith(`credential/${ref}/`));
    expect(afterEdit).toEqual([{ account: `credential/${ref}/password`, password: `${PASSWORD}-2` }]);

    const rm = await runCli(['credential', 'rm', 'kc-core'], { home, env: KEYCHAIN_ENV });
    expect(rm.code, rm.stderr).toBe(0);
    expect(keychainEntries().filter((e) => e.account.startsWith(`credential/${ref}/`))).toEqual([]);
  });
});
