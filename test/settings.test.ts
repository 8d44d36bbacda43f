import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { readSettings, setSetting } from '../src/settings/index.js';

interface SettingJson {
  key: string;
  value: unknown;
  default: unknown;
  isDefault: boolean;
  description: string;
}

describe('settings commands', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-settings-')));
  afterAll(() => cleanup());

  it('lists every setting with defaults', async () => {
    const { code, data } = await runJson<SettingJson[]>(['settings', 'list'], { home });
    expect(code).toBe(0);
    const byKey = Object.fromEntries(data.map((s) => [s.key, s]));
    expect(Object.keys(byKey)).toEqual([
      'timezone', 'timeouts.connect', 'timeouts.auth', 'timeouts.banner', 'timeouts.prompt', 'timeouts.command', 'concurrency',
      'backup.retention_days', 'backup.keep_versions', 'backup.full_every', 'backup.junos_format', 'backup.mask_secrets', 'backup.hooks',
      'netbox.url', 'netbox.verify_tls', 'netbox.platform_map', 'ssh.keepalive_interval', 'ssh.keepalive_count_max', 'ssh.strict_host_keys', 'secrets.backend',
      'templates', 'templates.env', 'parse.templates', 'parse.ntc_templates', 'mops',
      'email.smtp_host', 'email.smtp_port', 'email.tls', 'email.from', 'email.credential',
    ]);
    expect(byKey['parse.templates']).toMatchObject({ value: null, isDefault: true });
    expect(byKey['timeouts.command']).toMatchObject({ value: 30, default: 30, isDefault: true });
    expect(byKey['concurrency']).toMatchObject({ value: 20, isDefault: true });
    expect(byKey['secrets.backend']).toMatchObject({ value: 'auto' });
  });

  it('sets, gets and unsets typed values', async () => {
    const set = await runCli(['settings', 'set', 'timezone', 'europe/amsterdam'], { home });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe('timezone = Europe/Amsterdam');
    expect((await runCli(['settings', 'get', 'timezone'], { home })).stdout).toBe('Europe/Amsterdam\n');

    expect((await runCli(['settings', 'set', 'timeouts.connect', '2.5'], { home })).code).toBe(0);
    expect((await runCli(['settings', 'set', 'netbox.verify_tls', 'no'], { home })).code).toBe(0);
    expect((await runCli(['settings', 'set', 'netbox.url', 'https://netbox.example.com/'], { home })).code).toBe(0);
    expect((await runCli(['settings', 'set', 'netbox.platform_map', '{"ios": "cisco_ios", "eos": "arista_eos"}'], { home })).code).toBe(0);

    const got = await runJson<SettingJson>(['settings', 'get', 'timeouts.connect'], { home });
    expect(got.data).toMatchObject({ key: 'timeouts.connect', value: 2.5, default: 10, isDefault: false });
    const list = await runCli(['settings', 'list'], { home });
    expect(list.stdout).toMatch(/timeouts\.connect\s+2\.5\s/);
    expect(list.stdout).toMatch(/timeouts\.auth\s+10 \(default\)/);

    const unset = await runJson<SettingJson>(['settings', 'unset', 'timeouts.connect'], { home });
    expect(unset.data).toMatchObject({ value: 10, isDefault: true });

    // stored as JSON text: the netbox helper reads netbox.platform_map straight from the table
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const rows = await store.db.selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
    const settings = await readSettings(store.db);
    await store.close();
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      'netbox.platform_map': '{"ios":"cisco_ios","eos":"arista_eos"}',
      'netbox.url': '"https://netbox.example.com"',
      'netbox.verify_tls': 'false',
      timezone: '"Europe/Amsterdam"',
    });
    expect(settings).toMatchObject({
      timezone: 'Europe/Amsterdam',
      timeouts: { connect: 10, auth: 10, banner: 15, command: 30 },
      netboxUrl: 'https://netbox.example.com',
      netboxVerifyTls: false,
      netboxPlatformMap: { ios: 'cisco_ios', eos: 'arista_eos' },
      secretsBackend: 'auto',
      templateFolders: [],
      templateEnv: 'ansible',
    });
    expect([...settings.explicit].sort()).toEqual(['netbox.platform_map', 'netbox.url', 'netbox.verify_tls', 'timezone']);

    expect((await runCli(['settings', 'set', 'netbox.url', ''], { home })).code).toBe(0);
    expect((await runJson<SettingJson>(['settings', 'get', 'netbox.url'], { home })).data.value).toBeNull();
  });

  it.each([
    [['timezone', 'Europe/Amsterdm'], /unknown time zone 'Europe\/Amsterdm'/, /did you mean 'Europe\/Amsterdam'/],
    [['timezone', '+01:00'], /expected an IANA time zone/, /.*/],
    [['concurrency', '0'], /expected a whole number from 1 to 1000/, /.*/],
    [['concurrency', '2.5'], /expected a whole number from 1 to 1000/, /.*/],
    [['timeouts.command', '-1'], /expected a number from 0\.1 to 86400 \(seconds\)/, /.*/],
    [['timeouts.connect', 'ten'], /invalid value 'ten'.*expected a number/, /.*/],
    [['backup.retention_days', '4000'], /from 1 to 3650/, /.*/],
    [['secrets.backend', 'keychan'], /expected one of: auto, keychain, vault/, /did you mean 'keychain'/],
    [['ssh.strict_host_keys', 'maybe'], /expected true or false/, /.*/],
    [['netbox.url', 'ftp://netbox'], /expected an http:\/\/ or https:\/\/ URL/, /.*/],
    [['netbox.platform_map', '{"ios": 3}'], /not a valid mapping/, /.*/],
    [['netbox.platform_map', '[1'], /not valid JSON/, /.*/],
  ])('rejects %j with exit 4', async (args, message, hint) => {
    const result = await runCli(['settings', 'set', ...args], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(hint);
  });

  it('suggests the nearest key for an unknown one (exit 3)', async () => {
    const result = await runCli(['settings', 'get', 'timeouts.conect'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("unknown setting 'timeouts.conect'");
    expect(result.stderr).toContain("did you mean 'timeouts.connect'?");
    const json = await runCli(['settings', 'set', 'nope', '1', '--json'], { home });
    expect(JSON.parse(json.stderr)).toMatchObject({ error: 'setting_not_found' });
  });

  it('names a bad stored value and how to fix it', async () => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    await store.write((tx) => tx.insertInto('settings').values({ key: 'concurrency', value: '5000', updated_at: 'x' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: '5000' })).execute());
    await expect(readSettings(store.db)).rejects.toThrow(/stored invalid value 5000 for setting 'concurrency'/);
    await setSetting(store, 'concurrency', '50');
    expect((await readSettings(store.db)).concurrency).toBe(50);
    await store.close();
  });

  it('secrets.backend picks the secret backend unless the environment overrides it', async () => {
    expect((await runCli(['settings', 'set', 'secrets.backend', 'vault'], { home })).code).toBe(0);
    const status = await runJson<{ backend: string; reason: string }>(['secrets', 'status'], { home, env: { NETSTACKS_SECRETS_BACKEND: undefined } });
    expect(status.data).toMatchObject({ backend: 'vault', reason: 'setting secrets.backend is vault' });
  });
});
