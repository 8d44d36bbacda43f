import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { openSecretStore } from '../src/secrets/index.js';
import { loadCredentialSecrets } from '../src/credentials/index.js';
import type { Credential } from '../src/credentials/types.js';

const PASSWORD = 'Zq9!canary-PASSWORD-7f3e';
const ENABLE = 'Xr2?canary-ENABLE-91bd';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAcanaryKEYbody\n-----END OPENSSH PRIVATE KEY-----\n';

/** What `--json` prints for a credential: the library's Credential object. */
type CredentialJson = Credential;

/** Reads the secrets back through the library, as a connection would. */
async function secretsOf(home: string, name: string, masterKey = 'test-master-key') {
  const store = await openSqliteStore(join(home, 'netstacks.db'));
  try {
    const secrets = await openSecretStore({ home, store, env: { NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: masterKey } });
    return await loadCredentialSecrets(store.db, secrets, name);
  } finally {
    await store.close();
  }
}

function fileBytes(home: string, name: string): Buffer {
  const path = join(home, name);
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

describe('credential commands (vault backend)', () => {
  let home: string;
  let cleanup: () => void;
  const everything: string[] = [];
  const run = async (args: string[], input?: string, env?: Record<string, string | undefined>) => {
    const result = await runCli(args, { home, input, env });
    everything.push(result.stdout, result.stderr);
    return result;
  };

  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-cred-')));
  afterAll(() => cleanup());

  it('adds a credential from --secrets-stdin and never shows the secrets', async () => {
    const added = await run(['credential', 'add', 'core', '--username', 'admin', '--secrets-stdin', '--default', '--json'], `password: ${PASSWORD}\nenable: ${ENABLE}\n`);
    expect(added.code, added.stderr).toBe(0);
    const credential = JSON.parse(added.stdout) as CredentialJson;
    expect(credential).toMatchObject({ name: 'core', username: 'admin', hasPassword: true, hasEnable: true, hasPrivateKey: false, secretBackend: 'vault', isDefault: true });

    const loaded = await secretsOf(home, 'core');
    expect(loaded).toMatchObject({ username: 'admin', password: PASSWORD, enable: ENABLE });
  });

  it('adds one with --password-stdin (first line only) and a stored key from --secrets-stdin', async () => {
    const byLine = await run(['credential', 'add', 'edge', '-u', 'ops', '--password-stdin', '--description', 'edge routers'], `${PASSWORD}-edge\nsecond line ignored\n`);
    expect(byLine.code, byLine.stderr).toBe(0);
    expect((await secretsOf(home, 'edge')).password).toBe(`${PASSWORD}-edge`);

    const yaml = `private_key: |\n${KEY.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n')}\npassphrase: '0123'\n`;
    const keyed = await run(['credential', 'add', 'keyed', '-u', 'netops', '--secrets-stdin', '--json'], yaml);
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(JSON.parse(keyed.stdout)).toMatchObject({ hasPrivateKey: true, hasPassphrase: true, hasPassword: false });
    const loaded = await secretsOf(home, 'keyed');
    expect(loaded.privateKey).toBe(KEY);
    // YAML failsafe: '0123' stays a string, not the number 83 or 123
    expect(loaded.passphrase).toBe('0123');
  });

  it('references a key file without copying it unless --store-key', async () => {
    const keyFile = join(home, 'id_test');
    writeFileSync(keyFile, KEY, { mode: 0o600 });
    const byPath = await runJson<CredentialJson>(['credential', 'add', 'byfile', '-u', 'a', '--key-file', keyFile], { home });
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(byPath.data).toMatchObject({ keyPath: keyFile, hasPrivateKey: false });
    expect((await secretsOf(home, 'byfile')).privateKey).toBe(KEY);

    const stored = await runJson<CredentialJson>(['credential', 'add', 'stored', '-u', 'a', '--key-file', keyFile, '--store-key'], { home });
    expect(stored.data).toMatchObject({ keyPath: null, hasPrivateKey: true });

    const missing = await run(['credential', 'add', 'nofile', '-u', 'a', '--key-file', join(home, 'nope')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('cannot use key file');
  });

  it('lists and shows flags only', async () => {
    const list = await runJson<CredentialJson[]>(['credential', 'list'], { home });
    everything.push(JSON.stringify(list.data));
    expect(list.data.map((c) => c.name)).toEqual(['byfile', 'core', 'edge', 'keyed', 'stored']);
    expect(list.data.filter((c) => c.isDefault).map((c) => c.name)).toEqual(['core']);

    const table = await run(['credential', 'list']);
    expect(table.stdout).toMatch(/core\s+login\s+admin\s+yes\s+yes\s+no\s+vault\s+yes/);

    const show = await run(['credential', 'show', 'core']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/password\s+set/);
    expect(show.stdout).toMatch(/enable\s+set/);
    expect(show.stdout).toMatch(/used by\s+0 devices, 0 groups, 0 overrides/);
    const showJson = await run(['credential', 'show', 'core', '--json']);
    expect(JSON.parse(showJson.stdout)).toMatchObject({ name: 'core', hasPassword: true, usage: { devices: { count: 0 } } });

    const typo = await run(['credential', 'show', 'cor']);
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain("did you mean 'core'?");
  });

  it('keeps exactly one default', async () => {
    const result = await run(['credential', 'set-default', 'edge']);
    expect(result.code, result.stderr).toBe(0);
    const list = await runJson<CredentialJson[]>(['credential', 'list'], { home });
    expect(list.data.filter((c) => c.isDefault).map((c) => c.name)).toEqual(['edge']);
    const added = await run(['credential', 'add', 'newdefault', '-u', 'x', '--default']);
    expect(added.code).toBe(0);
    const after = await runJson<CredentialJson[]>(['credential', 'list'], { home });
    expect(after.data.filter((c) => c.isDefault).map((c) => c.name)).toEqual(['newdefault']);
  });

  it('edits secrets and names, keeping secrets reachable after a rename', async () => {
    const edit = await run(['credential', 'edit', 'edge', '--rename', 'edge2', '--secrets-stdin', '--clear-enable'], `password: ${PASSWORD}-new\n`);
    expect(edit.code, edit.stderr).toBe(0);
    const loaded = await secretsOf(home, 'edge2');
    expect(loaded.password).toBe(`${PASSWORD}-new`);
    expect(loaded.enable).toBeUndefined();
    expect((await run(['credential', 'show', 'edge'])).code).toBe(3);
  });

  it('refuses duplicates and bad stdin without echoing any secret', async () => {
    const duplicate = await run(['credential', 'add', 'core', '-u', 'admin', '--password-stdin'], `${PASSWORD}\n`);
    expect(duplicate.code).toBe(5);
    expect(duplicate.stderr).toContain("credential 'core' already exists");

    const typoKey = await run(['credential', 'add', 'typo', '-u', 'a', '--secrets-stdin'], `pasword: ${PASSWORD}\n`);
    expect(typoKey.code).toBe(4);
    expect(typoKey.stderr).toContain("unknown key 'pasword'");

    const badYaml = await run(['credential', 'add', 'bad', '-u', 'a', '--secrets-stdin', '--json'], `password: "${PASSWORD}\nenable: [${ENABLE}\n`);
    expect(badYaml.code).toBe(4);
    expect(badYaml.stderr).toContain('not valid');

    const badKey = await run(['credential', 'add', 'badkey', '-u', 'a', '--secrets-stdin'], `private_key: ${PASSWORD}\n`);
    expect(badKey.code).toBe(4);
    expect(badKey.stderr).toContain('not a PEM or OpenSSH private key');
  });

  it('leaves no secret text in the database, the WAL, the vault or any output', async () => {
    const files = ['netstacks.db', 'netstacks.db-wal', 'vault.json'].map((f) => fileBytes(home, f));
    expect(files[0]!.length).toBeGreaterThan(0);
    expect(files[2]!.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, ENABLE, 'canaryKEYbody']) {
      for (const bytes of files) {
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
      }
      for (const text of everything) expect(text).not.toContain(secret);
    }
  });

  it('refuses to remove a credential in use unless --force, then deletes its secrets', async () => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const now = new Date().toISOString();
    const { id } = await store.db.selectFrom('credentials').select('id').where('name', '=', 'core').executeTakeFirstOrThrow();
    await store.write((tx) =>
      tx.insertInto('devices').values({ name: 'r1', host: '127.0.0.1', port: 22, platform: 'cisco_ios', site: null, role: null, vendor: null, model: null, description: null, tags: '[]', variables: '{}', ssh: '{}', credential_id: id, enabled: 1, source: 'manual', netbox_id: null, missing_since: null, last_synced_at: null, created_at: now, updated_at: now }).execute(),
    );
    await store.close();

    const refused = await run(['credential', 'rm', 'core']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('used by 1 device (r1)');
    expect(refused.stderr).toContain('--force');

    const vaultBefore = readFileSync(join(home, 'vault.json'), 'utf8');
    const entriesBefore = Object.keys((JSON.parse(vaultBefore) as { entries: object }).entries).length;
    const forced = await runJson<{ removed: string; unlinked: { devices: { count: number } } }>(['credential', 'rm', 'core', '--force'], { home });
    expect(forced.code).toBe(0);
    expect(forced.data).toMatchObject({ removed: 'core', unlinked: { devices: { count: 1 } } });
    const entriesAfter = Object.keys((JSON.parse(readFileSync(join(home, 'vault.json'), 'utf8')) as { entries: object }).entries).length;
    expect(entriesAfter).toBe(entriesBefore - 2);

    const check = await openSqliteStore(join(home, 'netstacks.db'));
    const device = await check.db.selectFrom('devices').select('credential_id').where('name', '=', 'r1').executeTakeFirstOrThrow();
    await check.close();
    expect(device.credential_id).toBeNull();
    expect((await run(['credential', 'show', 'core'])).code).toBe(3);
  });
});

describe('vault master key through the CLI', () => {
  it('a wrong master key exits 6 with a clear message and changes nothing', async () => {
    const { home, cleanup } = tempHome('netstacks-cred-');
    try {
      expect((await runCli(['credential', 'add', 'a', '-u', 'x', '--password-stdin'], { home, input: `${PASSWORD}\n` })).code).toBe(0);
      const vault = join(home, 'vault.json');
      const before = readFileSync(vault);
      const wrong = { NETSTACKS_MASTER_KEY: 'not-the-key' };

      const add = await runCli(['credential', 'add', 'b', '-u', 'x', '--password-stdin'], { home, input: 'pw\n', env: wrong });
      expect(add.code).toBe(6);
      expect(add.stderr).toContain(`the vault at ${vault} was not encrypted with this master key; set NETSTACKS_MASTER_KEY to the key used before`);
      expect(add.stderr).not.toContain('not-the-key');

      const rm = await runCli(['credential', 'rm', 'a'], { home, env: wrong });
      expect(rm.code).toBe(6);
      expect(rm.stderr).toContain('was not encrypted with this master key');
      const status = await runCli(['secrets', 'status'], { home, env: wrong });
      expect(status.code).toBe(6);

      expect(readFileSync(vault).equals(before)).toBe(true);
      const list = await runJson<CredentialJson[]>(['credential', 'list'], { home });
      expect(list.data.map((c) => c.name)).toEqual(['a']);
      expect((await secretsOf(home, 'a')).password).toBe(PASSWORD);
    } finally {
      cleanup();
    }
  });

  it('without NETSTACKS_MASTER_KEY creates a 0600 key file, shared by concurrent processes', async () => {
    const { home, cleanup } = tempHome('netstacks-cred-');
    try {
      const env = { NETSTACKS_MASTER_KEY: undefined };
      const names = ['p1', 'p2', 'p3', 'p4'];
      // Create the database first: this test is about the vault and its key file, which stay absent.
      expect((await runCli(['settings', 'list'], { home, env })).code).toBe(0);
      expect(existsSync(join(home, 'vault.json')) || existsSync(join(home, 'master.key'))).toBe(false);
      const results = await Promise.all(
        names.map((name) => runCli(['credential', 'add', name, '-u', 'u', '--password-stdin'], { home, env, input: `${PASSWORD}-${name}\n` })),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const keyFile = join(home, 'master.key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const key = readFileSync(keyFile, 'utf8').trim();
      for (const name of names) expect((await secretsOf(home, name, key)).password).toBe(`${PASSWORD}-${name}`);

      const status = await runJson<{ backend: string; masterKey: string; location: string }>(['secrets', 'status'], { home, env });
      expect(status.data).toMatchObject({ backend: 'vault', masterKey: `key file ${keyFile}`, location: join(home, 'vault.json') });
    } finally {
      cleanup();
    }
  });
});
