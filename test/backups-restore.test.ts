import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { addCredential } from '../src/credentials/index.js';
import { addDevice } from '../src/inventory/index.js';
import { loadOperationEnv, pushConfig, runCommands, type OperationEnv } from '../src/operations/index.js';
import { getPlatform } from '../src/platforms/index.js';
import { applyCleanup } from '../src/session/output.js';
import { setSetting } from '../src/settings/index.js';
import { listBackups, maskSecrets, readBackup, runBackup } from '../src/backups/index.js';
import { applyRestore, planRestore, tclSafe } from '../src/backups/restore.js';
import { curlyToSetLines } from '../src/lab/personalities/junos-load.js';
import { tempHome } from './helpers/cli.js';

/**
 * `backup restore` against the lab: a version is backed up, the device is changed (a line added,
 * one removed), the restore runs, and the device's running config, read again over a new
 * session, must be the stored version. IOS through Tcl + configure replace, Junos through
 * load override / load set + commit confirmed, EOS through a clean-config session, NX-OS
 * through the config model's replace remediation.
 */
const PLATFORMS = ['cisco_ios', 'juniper_junos', 'arista_eos', 'cisco_nxos', 'juniper_junos', 'fortinet'];

let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-restore-');

beforeAll(async () => {
  lab = await startLab({ devices: PLATFORMS.length, platforms: PLATFORMS, port: 0, firstAddress: '127.0.157.1', controlSocket: false, seed: 11, minuteMs: 2000, deviceQuirks: { 'fgt-6': ['fortios-vdoms'] } });
  store = await openSqliteStore(homeFiles.database(temp.home));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const device of lab.devices) {
    await addDevice(store, { name: device.name, host: device.host, port: lab.port, platform: device.platform, credential: 'lab', tags: ['lab'] });
  }
  env = await loadOperationEnv(store, secrets, temp.home, { sshConfigFile: false });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

/** The device's config now, over a fresh session, cleaned as the backup of that format was. */
async function runningNow(device: string, platform: string, command: string): Promise<string> {
  const summary = await runCommands(env, { names: [device] }, [command]);
  const output = summary.results[0]?.data?.outputs[0]?.output ?? '';
  const cleanup = getPlatform(platform).backup?.formats?.set?.command === command ? getPlatform(platform).backup!.formats!.set!.cleanup : getPlatform(platform).runningConfig.cleanup;
  return applyCleanup(output, cleanup);
}

const lines = (text: string) => text.split('\n').map((l) => l.trimEnd()).filter(Boolean);

async function backupOf(device: string): Promise<{ id: number; config: string }> {
  const report = await runBackup(env, store, { names: [device] });
  expect(report.counts.success, JSON.stringify(report)).toBe(1);
  const latest = (await listBackups(store.db, { device }))[0]!;
  return { id: latest.id, config: (await readBackup(store.db, device, String(latest.id))).config };
}

async function push(device: string, commands: string[]): Promise<void> {
  const summary = await pushConfig(env, { names: [device] }, { lines: commands });
  expect(summary.results[0]?.status, summary.results[0]?.message).toBe('ok');
}

describe('backup restore', () => {
  it('IOS: the version goes to flash through Tcl and configure replace makes it the running config', async () => {
    const v1 = await backupOf('ios-1');
    const removed = /^ntp server .*$/m.exec(v1.config)?.[0] ?? /^logging host .*$/m.exec(v1.config)?.[0];
    expect(removed).toBeDefined();
    await push('ios-1', ['interface Loopback77', ' description restore-test', `no ${removed}`]);
    const changed = await runningNow('ios-1', 'cisco_ios', 'show running-config');
    expect(changed).toContain('restore-test');

    const plan = await planRestore(env, store, 'ios-1', String(v1.id));
    expect(plan.method).toBe('ios-configure-replace');
    expect(plan.identical).toBe(false);
    expect(plan.steps).toContain('configure replace flash:netstacks-restore.cfg force');
    expect(plan.commands.join('\n')).toMatch(/no interface Loopback77/);

    const result = await applyRestore(env, plan);
    expect(result).toMatchObject({ matches: true, remaining: [] });
    const after = await runningNow('ios-1', 'cisco_ios', 'show running-config');
    expect(lines(after)).toEqual(lines(v1.config));
    expect(after).not.toContain('restore-test');
    expect(after).toContain(removed);
    // the file written for configure replace is gone again
    const dir = await runCommands(env, { names: ['ios-1'] }, ['dir flash:']);
    expect(dir.results[0]?.data?.outputs[0]?.output).not.toContain('netstacks-restore.cfg');
  }, 60_000);

  it('Junos (set versions): delete + load set terminal, commit confirmed, post-check, commit', async () => {
    const v1 = await backupOf('junos-2');
    expect(v1.config.startsWith('set ')).toBe(true);
    const removed = v1.config.split('\n').find((l) => l.startsWith('set system ntp') || l.startsWith('set snmp'))!;
    expect(removed).toBeDefined();
    await push('junos-2', ['set interfaces lo0 unit 77 description restore-test', `delete ${removed.slice(4)}`]);

    const plan = await planRestore(env, store, 'junos-2', String(v1.id));
    expect(plan.method).toBe('junos-load-set');
    const result = await applyRestore(env, plan, { confirmMinutes: 1 });
    expect(result).toMatchObject({ matches: true, confirmed: true });
    const after = await runningNow('junos-2', 'juniper_junos', 'show configuration | display set');
    expect(lines(after)).toEqual(lines(v1.config));
    // confirmed: the lab's commit-confirmed minute (2 s here) passes and nothing rolls back
    await new Promise((r) => setTimeout(r, 2500));
    expect(lines(await runningNow('junos-2', 'juniper_junos', 'show configuration | display set'))).toEqual(lines(v1.config));
  }, 60_000);

  it('Junos (native versions): load override terminal', async () => {
    await setSetting(store, 'backup.junos_format', 'native');
    try {
      const v1 = await backupOf('junos-5');
      expect(v1.config).toMatch(/^system \{/m);
      await push('junos-5', ['set interfaces lo0 unit 78 description restore-native']);
      const plan = await planRestore(env, store, 'junos-5', String(v1.id));
      expect(plan.method).toBe('junos-load-override');
      const result = await applyRestore(env, plan);
      expect(result).toMatchObject({ matches: true, confirmed: true });
      const after = await runningNow('junos-5', 'juniper_junos', 'show configuration');
      expect(lines(after)).toEqual(lines(v1.config));
      expect(after).not.toContain('restore-native');
    } finally {
      await setSetting(store, 'backup.junos_format', 'set');
    }
  }, 60_000);

  it('EOS: a configure session from rollback clean-config, committed', async () => {
    const v1 = await backupOf('eos-3');
    await push('eos-3', ['vlan 777', '   name restore-test', 'interface Loopback77', '   description restore-test']);
    const plan = await planRestore(env, store, 'eos-3', String(v1.id));
    expect(plan.method).toBe('eos-session-replace');
    const result = await applyRestore(env, plan);
    expect(result).toMatchObject({ matches: true });
    const after = await runningNow('eos-3', 'arista_eos', 'show running-config');
    expect(lines(after)).toEqual(lines(v1.config));
    expect(after).not.toContain('restore-test');
  }, 60_000);

  it('EOS lab: a clean-config session keeps lines as typed, nested by indentation, and refuses unknown top-level words', async () => {
    const { withDeviceSession } = await import('../src/operations/connect.js');
    const { fanOutOverTargets } = await import('../src/operations/fan-out.js');
    const { resolveTargets } = await import('../src/operations/targets.js');
    const targets = await resolveTargets(env, { names: ['eos-3'] });
    const summary = await fanOutOverTargets(env, targets, { targets }, (c, deps, ctx) =>
      withDeviceSession(c, deps, ctx, async ({ session }) => {
        const send = (text: string, mode: string) => session.sendInMode!(mode, text, { timeoutMs: 5000 });
        await send('configure session lab-clean', 'privileged');
        await send('rollback clean-config', 'configuration');
        await send('hostname clean-1', 'configuration');
        await send('interface Ethernet5', 'configuration');
        await send('   no switchport', 'configuration');
        const diffs = (await send('show session-config diffs', 'configuration')).output;
        const refused = await send('frobnicate now', 'configuration').then(() => 'taken', (e: Error) => e.message);
        await send('abort', 'configuration');
        return { diffs, refused };
      }), 10);
    const data = summary.results[0]?.data;
    expect(data?.diffs).toMatch(/^\+\s*no switchport$/m);
    expect(data?.diffs).toMatch(/^-\s*hostname eos-3$/m);
    expect(data?.refused).toMatch(/Invalid input/);
    expect(await runningNow('eos-3', 'arista_eos', 'show running-config')).toContain('hostname eos-3');
  }, 30_000);

  it('NX-OS: through the config model (replace remediation), then the post-check', async () => {
    const v1 = await backupOf('nxos-4');
    await push('nxos-4', ['interface loopback77', '  description restore-test']);
    const plan = await planRestore(env, store, 'nxos-4', String(v1.id));
    expect(plan.method).toBe('config-model');
    expect(plan.commands.join('\n')).toMatch(/no interface loopback77/i);
    const result = await applyRestore(env, plan);
    expect(result.remaining).toEqual([]);
    const after = await runningNow('nxos-4', 'cisco_nxos', 'show running-config');
    expect(lines(after)).toEqual(lines(v1.config));
  }, 60_000);

  it('a version that already is the running config plans as identical', async () => {
    const v = await backupOf('nxos-4');
    const plan = await planRestore(env, store, 'nxos-4', String(v.id));
    expect(plan.identical).toBe(true);
  }, 30_000);

  it('FortiOS with VDOMs: the backup holds the global config and every VDOM, cleaned and masked on the way out', async () => {
    await push('fgt-6', ['config vdom', 'edit cust1', 'config router static', 'edit 1', 'set dst 172.30.0.0 255.255.0.0', 'next', 'end', 'end']);
    const v1 = await backupOf('fgt-6');
    const text = v1.config;
    expect(text).not.toMatch(/^#conf_file_ver=/m);
    const global = /^config global\n([\s\S]*?)^end\nconfig vdom$/m.exec(text)?.[1] ?? '';
    expect(global).toMatch(/^config system global$/m);
    expect(global).not.toMatch(/^config firewall /m);
    const vdoms = text.slice(text.lastIndexOf('\nconfig vdom\n'));
    const root = /^edit root\n([\s\S]*?)^next$/m.exec(vdoms)?.[1] ?? '';
    const cust1 = /^edit cust1\n([\s\S]*?)^next$/m.exec(vdoms)?.[1] ?? '';
    expect(root).toMatch(/^config firewall /m);
    expect(root).not.toMatch(/^config system global$/m);
    expect(cust1).toMatch(/^config router static\n\s+edit 1\n\s+set dst 172\.30\.0\.0 255\.255\.0\.0$/m);
    expect(maskSecrets(global, 'fortinet')).toMatch(/set password <secret masked>/);
    // nothing volatile: a second backup stores nothing new
    await runBackup(env, store, { names: ['fgt-6'] });
    expect((await listBackups(store.db, { device: 'fgt-6' }))[0]).toMatchObject({ changed: false });
  }, 60_000);

  it('Tcl carries only brace-balanced text; the lab reads curly configs back into set lines', () => {
    expect(tclSafe('banner motd ^C hi {there} ^C\nhostname a')).toBe(true);
    expect(tclSafe('description }oops')).toBe(false);
    expect(tclSafe('description {open')).toBe(false);
    expect(tclSafe('line ending \\')).toBe(false);
    expect(curlyToSetLines('version 21.4;\nsystem {\n    host-name a;\n    login {\n        user x {\n            uid 2000; ## SECRET-DATA\n        }\n    }\n}\n')).toEqual({
      lines: ['system host-name a', 'system login user x uid 2000'],
      errors: [],
    });
    expect(curlyToSetLines('system {\n  host-name a;\n').errors.length).toBe(1);
  });
});
