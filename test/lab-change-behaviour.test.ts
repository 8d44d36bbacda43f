import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { sendControlRequest } from '../src/lab/control.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { DeviceSession } from '../src/session/index.js';
import { applyCleanup } from '../src/session/output.js';
import { getPlatform } from '../src/platforms/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv, withLabSession } from './helpers/lab.js';

/**
 * The lab refuses what devices refuse and keeps what they keep: IOS-family `no` of sections and
 * lines, overwrites, ACL sequence numbers, physical ports, the device-side safety nets (IOS revert
 * timer, EOS sessions, NX-OS checkpoints, XR exclusive + diff, Junos load/delete/rollback), and
 * the one-shot drop fault through the control socket.
 */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-labchange-');
const MINUTE_MS = 400;
const socket = join(temp.home, 'c.sock');

beforeAll(async () => {
  const platforms = ['cisco_ios', 'arista_eos', 'cisco_nxos', 'juniper_junos', 'cisco_xr'];
  lab = await startLab({ devices: platforms.length, platforms, quirks: false, port: 0, firstAddress: '127.0.84.1', controlSocket: socket, minuteMs: MINUTE_MS });
  ({ store, env } = await openLabEnv(lab, temp.home, { logDir: join(temp.home, 'logs') }));
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const withSession = <T>(device: string, work: (session: DeviceSession) => Promise<T>): Promise<T> => withLabSession(env, device, work);

/** sends lines in the mode the session lands in; returns each line's output or its refusal */
async function typed(session: DeviceSession, enter: string | undefined, lines: string[]): Promise<string[]> {
  const run = session.sendInMode?.bind(session);
  if (!run) throw new Error('no sendInMode');
  const out: string[] = [];
  if (enter) await run(session.platform.defaultMode, enter);
  for (const line of lines) out.push(await run(undefined, line, { config: true }).then((r) => r.output, (e: Error) => `REFUSED ${e.message}`));
  await session.moveToMode?.(session.platform.defaultMode);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lab devices change like the real ones', () => {
  it('IOS: no of a section and of a line, overwrites, physical ports need default interface', async () => {
    const out = await withSession('ios-1', (s) =>
      typed(s, 'configure terminal', [
        'interface Loopback60',
        ' description first',
        ' description second',
        ' ip address 10.60.0.1 255.255.255.255',
        ' no ip address',
        'interface Loopback61',
        ' description gone soon',
        'no interface Loopback61',
        'interface GigabitEthernet0/2',
        ' no description',
        'no interface GigabitEthernet0/2',
        'default interface GigabitEthernet0/1',
      ]),
    );
    expect(out[10]).toMatch(/REFUSED.*Invalid input/);
    const config = lab.runningConfig('ios-1');
    expect(config).toMatch(/interface Loopback60\n description second\n!/);
    expect(config).not.toContain('Loopback61');
    expect(config).toMatch(/interface GigabitEthernet0\/2\n/);
    // emptied (the config model expects a defaulted port to have no lines)
    expect(config).toMatch(/interface GigabitEthernet0\/1\ninterface GigabitEthernet0\/2\n/);
  });

  it('IOS: configure terminal revert timer reverts by itself; configure confirm keeps; configure revert now goes back at once', async () => {
    const before = lab.runningConfig('ios-1').replace(/^(!|Current).*\n/gm, '');
    await withSession('ios-1', (s) => typed(s, 'configure terminal revert timer 1', ['ntp server 10.61.0.1']));
    expect(lab.runningConfig('ios-1')).toContain('ntp server 10.61.0.1');
    await sleep(MINUTE_MS + 300);
    expect(lab.runningConfig('ios-1').replace(/^(!|Current).*\n/gm, '')).toBe(before);

    await withSession('ios-1', async (s) => {
      await typed(s, 'configure terminal revert timer 1', ['ntp server 10.61.0.2']);
      await s.send('configure confirm');
    });
    await sleep(MINUTE_MS + 300);
    expect(lab.runningConfig('ios-1')).toContain('ntp server 10.61.0.2');

    const said = await withSession('ios-1', async (s) => {
      await typed(s, 'configure terminal revert timer 5', ['ntp server 10.61.0.3']);
      return (await s.send('configure revert now')).output;
    });
    expect(said).toContain('Rolling back');
    expect(lab.runningConfig('ios-1')).not.toContain('10.61.0.3');
    expect(lab.runningConfig('ios-1')).toContain('ntp server 10.61.0.2');
  });

  it('EOS: ACL entries get sequence numbers; a configure session shows its diff and changes nothing until commit', async () => {
    await withSession('eos-2', (s) => typed(s, 'configure terminal', ['ip access-list NS-TEST', 'permit ip host 10.0.0.1 any', 'deny ip any any', 'no permit ip host 10.0.0.1 any', 'permit tcp any any eq 22']));
    expect(lab.runningConfig('eos-2')).toMatch(/ip access-list NS-TEST\n {3}20 deny ip any any\n {3}30 permit tcp any any eq 22\n/);

    const diff = await withSession('eos-2', async (s) => {
      await s.sendInMode?.('privileged', 'configure session ns1');
      expect(s.prompt).toBe('eos-2(config-s-ns1)#');
      await s.sendInMode?.(undefined, 'interface Loopback62', { config: true });
      expect(s.prompt).toBe('eos-2(config-s-ns1-if-Lo62)#');
      const shown = (await s.sendInMode?.(undefined, 'show session-config diffs'))?.output;
      expect(lab.runningConfig('eos-2')).not.toContain('Loopback62');
      await s.sendInMode?.(undefined, 'commit timer 00:01:00');
      expect(lab.runningConfig('eos-2')).toContain('interface Loopback62');
      await s.send('configure session ns1 commit');
      return shown;
    });
    expect(diff).toContain('+ interface Loopback62');
    await sleep(MINUTE_MS + 300);
    expect(lab.runningConfig('eos-2')).toContain('interface Loopback62');
  });

  it('NX-OS: a checkpoint and a rollback to it restore the running config exactly', async () => {
    const nxos = () => applyCleanup(lab.runningConfig('nxos-3'), getPlatform('cisco_nxos').runningConfig.cleanup);
    const before = nxos();
    await withSession('nxos-3', async (s) => {
      await s.send('checkpoint ns-cp');
      await typed(s, 'configure terminal', ['interface loopback63', '  description checkpointed', 'ip access-list NS-ACL', 'permit ip any any']);
      expect(lab.runningConfig('nxos-3')).toMatch(/ip access-list NS-ACL\n {2}10 permit ip any any/);
      await s.send('rollback running-config checkpoint ns-cp');
      await s.send('no checkpoint ns-cp');
      await expect(s.send('rollback running-config checkpoint ns-cp')).rejects.toThrow(/No checkpoint/);
    });
    expect(nxos()).toBe(before);
  });

  it('Junos: delete of a subtree, rollback N, load merge terminal with Ctrl-D', async () => {
    await withSession('junos-4', async (s) => {
      await typed(s, 'configure private', ['set protocols lldp interface all', 'set protocols lldp interface ge-0/0/1', 'commit']);
      expect(lab.runningConfig('junos-4')).toMatch(/lldp \{\n\s+interface all;\n\s+interface ge-0\/0\/1;\n\s+\}/);
      await typed(s, 'configure private', ['delete protocols lldp', 'commit']);
      expect(lab.runningConfig('junos-4')).not.toContain('lldp');
      await typed(s, 'configure', ['rollback 1', 'commit']);
      expect(lab.runningConfig('junos-4')).toContain('lldp');
      await s.sendInMode?.('exec', 'configure private');
      const loaded = await s.sendInMode?.(undefined, 'load merge terminal', { block: { lines: ['snmp {', '    contact "noc";', '}'], end: '\x04' } });
      expect(loaded?.output).toContain('load complete');
      await s.sendInMode?.(undefined, 'commit');
      await s.moveToMode?.('exec');
    });
    expect(lab.runningConfig('junos-4')).toContain('contact "noc";');
  });

  it('IOS-XR: configure exclusive, show commit changes diff, commit confirmed that reverts', async () => {
    const before = lab.runningConfig('xr-5').replace(/^!! Last.*\n/m, '');
    const diff = await withSession('xr-5', async (s) => {
      await s.sendInMode?.('privileged', 'configure exclusive');
      await s.sendInMode?.(undefined, 'interface Loopback64', { config: true });
      await s.sendInMode?.(undefined, ' description trial', { config: true });
      const shown = (await s.sendInMode?.(undefined, 'show commit changes diff'))?.output;
      await s.sendInMode?.(undefined, 'commit confirmed minutes 1');
      await s.moveToMode?.('privileged');
      return shown;
    });
    expect(diff).toMatch(/\+ interface Loopback64\n\+ {2}description trial/);
    expect(lab.runningConfig('xr-5')).toContain('description trial');
    await sleep(MINUTE_MS + 300);
    expect(lab.runningConfig('xr-5').replace(/^!! Last.*\n/m, '')).toBe(before);
  });

  it('the one-shot drop fault (also through the control socket) drops one session after the Nth config line, then never again', async () => {
    expect(await sendControlRequest(socket, { op: 'dropOnce', device: 'ios-1', afterConfigLines: 2 })).toEqual({ ok: true });
    await expect(withSession('ios-1', (s) => s.pushConfig(['ntp server 10.65.0.1', 'ntp server 10.65.0.2', 'ntp server 10.65.0.3']))).rejects.toThrow(/closed|dropped|unreachable/i);
    // lines 1 and 2 arrived, line 3 never did
    expect(lab.runningConfig('ios-1')).toContain('ntp server 10.65.0.2');
    expect(lab.runningConfig('ios-1')).not.toContain('ntp server 10.65.0.3');
    await withSession('ios-1', (s) => s.pushConfig(['ntp server 10.65.0.3', 'ntp server 10.65.0.4', 'ntp server 10.65.0.5']));
    expect(lab.runningConfig('ios-1')).toContain('ntp server 10.65.0.5');
    expect(() => lab.dropOnce('ios-1', { afterConfigLines: 0 })).toThrow(/at least 1/);
  });
});
