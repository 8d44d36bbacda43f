import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configModelFor } from '../src/config/index.js';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import { pushConfig, type OperationEnv } from '../src/operations/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv, trustLabHostKeys } from './helpers/lab.js';

/**
 * The config model against the lab's devices over real SSH: the remediation it computes is pushed,
 * and the device's running config afterwards must be the model's target; the rollback must bring
 * back the config as it was.
 */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-config-lab-');

beforeAll(async () => {
  lab = await startLab({ devices: 4, platforms: ['cisco_ios', 'arista_eos', 'cisco_nxos', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.78.1', controlSocket: false });
  ({ store, env } = await openLabEnv(lab, temp.home, { logDir: join(temp.home, 'transcripts') }));
  trustLabHostKeys(lab, temp.home);
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

async function push(device: string, lines: string[]): Promise<void> {
  const summary = await pushConfig(env, { on: device }, { lines });
  expect(summary.results[0], summary.results[0]?.message).toMatchObject({ status: 'ok' });
}

describe('config model against lab devices', () => {
  it('IOS: a nested change (BGP neighbour in an address family, a line removed from an interface) reaches the target, and the rollback restores the config', async () => {
    const model = configModelFor('cisco_ios');
    const before = lab.runningConfig('ios-1');
    const intended = ['interface GigabitEthernet0/0', ' description uplink to core (primary)', 'router bgp 65000', ' neighbor 10.9.0.2 remote-as 65109', ' address-family ipv4', '  neighbor 10.9.0.2 activate'].join('\n');
    const r = model.remediation(before, intended, { stale: [['interface GigabitEthernet0/1', 'ip ospf network point-to-point']] });
    expect(r.commands).toEqual([
      'interface GigabitEthernet0/0',
      ' description uplink to core (primary)',
      'interface GigabitEthernet0/1',
      ' no ip ospf network point-to-point',
      'router bgp 65000',
      ' neighbor 10.9.0.2 remote-as 65109',
      ' address-family ipv4',
      '  neighbor 10.9.0.2 activate',
    ]);
    await push('ios-1', r.push);
    const after = lab.runningConfig('ios-1');
    expect(model.compare(model.parse(after), r.target)).toEqual([]);
    expect(model.remediation(after, intended).commands).toEqual([]);
    await push('ios-1', r.rollbackPush);
    expect(model.compare(model.parse(lab.runningConfig('ios-1')), model.parse(before))).toEqual([]);
  });

  it('IOS: a physical port is emptied with `default interface`, and `no interface` on it is refused', async () => {
    const model = configModelFor('cisco_ios');
    const r = model.remediation(lab.runningConfig('ios-1'), '', { stale: [['interface GigabitEthernet0/3']] });
    expect(r.commands).toEqual(['default interface GigabitEthernet0/3']);
    await push('ios-1', r.push);
    const port = model.parse(lab.runningConfig('ios-1')).get('interface GigabitEthernet0/3');
    expect(port?.children.map((c) => c.text)).toEqual([]);
    const refused = await pushConfig(env, { on: 'ios-1' }, { lines: ['no interface GigabitEthernet0/2'] });
    expect(refused.results[0]).toMatchObject({ status: 'failed' });
    expect(refused.results[0]!.message).toMatch(/Invalid input/);
    expect(model.parse(lab.runningConfig('ios-1')).get('interface GigabitEthernet0/2')?.children.length).toBeGreaterThan(0);
  });

  for (const [device, platform] of [
    ['eos-2', 'arista_eos'],
    ['nxos-3', 'cisco_nxos'],
  ] as const) {
    it(`${platform}: ACL entries get sequence numbers on the device, and a second remediation has nothing to do`, async () => {
      const model = configModelFor(platform);
      const intended = ['ip access-list NETSTACKS-TEST', ' permit tcp any any eq 22', ' deny ip any any'].join('\n');
      const r = model.remediation(lab.runningConfig(device), intended);
      expect(r.commands).toEqual(['ip access-list NETSTACKS-TEST', ' permit tcp any any eq 22', ' deny ip any any'].map((l) => (l.startsWith(' ') ? ' '.repeat(model.rules.indent) + l.trim() : l)));
      await push(device, r.push);
      const after = lab.runningConfig(device);
      expect(after).toMatch(/^ +10 permit tcp any any eq 22$/m);
      expect(after).toMatch(/^ +20 deny ip any any$/m);
      expect(model.remediation(after, intended).commands).toEqual([]);
    });
  }

  it('Junos: set lines against the brace config, a subtree deleted once, commit, and back', async () => {
    const model = configModelFor('juniper_junos');
    const before = lab.runningConfig('junos-4');
    const intended = ['set system ntp server 10.9.9.9', 'set snmp location "NYC Lab 2"'].join('\n');
    const r = model.remediation(before, intended, { stale: [['set system ntp server 192.0.2.123']] });
    expect(r.commands).toEqual(['delete system ntp server 192.0.2.123', 'set system ntp server 10.9.9.9', 'set snmp location "NYC Lab 2"']);
    await push('junos-4', r.push);
    const after = lab.runningConfig('junos-4');
    expect(model.compare(model.parse(after), r.target)).toEqual([]);
    await push('junos-4', r.rollbackPush);
    expect(model.compare(model.parse(lab.runningConfig('junos-4')), model.parse(before))).toEqual([]);
  });
});
