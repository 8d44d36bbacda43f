import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialEnvVariable, credentialFromEnvironment, environmentCredentialStems, environmentSecrets } from '../src/mops/ci/env-credentials.js';
import { openTemporaryRun } from '../src/mops/ci/temp-store.js';
import { loadCredentialSecrets } from '../src/credentials/index.js';
import { listDevices } from '../src/inventory/devices.js';

/** Credentials from NETSTACKS_CREDENTIAL_* variables and the temporary store of a CI run, as a library. */

const dir = mkdtempSync(join(tmpdir(), 'netstacks-mops-ci-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

describe('credentials from the environment', () => {
  it('names variables as the issue says: upper case, every other character as _', () => {
    expect(credentialEnvVariable('core-admin', 'PASSWORD')).toBe('NETSTACKS_CREDENTIAL_CORE_ADMIN_PASSWORD');
    expect(credentialEnvVariable('lab.v2', 'KEY_FILE')).toBe('NETSTACKS_CREDENTIAL_LAB_V2_KEY_FILE');
  });

  it('reads every field; _KEY holds contents (escaped newlines unescaped), _KEY_FILE a path; never both', () => {
    const env = {
      NETSTACKS_CREDENTIAL_CORE_ADMIN_USERNAME: 'ops ',
      NETSTACKS_CREDENTIAL_CORE_ADMIN_PASSWORD: 'pw 1',
      NETSTACKS_CREDENTIAL_CORE_ADMIN_ENABLE: 'en',
      NETSTACKS_CREDENTIAL_CORE_ADMIN_KEY: KEY.replace(/\n/g, '\\n'),
      NETSTACKS_CREDENTIAL_CORE_ADMIN_KEY_PASSPHRASE: 'pp',
    };
    expect(credentialFromEnvironment('core-admin', env)).toEqual({ name: 'core-admin', username: 'ops', password: 'pw 1', enable: 'en', privateKey: `${KEY}\n`, keySource: 'NETSTACKS_CREDENTIAL_CORE_ADMIN_KEY', passphrase: 'pp' });
    const keyFile = join(dir, 'id_ed25519');
    writeFileSync(keyFile, `${KEY}\r\n`);
    expect(credentialFromEnvironment('edge', { NETSTACKS_CREDENTIAL_EDGE_USERNAME: 'u', NETSTACKS_CREDENTIAL_EDGE_KEY_FILE: keyFile })).toMatchObject({ privateKey: `${KEY}\n`, keySource: keyFile });
    expect(() => credentialFromEnvironment('edge', { NETSTACKS_CREDENTIAL_EDGE_USERNAME: 'u', NETSTACKS_CREDENTIAL_EDGE_KEY_FILE: keyFile, NETSTACKS_CREDENTIAL_EDGE_KEY: KEY })).toThrow(/both NETSTACKS_CREDENTIAL_EDGE_KEY and NETSTACKS_CREDENTIAL_EDGE_KEY_FILE/);
    expect(() => credentialFromEnvironment('edge', { NETSTACKS_CREDENTIAL_EDGE_USERNAME: 'u', NETSTACKS_CREDENTIAL_EDGE_KEY_FILE: join(dir, 'missing') })).toThrow(/cannot read the key file of NETSTACKS_CREDENTIAL_EDGE_KEY_FILE .*ENOENT/);
    expect(() => credentialFromEnvironment('edge', { NETSTACKS_CREDENTIAL_EDGE_PASSWORD: 'secret-pw' })).toThrow(/has no username/);
    expect(credentialFromEnvironment('absent', env)).toBeUndefined();
  });

  it('lists the secrets to mask (not usernames or key paths) and the credentials defined', () => {
    const env = {
      NETSTACKS_CREDENTIAL_A_USERNAME: 'alice',
      NETSTACKS_CREDENTIAL_A_PASSWORD: 'pa55word',
      NETSTACKS_CREDENTIAL_B_KEY_FILE: '/keys/b',
      NETSTACKS_CREDENTIAL_B_USERNAME: 'bob',
      NETSTACKS_CREDENTIAL_API_TOKEN: 'tok-123',
      NETSTACKS_CREDENTIAL_C_KEY_PASSPHRASE: 'phrase',
      OTHER: 'x',
    };
    expect(environmentSecrets(env).sort()).toEqual(['pa55word', 'phrase', 'tok-123']);
    expect(environmentCredentialStems(env)).toEqual(['A', 'API', 'B']);
  });
});

describe('the temporary store of a CI run', () => {
  it('imports the inventory with the environment credentials in memory, and removes its folder', async () => {
    const inventory = join(dir, 'inventory.csv');
    writeFileSync(inventory, 'name,host,platform,credential\nr1,192.0.2.1,cisco_ios,core-admin\nr2,192.0.2.2,arista_eos,\n');
    const root = join(dir, 'tmp');
    rmSync(root, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(root);
    const run = await openTemporaryRun({
      inventoryFile: inventory,
      tmpRoot: root,
      environment: { NETSTACKS_CREDENTIAL_CORE_ADMIN_USERNAME: 'ops', NETSTACKS_CREDENTIAL_CORE_ADMIN_PASSWORD: 'pw-xyz' },
    });
    try {
      expect(run.devices).toEqual(['r1', 'r2']);
      expect(run.credentials).toEqual(['core-admin']);
      expect(run.secrets).toEqual(['pw-xyz']);
      expect(run.hostKeys).toEqual({ mode: 'trust-on-first-use' });
      expect(run.env.strictHostKeys).toBe(false);
      expect(run.notes.join('\n')).toMatch(/devices without a credential use 'core-admin'/);
      expect((await listDevices(run.store.db)).map((d) => [d.name, d.platform])).toEqual([['r1', 'cisco_ios'], ['r2', 'arista_eos']]);
      const secrets = await loadCredentialSecrets(run.store.db, run.env.secrets, 'core-admin');
      expect(secrets).toMatchObject({ username: 'ops', password: 'pw-xyz' });
      // the row says the secret is in memory; the SQLite file never saw it
      const { readFileSync } = await import('node:fs');
      for (const f of readdirSync(run.home)) {
        if (f.startsWith('netstacks.db')) expect(readFileSync(join(run.home, f)).includes(Buffer.from('pw-xyz'))).toBe(false);
      }
      expect(readdirSync(root)).toHaveLength(1);
    } finally {
      await run.dispose();
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('names the file, line and column of a bad inventory, and creates nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'devices:\n  - name: r1\n    host: 192.0.2.1\n    prot: 22\n');
    const root = join(dir, 'tmp2');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(root, { recursive: true });
    await expect(openTemporaryRun({ inventoryFile: bad, tmpRoot: root, environment: {} })).rejects.toThrow(/bad\.yaml:4:5/);
    expect(readdirSync(root)).toEqual([]);
  });
});
