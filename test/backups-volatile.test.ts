import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import { pushConfig, runCommands, type OperationEnv } from '../src/operations/index.js';
import { setSetting } from '../src/settings/index.js';
import { readBackup, runBackup } from '../src/backups/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';
import { startWebhookSink, type WebhookSink } from './helpers/webhook.js';

/**
 * Volatile lines per platform (issue 10, "Cleaning"): the lab's devices print them (asserted, so
 * the test is not vacuous), the stored backups lack them, and a change made and undone again
 * (which moves every timestamp) stores nothing new. And change hooks get the diff masked.
 */
const PLATFORMS = ['cisco_ios', 'cisco_xr', 'cisco_nxos', 'arista_eos', 'juniper_junos'];

/** per device: what its raw running config shows and a backup must not keep */
const VOLATILE: Record<string, RegExp[]> = {
  'ios-1': [/^Building configuration\.\.\.$/m, /^Current configuration : \d+ bytes$/m, /^! Last configuration change at /m, /^! NVRAM config last updated at /m, /^ntp clock-period \d+$/m],
  'xr-2': [/^Building configuration\.\.\.$/m, /^!! Last configuration change at /m],
  'nxos-3': [/^!Command: show running-config$/m, /^!Running configuration last done at: /m, /^!Time: /m],
  'eos-4': [/^! Command: show running-config$/m],
  'junos-5': [/^## Last commit: /m],
};

/** a change and its undoing, per device */
const CHANGE: Record<string, [string[], string[]]> = {
  'ios-1': [['interface Loopback55', ' description volatile-test'], ['no interface Loopback55']],
  'xr-2': [['interface Loopback55', ' description volatile-test'], ['no interface Loopback55']],
  'nxos-3': [['interface loopback55', '  description volatile-test'], ['no interface loopback55']],
  'eos-4': [['interface Loopback55', '   description volatile-test'], ['no interface Loopback55']],
  'junos-5': [['set interfaces lo0 unit 55 description volatile-test'], ['delete interfaces lo0 unit 55']],
};

let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-backups-volatile-');
let hook: WebhookSink;
const webhookBodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  lab = await startLab({ devices: PLATFORMS.length, platforms: PLATFORMS, port: 0, firstAddress: '127.0.161.1', controlSocket: false, seed: 21 });
  ({ store, env } = await openLabEnv(lab, temp.home));
  // Junos in its native format, where the `## Last commit` header is
  await setSetting(store, 'backup.junos_format', 'native');
  hook = await startWebhookSink(webhookBodies);
}, 60_000);

afterAll(async () => {
  hook?.close();
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const contents = async () => Number((await store.db.selectFrom('backup_contents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('volatile lines', () => {
  it('are printed by the devices and stripped from every stored backup, and from show version', async () => {
    const raw = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    const report = await runBackup(env, store, {});
    expect(report.counts).toMatchObject({ total: 5, success: 5, failed: 0 });
    for (const [device, patterns] of Object.entries(VOLATILE)) {
      const { config, backup } = await readBackup(store.db, device);
      for (const pattern of patterns) {
        expect(raw[device], `${device} prints ${pattern}`).toMatch(pattern);
        expect(config, `${device} stores ${pattern}`).not.toMatch(pattern);
      }
      // the rest of the config is kept
      expect(config.length, device).toBeGreaterThan(raw[device]!.length * 0.8);
      if (device === 'junos-5') expect(backup.format).toBe('native');
    }
    // show version: the uptime is printed and not kept
    for (const device of ['ios-1', 'xr-2', 'nxos-3']) {
      const printed = (await runCommands(env, { names: [device] }, ['show version'])).results[0]!.data!.outputs[0]!.output;
      expect(printed, device).toMatch(/uptime is/i);
      expect((await readBackup(store.db, device)).facts.version, device).not.toMatch(/uptime is/i);
    }
  }, 90_000);

  it('do not make a change: a change undone again moves every timestamp and stores nothing new', async () => {
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    const stored = await contents();
    // the timestamps have a resolution of a second
    await new Promise((r) => setTimeout(r, 1100));
    for (const [device, [change, undo]] of Object.entries(CHANGE)) {
      for (const lines of [change, undo]) {
        const pushed = await pushConfig(env, { names: [device] }, { lines });
        expect(pushed.results[0]?.status, `${device}: ${pushed.results[0]?.message}`).toBe('ok');
      }
    }
    for (const device of Object.keys(CHANGE)) {
      const now = lab.runningConfig(device);
      // the lab's EOS prints no timestamp in its running config
      if (device !== 'eos-4') expect(now, `${device}: its timestamps moved`).not.toBe(before[device]);
      expect(now).not.toContain('volatile-test');
    }
    const report = await runBackup(env, store, {});
    expect(report.counts).toMatchObject({ success: 5, changed: 0 });
    expect(await contents()).toBe(stored);
  }, 90_000);
});

describe('change hooks', () => {
  it('get the diff with secrets masked: the command in its diff file, the webhook in its JSON', async () => {
    const marker = join(temp.home, 'hook-diff.txt');
    await setSetting(store, 'backup.hooks', JSON.stringify([{ command: `cat "$NETSTACKS_DIFF_FILE" > ${marker}` }, { webhook: `http://127.0.0.1:${hook.port}/hook` }]));
    try {
      const pushed = await pushConfig(env, { names: ['ios-1'] }, { lines: ['snmp-server community hook-secret-77 RO'] });
      expect(pushed.results[0]?.status).toBe('ok');
      const report = await runBackup(env, store, { names: ['ios-1'] });
      expect(report.counts.changed).toBe(1);
      expect(report.hooks.filter((h) => !h.ok)).toEqual([]);
      const diff = readFileSync(marker, 'utf8');
      expect(diff).toMatch(/^\+snmp-server community <secret masked> RO$/m);
      expect(diff).not.toContain('hook-secret-77');
      expect(webhookBodies).toHaveLength(1);
      expect(String(webhookBodies[0]!.diff)).toMatch(/^\+snmp-server community <secret masked> RO$/m);
      expect(JSON.stringify(webhookBodies[0])).not.toContain('hook-secret-77');
      // stored as fetched: the secret is in the store, so its change was seen
      expect((await readBackup(store.db, 'ios-1')).config).toContain('snmp-server community hook-secret-77 RO');
    } finally {
      await setSetting(store, 'backup.hooks', '[]');
    }
  }, 60_000);
});
