import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { parseStack } from '../src/stacks/file.js';
import { runCli, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/** `stack plan` end to end: the built CLI, the example stack and templates, lab devices. */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-stack-plan-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });
type Line = Record<string, unknown> & { type: string; device?: string; status?: string; data?: { commands: string[]; diff: string; changed: boolean } };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const EXAMPLE = join(REPO, 'stacks/lab-baseline.yaml');
const TEMPLATES = ['--templates', join(REPO, 'templates')];

beforeAll(async () => {
  lab = await startLab({ devices: 3, platforms: ['cisco_ios', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.81.1', controlSocket: false });
  await addLabWithCli(lab, home, cli);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('stack plan', () => {
  it('plans the example stack per device: merge remediation, owned NTP lines replaced, nested BGP, nothing written', async () => {
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    const r = await cli(['stack', 'plan', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plans = Object.fromEntries(jsonLines(r.stdout).filter((l) => l.type === 'device').map((l) => [l.device, l]));
    const ios = plans['ios-1']!.data!;
    // `owns: [ntp server]`: the device's own NTP servers go, the stack's come
    expect(ios.commands.filter((c: string) => c.startsWith('no ntp server'))).toEqual(lab.runningConfig('ios-1').match(/^ntp server .*$/gm)!.map((l) => `no ${l}`));
    expect(ios.commands).toContain('ntp server 192.0.2.10 prefer');
    expect(ios.commands).toContain('ntp server 192.0.2.11');
    const bgp = ios.commands.indexOf('router bgp 65000');
    expect(ios.commands.slice(bgp, bgp + 4)).toEqual(['router bgp 65000', ' neighbor 10.255.0.2 remote-as 65200', ' neighbor 10.255.0.2 description netstacks transit', ' address-family ipv4 unicast']);
    expect(ios.diff).toMatch(/^\+ntp server 192\.0\.2\.10 prefer$/m);
    expect(ios.changed).toBe(true);
    const junos = plans['junos-2']!.data!;
    expect(junos.commands).toEqual(['set system ntp server 192.0.2.10 prefer', 'set system ntp server 192.0.2.11']);
    for (const d of lab.devices) expect(lab.runningConfig(d.name)).toBe(before[d.name]);
  });

  it('prints commands, a diff and a summary on a plain terminal', async () => {
    const r = await cli(['stack', 'plan', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10]']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/=== ios-1 ===/);
    expect(r.stdout).toMatch(/command\(s\) for ntp-ios, bgp-peer:/);
    expect(r.stdout).toMatch(/^--- ios-1 running$/m);
    expect(r.stdout + r.stderr).toMatch(/plan: 3 device\(s\) changing, 0 unchanged, 0 failed to render or reach/);
  });

  it('bad input fails before any device is contacted, with a clear error', async () => {
    const badOption = await cli(['stack', 'plan', EXAMPLE, ...TEMPLATES, '--concurrency', '0']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--concurrency/);

    const missingInput = await cli(['stack', 'plan', EXAMPLE, ...TEMPLATES]);
    expect(missingInput.code).toBe(4);
    expect(missingInput.stderr).toMatch(/needs 'ntp_servers'/);

    const file = join(home, 'bad.yaml');
    writeFileSync(file, 'name: bad\nservices:\n  - name: a\n    template: cisco_ios/ntpp\n    targets: [ios-1]\n');
    const missingTemplate = await cli(['stack', 'plan', file, ...TEMPLATES]);
    expect(missingTemplate.code).toBe(3);
    expect(missingTemplate.stderr).toMatch(/cisco_ios\/ntp/);

    writeFileSync(file, 'name: bad\nservices:\n  - name: a\n    template: cisco_ios/ntp\n    targets: [ios-9]\n');
    const unknownDevice = await cli(['stack', 'plan', file, ...TEMPLATES]);
    expect(unknownDevice.code).toBe(3);
    expect(unknownDevice.stderr).toMatch(/ios-9/);

    writeFileSync(file, "name: bad\nservices:\n  - name: a\n    template: cisco_ios/ntp\n    targets: { on: 'site:mars' }\n");
    const nothing = await cli(['stack', 'plan', file, ...TEMPLATES]);
    expect(nothing.code).toBe(3);
    expect(nothing.stderr).toMatch(/no device matches --on 'site:mars'/);
  });

  it('a render that fails on one device fails that device only', async () => {
    const file = join(home, 'partial.yaml');
    writeFileSync(file, 'name: partial\nservices:\n  - name: ntp\n    template: cisco_ios/ntp\n    targets: [ios-1, ios-3]\n    per_device:\n      ios-1: { ntp_servers: [192.0.2.1] }\n');
    const r = await cli(['stack', 'plan', file, ...TEMPLATES, '--json']);
    expect(r.code).toBe(10);
    const lines = Object.fromEntries(jsonLines(r.stdout).filter((l) => l.type === 'device').map((l) => [l.device, l]));
    expect(lines['ios-1']).toMatchObject({ status: 'ok' });
    expect(lines['ios-3']).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(lines['ios-3'])).toMatch(/ntp_servers/);
  });
});

describe('stack files', () => {
  it('names file, line and column for schema errors, unknown dependencies and cycles', () => {
    expect(() => parseStack('name: s\nservices:\n  - name: a\n    template: t\n    targets: [r1]\n    colour: blue\n', 's.yaml')).toThrow(/^s\.yaml:3:5: services\.0: .*colour/);
    expect(() => parseStack('name: s\nservices:\n  - name: a\n    template: t\n    targets: [r1]\n    depends_on: [b]\n', 's.yaml')).toThrow(/s\.yaml:6:18: service 'a' depends on unknown service 'b'/);
    expect(() =>
      parseStack('name: s\nservices:\n  - { name: a, template: t, targets: [r1], depends_on: [b] }\n  - { name: b, template: t, targets: [r1], depends_on: [a] }\n', 's.yaml'),
    ).toThrow(/dependency cycle: a → b → a/);
    expect(() => parseStack('name: s\nservices: [\n', 's.yaml')).toThrow(/^s\.yaml:\d+:\d+: /);
  });
});
