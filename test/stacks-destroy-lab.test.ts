import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configModelFor } from '../src/config/index.js';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/**
 * `stack destroy` end to end: deploy a stack (a service with a delete template, one without that
 * overwrites a description, a nested BGP neighbour, Junos set lines), then destroy it; the devices
 * must end exactly as they were before the deploy.
 */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-stack-destroy-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });
type Line = { type: string; device?: string; status?: string; data?: { commands: string[]; changed: boolean }; action?: string; devices?: Record<string, string> };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const TEMPLATES = join(home, 'templates');
const FLAGS = ['--templates', join(REPO, 'templates'), '--templates', TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]'];
const STACK = join(home, 'destroy.yaml');
const ios = configModelFor('cisco_ios');
const junos = configModelFor('juniper_junos');

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.84.1', controlSocket: false });
  await addLabWithCli(lab, home, cli);
  mkdirSync(join(TEMPLATES, 'lab'), { recursive: true });
  // no delete template: destroy negates exactly its lines and puts the old description back
  writeFileSync(join(TEMPLATES, 'lab', 'uplink.j2'), 'interface GigabitEthernet0/0\n description managed by netstacks\n ip ospf cost 7\n');
  writeFileSync(
    STACK,
    [
      'name: destroy-me',
      'required: [ntp_servers]',
      'defaults: { bgp: { asn: 65000 } }',
      'services:',
      '  - { name: ntp-ios, template: cisco_ios/ntp, targets: [ios-1] }',
      '  - { name: ntp-junos, template: juniper_junos/ntp, targets: [junos-2] }',
      '  - { name: uplink, template: lab/uplink, targets: [ios-1] }',
      '  - name: bgp-peer',
      '    template: cisco_ios/bgp-neighbor',
      '    targets: [ios-1]',
      '    depends_on: [ntp-ios]',
      '    variables: { peer: { ip: 10.255.0.2, remote_as: 65200, announce: [10.10.0.0/24] } }',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('stack destroy', () => {
  it('removes exactly what the deploy added and restores the overwritten description', async () => {
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    const deployed = await cli(['deploy', STACK, ...FLAGS, '--yes', '--json']);
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    const after = lab.runningConfig('ios-1');
    expect(after).toMatch(/^ description managed by netstacks$/m);
    expect(after).toMatch(/^ntp server 192\.0\.2\.10 prefer$/m);
    expect(after).toMatch(/^ neighbor 10\.255\.0\.2 remote-as 65200$/m);

    // a dry run shows the plan and writes nothing
    const dry = await cli(['stack', 'destroy', STACK, ...FLAGS, '--dry-run', '--json']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    const plans = Object.fromEntries(jsonLines(dry.stdout).filter((l) => l.type === 'device').map((l) => [l.device!, l.data!]));
    expect(plans['ios-1']!.commands).toContain('no ntp server 192.0.2.10 prefer');
    expect(plans['ios-1']!.commands).toContain(' description uplink to core');
    expect(plans['ios-1']!.commands).toContain(' no ip ospf cost 7');
    expect(plans['junos-2']!.commands).toEqual(expect.arrayContaining(['delete system ntp server 192.0.2.10']));
    expect(lab.runningConfig('ios-1')).toBe(after);

    // without a terminal and without --yes it refuses (exit 2), touching nothing
    const refused = await cli(['stack', 'destroy', STACK, ...FLAGS]);
    expect(refused.code).toBe(2);

    const destroyed = await cli(['stack', 'destroy', STACK, ...FLAGS, '--yes', '--json']);
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
    const record = jsonLines(destroyed.stdout).find((l) => l.type === 'deployment')!;
    expect(record).toMatchObject({ action: 'destroy', status: 'deployed' });
    expect(ios.compare(ios.parse(before['ios-1']!), ios.parse(lab.runningConfig('ios-1')))).toEqual([]);
    expect(junos.compare(junos.parse(before['junos-2']!), junos.parse(lab.runningConfig('junos-2')))).toEqual([]);
    expect(lab.runningConfig('ios-1')).toMatch(/^ description uplink to core$/m);

    // the stack's state is gone: a second destroy has nothing to do
    const again = await cli(['stack', 'destroy', STACK, ...FLAGS, '--yes', '--json']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing deployed/);
    const history = await cli(['stack', 'history', STACK, '--json']);
    expect(history.stdout).toMatch(/destroy/);
  });

  it('a `delete_template:` in the stack file is what destroy renders', async () => {
    writeFileSync(join(TEMPLATES, 'lab', 'cost.j2'), 'interface GigabitEthernet0/1\n ip ospf cost {{ cost }}\n');
    // removes more than the deploy added: proves this template, not the recorded lines, drove the destroy
    writeFileSync(join(TEMPLATES, 'lab', 'cost-delete.j2'), 'interface GigabitEthernet0/1\n no ip ospf cost {{ cost }}\n no ip ospf network point-to-point\n');
    const file = join(home, 'cost.yaml');
    writeFileSync(file, 'name: cost\nservices:\n  - name: cost\n    template: lab/cost\n    delete_template: lab/cost-delete\n    targets: [ios-1]\n    variables: { cost: 9 }\n');
    const flags = ['--templates', TEMPLATES];
    const deployed = await cli(['deploy', file, ...flags, '--yes', '--json']);
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    expect(lab.runningConfig('ios-1')).toMatch(/^ ip ospf cost 9$/m);
    const destroyed = await cli(['stack', 'destroy', file, ...flags, '--yes', '--json']);
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
    const section = /^interface GigabitEthernet0\/1\n((?: .*\n)*)/m.exec(lab.runningConfig('ios-1'))![1]!;
    expect(section).not.toMatch(/ip ospf cost 9/);
    expect(section).not.toMatch(/ip ospf network point-to-point/);
    expect(section).toMatch(/ip address 10\.1\.0\.1/);
  });
});
