import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openSqliteStore, type Store } from '../src/store/store.js';
import {
  addDevice, addDeviceToGroup, addGroup, getDevice, listDevices, mergedVariables, removeDevice, resolveConnectionPlan,
  resolveConnectionPlans, saveDevices, setOverride, unsetOverride, getOverride, updateDevice,
} from '../src/inventory/index.js';
import { tempHome } from './helpers/cli.js';

const TIMEOUTS = { connect: 10, auth: 10, banner: 15, prompt: 20, command: 30 };

async function addCredential(store: Store, name: string, isDefault = false): Promise<void> {
  const now = new Date().toISOString();
  await store.write((tx) =>
    tx.insertInto('credentials').values({
      name, username: 'admin', secret_backend: 'vault', secret_ref: randomUUID(), has_password: 1, has_enable: 0,
      has_private_key: 0, has_passphrase: 0, is_default: isDefault ? 1 : 0, created_at: now, updated_at: now,
    }).execute(),
  );
}

describe('inventory library', () => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(async () => {
    const home = tempHome();
    cleanup = home.cleanup;
    store = await openSqliteStore(join(home.home, 'netstacks.db'));
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('gives a disabled override its reason as the skip reason, and a disabled device its own', async () => {
    await addDevice(store, { name: 'r1', host: '10.0.0.1' });
    await addDevice(store, { name: 'r2', host: '10.0.0.2', enabled: false });
    await setOverride(store, 'r1', { disabled: true, notes: 'RMA until Friday', port: 2222, connectTimeout: 3 });
    const [r1, r2] = await Promise.all([getDevice(store.db, 'r1'), getDevice(store.db, 'r2')]);
    const plan = await resolveConnectionPlan(store.db, r1, { timeouts: TIMEOUTS });
    expect(plan).toMatchObject({ device: 'r1', host: '10.0.0.1', port: 2222, skipReason: 'disabled by override: RMA until Friday' });
    expect(plan.timeouts).toEqual({ ...TIMEOUTS, connect: 3 });
    expect((await resolveConnectionPlan(store.db, r2, { timeouts: TIMEOUTS })).skipReason).toBe('device disabled');

    await unsetOverride(store, 'r1', ['disabled', 'notes']);
    const after = await resolveConnectionPlan(store.db, r1, { timeouts: TIMEOUTS });
    expect(after.skipReason).toBeNull();
    expect(after.port).toBe(2222);
    await unsetOverride(store, 'r1', ['port', 'connect-timeout']);
    expect(await getOverride(store.db, 'r1')).toBeUndefined();
  });

  it('layers timeouts: settings < platform defaults < explicit settings < override', async () => {
    await addDevice(store, { name: 'r1', host: '10.0.0.1', platform: 'juniper_junos' });
    const device = await getDevice(store.db, 'r1');
    const platformTimeouts = (platform: string) => (platform === 'juniper_junos' ? { command: 120, banner: 40 } : undefined);
    const plain = await resolveConnectionPlan(store.db, device, { timeouts: TIMEOUTS, platformTimeouts });
    expect(plain.timeouts).toEqual({ connect: 10, auth: 10, banner: 40, prompt: 20, command: 120 });
    const explicit = await resolveConnectionPlan(store.db, device, { timeouts: TIMEOUTS, platformTimeouts, explicitSettings: new Set(['timeouts.command']) });
    expect(explicit.timeouts.command).toBe(30);
    await setOverride(store, 'r1', { commandTimeout: 5, platform: 'cisco_ios' });
    const overridden = await resolveConnectionPlan(store.db, device, { timeouts: TIMEOUTS, platformTimeouts });
    expect(overridden).toMatchObject({ platform: 'cisco_ios', timeouts: { connect: 10, auth: 10, banner: 15, command: 5 } });
  });

  it('resolves credentials override > device > highest group > default, and merges ssh options', async () => {
    for (const name of ['dflt', 'low', 'high', 'dev', 'ovr']) await addCredential(store, name, name === 'dflt');
    await addDevice(store, { name: 'r1', host: '10.0.0.1', ssh: { legacyAlgorithms: true } });
    const plan = async () => resolveConnectionPlan(store.db, await getDevice(store.db, 'r1'), { timeouts: TIMEOUTS });
    expect(await plan()).toMatchObject({ credential: 'dflt', credentialSource: 'default' });
    await addGroup(store, { name: 'a-high', priority: 10, credential: 'high', ssh: { jumpHosts: ['bastion'] } });
    await addGroup(store, { name: 'z-low', priority: 1, credential: 'low', ssh: { jumpHosts: ['other'], legacyAlgorithms: false } });
    await addDeviceToGroup(store, 'z-low', 'r1');
    await addDeviceToGroup(store, 'a-high', 'r1');
    expect((await getDevice(store.db, 'r1')).groups).toEqual(['z-low', 'a-high']);
    expect(await plan()).toMatchObject({ credential: 'high', credentialSource: 'group', ssh: { jumpHosts: ['bastion'], legacyAlgorithms: true } });
    await updateDevice(store, 'r1', { credential: 'dev' });
    expect(await plan()).toMatchObject({ credential: 'dev', credentialSource: 'device' });
    await setOverride(store, 'r1', { credential: 'ovr' });
    expect(await plan()).toMatchObject({ credential: 'ovr', credentialSource: 'override' });
  });

  it('merges variables defaults < groups by priority < device, deep for mappings, replacing lists', async () => {
    await addGroup(store, { name: 'defaults', variables: { ntp: { servers: ['1.1.1.1'], prefer: true }, domain: 'corp' } });
    await addGroup(store, { name: 'core', priority: 5, variables: { ntp: { servers: ['2.2.2.2'] }, snmp: 'core' } });
    await addGroup(store, { name: 'edge', priority: 1, variables: { snmp: 'edge', vlan: 10 } });
    await addDevice(store, { name: 'r1', host: '10.0.0.1', groups: ['core', 'edge'], variables: { vlan: 20 } });
    const merged = await mergedVariables(store.db, await getDevice(store.db, 'r1'));
    expect(merged.variables).toEqual({ ntp: { servers: ['2.2.2.2'], prefer: true }, domain: 'corp', snmp: 'core', vlan: 20 });
    expect(merged.origin).toEqual({ ntp: 'group:core', domain: 'defaults', snmp: 'group:core', vlan: 'device' });
  });

  it('upserts 10,000 devices in one transaction, idempotently, and lists them', async () => {
    await addGroup(store, { name: 'core' });
    const inputs = Array.from({ length: 10_000 }, (_, i) => ({
      name: `dev${String(i).padStart(5, '0')}`, host: `10.${i >> 8}.${i & 255}.1`, site: `site${i % 20}`, tags: ['lab'],
      variables: { index: i }, groups: i % 2 ? ['core'] : [],
    }));
    const first = await saveDevices(store, inputs, { source: 'import' });
    expect(first.added).toHaveLength(10_000);
    const devices = await listDevices(store.db);
    expect(devices).toHaveLength(10_000);
    expect(devices[1]).toMatchObject({ name: 'dev00001', groups: ['core'], source: 'import', variables: { index: 1 } });
    const again = await saveDevices(store, [...inputs.slice(0, 9_999), { ...inputs[9_999]!, host: '192.0.2.1' }], { source: 'import' });
    expect(again).toMatchObject({ added: [], updated: ['dev09999'] });
    expect(again.unchanged).toHaveLength(9_999);
  });

  it('saves all or nothing: an unknown group or credential rolls the whole batch back', async () => {
    await addDevice(store, { name: 'keep', host: '10.0.0.1' });
    const batch = [{ name: 'a', host: '10.0.0.2' }, { name: 'keep', host: '10.0.0.9' }, { name: 'b', host: '10.0.0.3', groups: ['nope'] }];
    await expect(saveDevices(store, batch, { source: 'import' })).rejects.toThrow(/group 'nope' not found/);
    await expect(saveDevices(store, [{ name: 'c', host: '10.0.0.4', credential: 'ghost' }], { source: 'import' })).rejects.toThrow(/credential 'ghost' not found/);
    await expect(saveDevices(store, [{ name: 'd', host: 'h' }, { name: 'd', host: 'h' }], { source: 'import' })).rejects.toThrow(/more than once/);
    expect((await listDevices(store.db)).map((d) => [d.name, d.host])).toEqual([['keep', '10.0.0.1']]);
    const synced = await saveDevices(store, [{ name: 'keep', host: '10.0.0.1' }], { source: 'netbox', syncedAt: '2026-01-01T00:00:00.000Z' });
    expect(synced.updated).toEqual(['keep']);
    expect(await getDevice(store.db, 'keep')).toMatchObject({ source: 'netbox', lastSyncedAt: '2026-01-01T00:00:00.000Z' });
    expect((await saveDevices(store, [{ name: 'keep', site: 'lon' }], { source: 'netbox' })).updated).toEqual(['keep']);
    expect(await getDevice(store.db, 'keep')).toMatchObject({ host: '10.0.0.1', site: 'lon' });
    await expect(saveDevices(store, [{ name: 'new-without-host' }], { source: 'import' })).rejects.toThrow(/needs a host/);
  });

  it('removes a device with its override and memberships', async () => {
    await addGroup(store, { name: 'core' });
    await addDevice(store, { name: 'r1', host: '10.0.0.1', groups: ['core'] });
    expect(await setOverride(store, 'r1', { disabled: false })).toBeUndefined();
    expect(await store.db.selectFrom('device_overrides').selectAll().execute()).toEqual([]);
    await setOverride(store, 'r1', { disabled: true });
    await removeDevice(store, 'r1');
    expect(await store.db.selectFrom('device_overrides').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('group_members').selectAll().execute()).toEqual([]);
    await expect(getDevice(store.db, 'r1')).rejects.toThrow(/device 'r1' not found/);
    const plans = await resolveConnectionPlans(store.db, [], { timeouts: TIMEOUTS });
    expect(plans).toEqual([]);
  });
});
