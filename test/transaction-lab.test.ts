import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { DeviceSession } from '../src/session/index.js';
import { applyCleanup } from '../src/session/output.js';
import { getPlatform } from '../src/platforms/index.js';
import { beginChange, ChangeNotSupportedError, ChangeRefusedError, type ChangeRequest } from '../src/config/transaction.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv, withLabSession } from './helpers/lab.js';

/**
 * Config transactions against the lab, per platform family: apply + confirm keeps the change; a
 * refused line, then rollback, leaves the running config exactly as before; an unconfirmed safety
 * net reverts by itself; a connection dropped mid-push is reconnected and rolled back; Linux is refused.
 */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-transaction-');
const MINUTE_MS = 1500;
const PLATFORMS = ['cisco_ios', 'arista_eos', 'cisco_nxos', 'juniper_junos', 'cisco_xr', 'linux', 'cisco_ios', 'hp_procurve'];

beforeAll(async () => {
  lab = await startLab({ devices: PLATFORMS.length, platforms: PLATFORMS, quirks: false, port: 0, firstAddress: '127.0.83.1', controlSocket: false, minuteMs: MINUTE_MS });
  ({ store, env } = await openLabEnv(lab, temp.home, { logDir: join(temp.home, 'logs') }));
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const device = (platform: string, nth = 0): string => (lab.devices.filter((d) => d.platform === platform)[nth] as { name: string }).name;

/** The running config as the platform's cleanup leaves it (no timestamps, no byte counts). */
function running(name: string): string {
  const platform = getPlatform((lab.devices.find((d) => d.name === name) as { platform: string }).platform);
  return applyCleanup(lab.runningConfig(name), platform.runningConfig.cleanup);
}

type Work<T> = (session: DeviceSession, reconnect: () => Promise<DeviceSession>) => Promise<T>;

const withSession = <T>(name: string, work: Work<T>): Promise<T> => withLabSession(env, name, work);

/** apply(); on failure rollback() and hand back the error */
async function applyOrRollBack(name: string, request: Omit<ChangeRequest, 'reconnect'>): Promise<unknown> {
  return withSession(name, async (session, reconnect) => {
    const change = beginChange(session, { ...request, reconnect });
    try {
      await change.apply();
    } catch (error) {
      await change.rollback();
      return error;
    }
    throw new Error('apply() should have failed');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const GOOD: Record<string, string[]> = {
  cisco_ios: ['interface Loopback77', ' description netstacks-test', 'ntp server 10.99.0.1'],
  arista_eos: ['interface Loopback77', '   description netstacks-test', 'ntp server 10.99.0.1'],
  cisco_nxos: ['interface loopback77', '  description netstacks-test'],
  juniper_junos: ['set system ntp server 10.99.0.1', 'set interfaces lo0 description "netstacks-test"'],
  cisco_xr: ['interface Loopback77', ' description netstacks-test'],
  hp_procurve: ['vlan 77', '   name "netstacks-test"', '   exit'],
};
const ROLLBACK: Record<string, string[]> = {
  cisco_ios: ['no interface Loopback77', 'no ntp server 10.99.0.1'],
  arista_eos: ['no interface Loopback77', 'no ntp server 10.99.0.1'],
  cisco_nxos: ['no interface loopback77'],
  juniper_junos: ['delete system ntp server 10.99.0.1', 'delete interfaces lo0 description'],
  cisco_xr: ['no interface Loopback77'],
  hp_procurve: ['no vlan 77'],
};
/** a line each device refuses, after some it takes */
const BAD: Record<string, string> = {
  cisco_ios: 'no interface GigabitEthernet0/2',
  arista_eos: 'no interface Ethernet1',
  cisco_nxos: 'no interface Ethernet1/1',
  juniper_junos: 'set bogus statement',
  cisco_xr: 'bogus-command here',
  hp_procurve: 'bogus-command here',
};
const FAMILIES = Object.keys(GOOD);

describe('config transactions against the lab', () => {
  it('apply + confirm keeps the change on every family, also after the safety net would have fired', async () => {
    const applied = await Promise.all(
      FAMILIES.map((platform) =>
        withSession(device(platform), async (session) => {
          const change = beginChange(session, { commands: GOOD[platform] as string[], rollback: ROLLBACK[platform] as string[], confirmMinutes: 1 });
          const result = await change.apply();
          await change.confirm();
          return { platform, result };
        }),
      ),
    );
    const pending = Object.fromEntries(applied.map(({ platform, result }) => [platform, result.pendingConfirm]));
    expect(pending).toEqual({ cisco_ios: true, arista_eos: true, cisco_nxos: false, juniper_junos: true, cisco_xr: true, hp_procurve: false });
    const compare = Object.fromEntries(applied.map(({ platform, result }) => [platform, result.deviceCompare]));
    expect(compare.juniper_junos).toContain('+   server 10.99.0.1;');
    expect(compare.cisco_xr).toMatch(/\+ interface Loopback77[\s\S]*description netstacks-test/);
    expect(compare.arista_eos).toContain('+ interface Loopback77');
    await sleep(MINUTE_MS + 500);
    expect(running(device('cisco_ios'))).toMatch(/interface Loopback77\n description netstacks-test/);
    expect(running(device('cisco_ios'))).toContain('ntp server 10.99.0.1');
    expect(running(device('arista_eos'))).toMatch(/interface Loopback77\n {3}description netstacks-test/);
    expect(running(device('cisco_nxos'))).toMatch(/interface loopback77\n {2}description netstacks-test/);
    expect(running(device('juniper_junos'))).toContain('server 10.99.0.1;');
    expect(running(device('cisco_xr'))).toMatch(/interface Loopback77\n description netstacks-test/);
    expect(running(device('hp_procurve'))).toMatch(/vlan 77\n {3}name "netstacks-test"/);
    lab.reset();
  });

  it('a refused line, then rollback, leaves the running config byte-identical on every family', async () => {
    const cases = [...FAMILIES.map((platform) => ({ platform, timer: true })), { platform: 'cisco_ios', timer: false }];
    for (const { platform, timer } of cases) {
      const name = device(platform, timer ? 0 : 1);
      const before = running(name);
      const error = await applyOrRollBack(name, {
        commands: [...(GOOD[platform] as string[]), BAD[platform] as string],
        rollback: ROLLBACK[platform] as string[],
        ...(timer ? { confirmMinutes: 5 } : {}),
      });
      expect(error, `${platform}${timer ? '' : ' (no timer)'}`).toBeInstanceOf(ChangeRefusedError);
      expect((error as ChangeRefusedError).command).toBe(BAD[platform]);
      expect(running(name), `${platform}${timer ? '' : ' (no timer)'}`).toBe(before);
    }
    // the armed IOS revert timer was fired by the rollback, so nothing reverts later
    await withSession(device('cisco_ios'), async (session) => {
      const said = await session.send('configure confirm');
      expect(said.output).toContain('No Rollback Confirmed Change pending');
    });
  });

  it('a safety net that is not confirmed reverts by itself (IOS revert timer, EOS commit timer, Junos and XR commit confirmed)', async () => {
    const timed = ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_xr'];
    const before = Object.fromEntries(timed.map((p) => [p, running(device(p))]));
    await Promise.all(
      timed.map((platform) =>
        withSession(device(platform), async (session) => {
          const result = await beginChange(session, { commands: GOOD[platform] as string[], rollback: ROLLBACK[platform] as string[], confirmMinutes: 1 }).apply();
          expect(result.pendingConfirm).toBe(true);
        }),
      ),
    );
    for (const platform of timed) expect(running(device(platform)), platform).not.toBe(before[platform]);
    await sleep(MINUTE_MS + 700);
    for (const platform of timed) expect(running(device(platform)), platform).toBe(before[platform]);
  });

  it('a failed post-check: rollback right after a good apply restores at once, and the timer changes nothing later', async () => {
    const timed = ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_xr', 'cisco_nxos'];
    const before = Object.fromEntries(timed.map((p) => [p, running(device(p))]));
    await Promise.all(
      timed.map((platform) =>
        withSession(device(platform), async (session) => {
          const change = beginChange(session, { commands: GOOD[platform] as string[], rollback: ROLLBACK[platform] as string[], confirmMinutes: 1 });
          await change.apply();
          expect(running(device(platform)), platform).not.toBe(before[platform]);
          await change.rollback();
        }),
      ),
    );
    for (const platform of timed) expect(running(device(platform)), platform).toBe(before[platform]);
    await sleep(MINUTE_MS + 500);
    for (const platform of timed) expect(running(device(platform)), `${platform} after the timer`).toBe(before[platform]);
  });

  it('a connection dropped mid-push is reconnected and rolled back (one-shot drop fault)', async () => {
    const cases = [
      { platform: 'cisco_ios', nth: 0, timer: true },
      { platform: 'cisco_ios', nth: 1, timer: false },
      { platform: 'arista_eos', nth: 0, timer: true },
      { platform: 'cisco_nxos', nth: 0, timer: false },
      { platform: 'juniper_junos', nth: 0, timer: true },
      { platform: 'hp_procurve', nth: 0, timer: false },
    ];
    for (const { platform, nth, timer } of cases) {
      const name = device(platform, nth);
      const before = running(name);
      const connections = lab.connections(name);
      lab.dropOnce(name, { afterConfigLines: 2 });
      const error = await applyOrRollBack(name, {
        commands: GOOD[platform] as string[],
        rollback: ROLLBACK[platform] as string[],
        ...(timer ? { confirmMinutes: 5 } : {}),
      });
      expect(String(error), platform).toMatch(/closed|dropped|unreachable|connection/i);
      // Junos' private candidate went with the connection: nothing to roll back, no reconnect
      expect(lab.connections(name) - connections, `${platform}: connections`).toBe(platform === 'juniper_junos' ? 1 : 2);
      expect(running(name), `${platform}${timer ? '' : ' (no timer)'}`).toBe(before);
    }
  });

  it('Junos: brace text through load merge terminal, and load replace for a section marked replace:', async () => {
    const name = device('juniper_junos');
    const text = 'system {\n    ntp {\n        server 10.99.0.7;\n    }\n}\nsnmp {\n    location "rack 7";\n}\n';
    const applied = await withSession(name, async (session) => {
      const change = beginChange(session, { commands: [], rollback: [], intendedText: text, confirmMinutes: 1 });
      const result = await change.apply();
      await change.confirm();
      return result;
    });
    expect(applied.deviceCompare).toContain('+   server 10.99.0.7;');
    expect(running(name)).toContain('server 10.99.0.7;');
    expect(running(name)).toContain('location "rack 7";');
    const servers = (running(name).match(/server \d+\.\d+\.\d+\.\d+;/g) ?? []).length;
    expect(servers).toBeGreaterThan(1);

    // replace: the ntp section becomes exactly what the text says
    await withSession(name, async (session) => {
      const change = beginChange(session, { commands: [], rollback: [], load: 'replace', intendedText: 'system {\n    replace: ntp {\n        server 10.99.0.8;\n    }\n}\n' });
      await change.apply();
    });
    const ntp = /ntp \{\n([^}]*)\}/.exec(running(name))?.[1] ?? '';
    expect(ntp.trim()).toBe('server 10.99.0.8;');
    expect(running(name)).toContain('location "rack 7";');

    // a syntax error in the text: refused, nothing committed, rollback leaves it as it was
    const before = running(name);
    const error = await withSession(name, async (session) => {
      const change = beginChange(session, { commands: [], rollback: [], intendedText: 'system {\n    ntp {\n        server 10.99.0.9;\n}\n' });
      const failed = await change.apply().then(() => undefined, (e: unknown) => e);
      await change.rollback();
      return failed;
    });
    expect(error).toBeInstanceOf(ChangeRefusedError);
    expect(String(error)).toContain('syntax error');
    expect(running(name)).toBe(before);
    lab.reset([name]);
  });

  it('Linux has no config model: the change is refused before anything is sent', async () => {
    const name = device('linux');
    const before = lab.connections(name);
    const error = await withSession(name, async (session) => {
      try {
        beginChange(session, { commands: ['echo hi'], rollback: [] });
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(ChangeNotSupportedError);
    expect((error as ChangeNotSupportedError).exitCode).toBe(4);
    expect(String((error as Error).message)).toContain("platform 'linux' has no configuration model");
    expect(lab.connections(name) - before).toBe(1);
  });
});
