import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../src/store/store.js';
import type { Device, DeviceOverride, Group } from '../src/inventory/types.js';
import { runCli, runJson, tempHome } from './helpers/cli.js';

type ShownDevice = Device & { resolvedCredential: { name: string | null; source: string }; override: DeviceOverride | null; skipReason: string | null };

// each test spawns the CLI 8-15 times; on a loaded 2-core machine that can pass the default 30 s
describe('inventory CLI', { timeout: 90_000 }, () => {
  let home: string;
  let cleanup: () => void;
  const cli = (...args: string[]) => runCli(args, { home });
  const json = <T>(...args: string[]) => runJson<T>(args, { home });

  beforeAll(() => ({ home, cleanup } = tempHome()));
  afterAll(() => cleanup());

  it('adds devices and rejects duplicates, bad ports and unknown names with clear errors', async () => {
    const added = await json<Device>('device', 'add', 'core-r1', '--host', '10.0.0.1', '--platform', 'arista_eos', '--site', 'lon',
      '--tag', 'core', '--tag', 'edge', '--var', 'vlan=10', '--var', 'ntp=[1.1.1.1, 2.2.2.2]', '--var', 'name=x');
    expect(added.code).toBe(0);
    expect(added.data).toMatchObject({ name: 'core-r1', host: '10.0.0.1', port: 22, platform: 'arista_eos', site: 'lon', tags: ['core', 'edge'],
      variables: { vlan: 10, ntp: ['1.1.1.1', '2.2.2.2'], name: 'x' }, enabled: true, source: 'manual', groups: [] });
    expect((await cli('device', 'add', 'acc-r2', '--host', 'r2.example.net', '--port', '2222', '--disabled')).code).toBe(0);

    const [duplicate, badPort, badName, unknown] = await Promise.all([
      cli('device', 'add', 'core-r1', '--host', '10.9.9.9'),
      cli('device', 'add', 'r3', '--host', '10.0.0.3', '--port', '70000'),
      cli('device', 'add', 'bad name', '--host', '10.0.0.3'),
      cli('device', 'show', 'core-r'),
    ]);
    expect(duplicate.code).toBe(5);
    expect(duplicate.stderr).toContain("device 'core-r1' already exists");
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain("invalid value '70000' for --port: expected a whole number from 1 to 65535");
    expect(badName.code).toBe(4);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("did you mean 'core-r1'?");

  });

  it('lists, edits and removes devices', async () => {
    const list = await json<Device[]>('device', 'list');
    expect(list.data.map((d) => [d.name, d.port, d.enabled])).toEqual([['acc-r2', 2222, false], ['core-r1', 22, true]]);
    const table = await cli('device', 'list');
    expect(table.stdout).toMatch(/core-r1\s+10\.0\.0\.1\s+arista_eos\s+lon\s+core, edge\s+enabled/);
    const selected = await json<Device[]>('device', 'list', '--on', 'tag:core');
    expect(selected.data.map((d) => d.name)).toEqual(['core-r1']);

    const edited = await json<Device>('device', 'edit', 'core-r1', '--rename', 'core-r9', '--untag', 'edge', '--tag', 'spine',
      '--unset-var', 'name', '--var', 'vlan=20', '--port', '830', '--site', '', '--disable');
    expect(edited.code).toBe(0);
    expect(edited.data).toMatchObject({ name: 'core-r9', port: 830, site: null, tags: ['core', 'spine'], variables: { vlan: 20, ntp: ['1.1.1.1', '2.2.2.2'] }, enabled: false });
    expect((await cli('device', 'edit', 'core-r9', '--rename', 'acc-r2')).code).toBe(5);
    expect((await cli('device', 'edit', 'core-r9', '--port', 'ssh')).code).toBe(2);

    const refused = await cli('device', 'rm', 'core-r9');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect((await cli('device', 'rm', 'core-r9', '--yes')).code).toBe(0);
    expect((await cli('device', 'rm', 'core-r9', '--yes')).code).toBe(3);
    expect((await json<Device[]>('device', 'list')).data.map((d) => d.name)).toEqual(['acc-r2']);
  });

  it('manages groups and memberships', async () => {
    expect((await cli('group', 'add', 'access', '--priority', '5', '--description', 'access layer', '--var', 'snmp=public',
      '--jump-host', 'bastion', '--legacy-algorithms')).code).toBe(0);
    expect((await cli('group', 'add', 'access')).code).toBe(5);
    expect((await cli('group', 'add', 'x', '--priority', 'high')).code).toBe(2);
    const joined = await json<Group>('group', 'add-device', 'access', 'acc-r2');
    expect(joined.data).toMatchObject({ name: 'access', priority: 5, members: ['acc-r2'], variables: { snmp: 'public' }, ssh: { jumpHosts: ['bastion'], legacyAlgorithms: true } });
    expect((await cli('group', 'add-device', 'acess', 'acc-r2')).stderr).toContain("did you mean 'access'?");
    expect((await json<Device>('device', 'show', 'acc-r2')).data.groups).toEqual(['access']);
    const hopped = await json<Device>('device', 'edit', 'acc-r2', '--jump-host', 'hop1', '--jump-host', 'hop2', '--no-legacy-algorithms');
    expect(hopped.data.ssh).toEqual({ jumpHosts: ['hop1', 'hop2'], legacyAlgorithms: false });
    expect((await json<Device>('device', 'edit', 'acc-r2', '--no-jump-host')).data.ssh).toEqual({ legacyAlgorithms: false });
    const list = await json<Group[]>('group', 'list');
    expect(list.data.map((g) => [g.name, g.members])).toEqual([['access', ['acc-r2']]]);
    expect((await json<Group>('group', 'remove-device', 'access', 'acc-r2')).data.members).toEqual([]);
    expect((await cli('group', 'remove-device', 'access', 'acc-r2')).code).toBe(4);
    expect((await json<Group>('group', 'edit', 'access', '--rename', 'acc', '--unset-var', 'snmp')).data).toMatchObject({ name: 'acc', variables: {} });
    expect((await cli('group', 'rm', 'acc')).code).toBe(0);
    expect((await cli('group', 'show', 'acc')).code).toBe(3);
  });

  it('sets, shows and unsets overrides, and device show reports the skip reason', async () => {
    const set = await json<DeviceOverride>('device', 'override', 'set', 'acc-r2', '--host', '192.0.2.7', '--command-timeout', '90', '--disable', '--reason', 'RMA 1234');
    expect(set.data).toMatchObject({ device: 'acc-r2', host: '192.0.2.7', commandTimeout: 90, disabled: true, notes: 'RMA 1234' });
    expect((await cli('device', 'override', 'set', 'acc-r2', '--port', '0')).code).toBe(2);
    expect((await cli('device', 'override', 'set', 'nope', '--port', '22')).code).toBe(3);
    const shown = await json<ShownDevice>('device', 'show', 'acc-r2');
    expect(shown.data.skipReason).toBe('disabled by override: RMA 1234');
    expect(shown.data.host).toBe('r2.example.net');
    const human = await cli('device', 'show', 'acc-r2');
    expect(human.stdout).toMatch(/override\s+host=192\.0\.2\.7 command-timeout=90s disabled \(RMA 1234\)/);

    const typo = await cli('device', 'override', 'unset', 'acc-r2', 'hots');
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain("did you mean 'host'?");
    const partly = await json<DeviceOverride>('device', 'override', 'unset', 'acc-r2', 'disabled', 'notes');
    expect(partly.data).toMatchObject({ host: '192.0.2.7', disabled: false, notes: null });
    expect((await json<ShownDevice>('device', 'show', 'acc-r2')).data.skipReason).toBe('device disabled');
    expect((await json<null>('device', 'override', 'unset', 'acc-r2')).data).toBeNull();
    expect((await json<null>('device', 'override', 'show', 'acc-r2')).data).toBeNull();
  });

  it('shows merged variables with their origin: defaults < groups by priority < device', async () => {
    await cli('group', 'add', 'defaults', '--var', 'domain=corp', '--var', 'ntp={servers: [1.1.1.1], prefer: true}', '--var', 'snmp=public');
    await cli('group', 'add', 'high', '--priority', '10', '--var', 'snmp=high', '--var', 'ntp={servers: [9.9.9.9]}');
    await cli('group', 'add', 'low', '--priority', '1', '--var', 'snmp=low', '--var', 'vlan=5');
    await cli('device', 'add', 'v1', '--host', '10.1.1.1', '--group', 'high', '--group', 'low', '--var', 'vlan=7');
    const shown = await json<{ variables: Record<string, unknown>; origin: Record<string, string> }>('device', 'show', 'v1', '--vars');
    expect(shown.data.variables).toEqual({ domain: 'corp', ntp: { servers: ['9.9.9.9'], prefer: true }, snmp: 'high', vlan: 7 });
    expect(shown.data.origin).toEqual({ domain: 'defaults', ntp: 'group:high', snmp: 'group:high', vlan: 'device' });
    await cli('group', 'edit', 'low', '--priority', '20');
    const reordered = await json<{ variables: Record<string, unknown>; origin: Record<string, string> }>('device', 'show', 'v1', '--vars');
    expect(reordered.data.variables.snmp).toBe('low');
    expect(reordered.data.origin.snmp).toBe('group:low');
    const table = await cli('device', 'show', 'v1', '--vars');
    expect(table.stdout).toMatch(/domain\s+corp\s+defaults/);
  });

  it('resolves the credential override > device > group > default and says where it came from', async () => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const now = new Date().toISOString();
    await store.write((tx) =>
      tx.insertInto('credentials').values(['fallback', 'grp', 'dev', 'ovr'].map((name) => ({
        name, username: 'admin', secret_backend: 'vault', secret_ref: randomUUID(), has_password: 1, has_enable: 0, has_private_key: 0,
        has_passphrase: 0, is_default: name === 'fallback' ? 1 : 0, created_at: now, updated_at: now,
      }))).execute(),
    );
    await store.close();
    const credential = async () => (await json<ShownDevice>('device', 'show', 'v1')).data.resolvedCredential;

    expect(await credential()).toEqual({ name: 'fallback', source: 'default' });
    expect((await cli('group', 'edit', 'high', '--credential', 'grp')).code).toBe(0);
    expect(await credential()).toEqual({ name: 'grp', source: 'group' });
    expect((await cli('device', 'edit', 'v1', '--credential', 'dve')).stderr).toContain("did you mean 'dev'?");
    expect((await cli('device', 'edit', 'v1', '--credential', 'dev')).code).toBe(0);
    expect(await credential()).toEqual({ name: 'dev', source: 'device' });
    expect((await cli('device', 'override', 'set', 'v1', '--credential', 'ovr')).code).toBe(0);
    expect(await credential()).toEqual({ name: 'ovr', source: 'override' });
    expect((await cli('device', 'show', 'v1')).stdout).toMatch(/credential\s+ovr \(from override\)/);
    await cli('device', 'override', 'unset', 'v1', 'credential');
    await cli('device', 'edit', 'v1', '--no-credential');
    expect(await credential()).toEqual({ name: 'grp', source: 'group' });
  });
});
