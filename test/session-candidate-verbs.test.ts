import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { DeviceSession } from '../src/session/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv, withLabSession } from './helpers/lab.js';

/**
 * The candidate verbs stacks need (commit confirmed, confirm, discard, rollback), in the modes the
 * platform data names, against lab Junos and IOS-XR devices; a lines platform refuses them.
 */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-verbs-');
const MINUTE_MS = 300;

beforeAll(async () => {
  lab = await startLab({ devices: 3, platforms: ['juniper_junos', 'cisco_xr', 'cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.79.1', controlSocket: false, minuteMs: MINUTE_MS });
  ({ store, env } = await openLabEnv(lab, temp.home, { logDir: join(temp.home, 'logs') }));
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const withSession = <T>(device: string, work: (session: DeviceSession) => Promise<T>): Promise<T> => withLabSession(env, device, work);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('candidate verbs', () => {
  it('Junos: a confirmed commit stays; an unconfirmed one reverts by itself', async () => {
    await withSession('junos-1', async (s) => {
      await s.pushConfig(['set snmp location "kept"'], { commitConfirmedMinutes: 1 });
      await s.confirm();
    });
    await withSession('junos-1', (s) => s.pushConfig(['set snmp location "reverts"'], { commitConfirmedMinutes: 1 }));
    expect(lab.runningConfig('junos-1')).toContain('location "reverts"');
    await sleep(MINUTE_MS * 2 + 200);
    expect(lab.runningConfig('junos-1')).toContain('location "kept"');
    expect(lab.runningConfig('junos-1')).not.toContain('reverts');
  });

  it('Junos: rollback 1 (loaded in config mode, then committed) undoes the last commit', async () => {
    const before = lab.runningConfig('junos-1');
    await withSession('junos-1', async (s) => {
      await s.pushConfig(['set system ntp server 10.77.0.1']);
      expect(lab.runningConfig('junos-1')).toContain('10.77.0.1');
      await s.rollback(1);
    });
    expect(lab.runningConfig('junos-1')).not.toContain('10.77.0.1');
    expect(lab.runningConfig('junos-1').replace(/^## Last commit.*\n/m, '')).toBe(before.replace(/^## Last commit.*\n/m, ''));
  });

  it('IOS-XR: rollback configuration last 1 runs from privileged mode', async () => {
    await withSession('xr-2', async (s) => {
      await s.pushConfig(['interface Loopback78', ' description rolled back']);
      expect(lab.runningConfig('xr-2')).toContain('description rolled back');
      await s.rollback(1);
      expect(s.mode).toBe('privileged');
    });
    expect(lab.runningConfig('xr-2')).not.toContain('rolled back');
  });

  it('a lines platform (IOS) has no rollback and says so', async () => {
    await expect(withSession('ios-3', (s) => s.rollback(1))).rejects.toThrow(/cisco_ios has no rollback/);
  });
});
