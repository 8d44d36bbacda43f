import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson, tempHome } from './helpers/cli.js';

interface Status {
  backend: string;
  reason: string;
  location: string;
  usable?: boolean;
}

const headless = !process.env.DBUS_SESSION_BUS_ADDRESS && process.platform === 'linux';

describe('secrets status', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-secrets-')));
  afterAll(() => cleanup());

  it('auto picks the keychain when it answers, else the vault, and says why', async () => {
    const { code, data } = await runJson<Status>(['secrets', 'status'], { home, env: { NETSTACKS_SECRETS_BACKEND: undefined } });
    expect(code).toBe(0);
    if (data.backend === 'vault') {
      expect(data.reason).toMatch(/^keychain unavailable: .+; using the encrypted vault$/);
      expect(data.location).toBe(`${home}/vault.json`);
    } else {
      expect(data).toMatchObject({ backend: 'keychain', reason: 'auto: the OS keychain answered' });
    }
    if (headless) expect(data.backend).toBe('vault');
  });

  it.skipIf(!headless)('an explicitly requested keychain that cannot answer is reported, and writing fails with exit 6', async () => {
    const env = { NETSTACKS_SECRETS_BACKEND: 'keychain' };
    const status = await runJson<Status>(['secrets', 'status'], { home, env });
    expect(status.code).toBe(6);
    expect(status.data).toMatchObject({ backend: 'keychain', usable: false });
    expect(status.data.reason).toMatch(/^NETSTACKS_SECRETS_BACKEND is keychain, but the keychain is unavailable: /);
    const add = await runCli(['credential', 'add', 'k', '-u', 'u', '--password-stdin'], { home, env, input: 'pw\n' });
    expect(add.code).toBe(6);
    expect(add.stderr).toContain('the OS keychain is not available');
    expect((await runJson<unknown[]>(['credential', 'list'], { home })).data).toEqual([]);
  });

  it('rejects an unknown NETSTACKS_SECRETS_BACKEND', async () => {
    const result = await runCli(['secrets', 'status'], { home, env: { NETSTACKS_SECRETS_BACKEND: 'safe' } });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('use one of: auto, keychain, vault');
  });
});
