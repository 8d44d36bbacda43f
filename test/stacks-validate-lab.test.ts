import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_PASSWORD } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/**
 * `stack validate` end to end: the built CLI, the example stack, lab devices. The stack's lines are
 * pushed with `config push` (what a deploy pushes), then lines are taken out on the device.
 */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-stack-validate-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });
interface Validation {
  source: string;
  backup?: { id: number };
  valid: boolean;
  missing: number;
  services: { service: string; missing: string[]; checked: number }[];
}
type Line = { type: string; device?: string; status?: string; data?: Validation };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const byDevice = (stdout: string) => Object.fromEntries(jsonLines(stdout).filter((l) => l.type === 'device').map((l) => [l.device!, l]));
const EXAMPLE = join(REPO, 'stacks/lab-baseline.yaml');
const TEMPLATES = ['--templates', join(REPO, 'templates')];
const VARS = ['--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]'];

async function push(device: string, lines: string[]): Promise<void> {
  const file = join(home, `push-${device}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await cli(['config', 'push', '--on', `name:${device}`, '--file', file, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.83.1', controlSocket: false });
  await addLabWithCli(lab, home, cli);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('stack validate', () => {
  it('before the stack is in place: exit 10, every missing line per device and service, nothing written', async () => {
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    const r = await cli(['stack', 'validate', EXAMPLE, ...TEMPLATES, ...VARS, '--json']);
    expect(r.code, r.stderr).toBe(10);
    const lines = byDevice(r.stdout);
    const ios = lines['ios-1']!.data!;
    expect(lines['ios-1']!.status).toBe('failed');
    expect(ios.valid).toBe(false);
    const ntp = ios.services.find((s) => s.service === 'ntp-ios')!;
    expect(ntp.missing).toEqual(['ntp server 192.0.2.10 prefer', 'ntp server 192.0.2.11']);
    expect(ios.services.find((s) => s.service === 'bgp-peer')!.missing).toContain('router bgp 65000 > address-family ipv4 unicast > neighbor 10.255.0.2 activate');
    expect(lines['junos-2']!.data!.services[0]!.missing).toEqual(['set system ntp server 192.0.2.10 prefer', 'set system ntp server 192.0.2.11']);
    for (const d of lab.devices) expect(lab.runningConfig(d.name)).toBe(before[d.name]);
  });

  it('after the stack is pushed: valid (exit 0); a line removed on the device is listed, nested ones with their sections', async () => {
    const plan = await cli(['stack', 'plan', EXAMPLE, ...TEMPLATES, ...VARS, '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    for (const [device, line] of Object.entries(byDevice(plan.stdout))) {
      const commands = (line as unknown as { data: { commands: string[] } }).data.commands;
      await push(device, commands);
    }
    const ok = await cli(['stack', 'validate', EXAMPLE, ...TEMPLATES, ...VARS, '--json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    for (const line of Object.values(byDevice(ok.stdout))) expect(line.data).toMatchObject({ valid: true, missing: 0, source: 'running' });

    await push('ios-1', ['no ntp server 192.0.2.11', 'router bgp 65000', ' address-family ipv4 unicast', '  no network 10.10.0.0 mask 255.255.255.0', '  exit', ' exit']);
    await push('junos-2', ['delete system ntp server 192.0.2.10']);
    const r = await cli(['stack', 'validate', EXAMPLE, ...TEMPLATES, ...VARS, '--json']);
    expect(r.code).toBe(10);
    const lines = byDevice(r.stdout);
    const ios = lines['ios-1']!.data!;
    expect(ios.missing).toBe(2);
    expect(ios.services.find((s) => s.service === 'ntp-ios')!.missing).toEqual(['ntp server 192.0.2.11']);
    expect(ios.services.find((s) => s.service === 'bgp-peer')!.missing).toEqual(['router bgp 65000 > address-family ipv4 unicast > network 10.10.0.0 mask 255.255.255.0']);
    expect(lines['junos-2']!.data!.services[0]!.missing).toEqual(['set system ntp server 192.0.2.10 prefer']);

    // on a terminal: the missing lines under the device, and a summary
    const plain = await cli(['stack', 'validate', EXAMPLE, ...TEMPLATES, ...VARS]);
    expect(plain.code).toBe(10);
    expect(plain.stdout).toMatch(/2 line\(s\) missing:\n\s+ntp-ios \(cisco_ios\/ntp\):\n\s+- ntp server 192\.0\.2\.11/);
    expect(plain.stdout + plain.stderr).toMatch(/validate: 0 device\(s\) valid, 2 missing 3 line\(s\), 0 failed to render or reach/);
  });

  it('--from-backup compares with the latest stored backup, not the live config', async () => {
    const backup = await cli(['backup', 'run', '--on', 'name:ios-1', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    // the live device is put right again; the backup still lacks the lines
    await push('ios-1', ['ntp server 192.0.2.11', 'router bgp 65000', ' address-family ipv4 unicast', '  network 10.10.0.0 mask 255.255.255.0', '  exit', ' exit']);
    const file = join(home, 'ios-only.yaml');
    writeFileSync(file, 'name: ios-only\nservices:\n  - name: ntp-ios\n    template: cisco_ios/ntp\n    targets: [ios-1]\n');
    const live = await cli(['stack', 'validate', file, ...TEMPLATES, ...VARS, '--json']);
    expect(live.code, live.stdout + live.stderr).toBe(0);
    const stored = await cli(['stack', 'validate', file, ...TEMPLATES, ...VARS, '--from-backup', '--json']);
    expect(stored.code).toBe(10);
    const data = byDevice(stored.stdout)['ios-1']!.data!;
    expect(data.source).toBe('backup');
    expect(data.backup?.id).toBeGreaterThan(0);
    expect(data.services[0]!.missing).toEqual(['ntp server 192.0.2.11']);
    // a device without any backup fails alone, naming it
    const junos = join(home, 'junos-only.yaml');
    writeFileSync(junos, 'name: junos-only\nservices:\n  - name: ntp\n    template: juniper_junos/ntp\n    targets: [junos-2]\n');
    const none = await cli(['stack', 'validate', junos, ...TEMPLATES, ...VARS, '--from-backup', '--json']);
    expect(none.code).toBe(10);
    expect(JSON.stringify(byDevice(none.stdout)['junos-2'])).toMatch(/backup/);
  });

  it("canonical forms against the device's own: abbreviated interface, `desc`, `no shut`", async () => {
    await push('ios-1', ['interface GigabitEthernet0/1', ' description validated by netstacks', ' no shutdown', ' exit']);
    const folder = join(home, 'canon-templates', 'lab');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'port.j2'), 'int Gi0/1\n desc validated by netstacks\n no shut\n');
    const file = join(home, 'canon.yaml');
    writeFileSync(file, 'name: canon\nservices:\n  - name: port\n    template: lab/port\n    targets: [ios-1]\n');
    const r = await cli(['stack', 'validate', file, '--templates', join(home, 'canon-templates'), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    writeFileSync(join(folder, 'port.j2'), 'int Gi0/1\n desc something else\n');
    const changed = await cli(['stack', 'validate', file, '--templates', join(home, 'canon-templates'), '--json']);
    expect(changed.code).toBe(10);
    expect(byDevice(changed.stdout)['ios-1']!.data!.services[0]!.missing).toEqual(['int Gi0/1 > desc something else']);
  });

  it('a registered stack validates by name; a secret in a missing line never shows', async () => {
    const file = join(home, 'peer.yaml');
    writeFileSync(
      file,
      'name: peer\ndefaults: { bgp: { asn: 65000 } }\nservices:\n  - name: peer\n    template: cisco_ios/bgp-neighbor\n    targets: [ios-1]\n    variables: { peer: { ip: 10.255.0.9, remote_as: 65209, password_credential: lab } }\n',
    );
    const added = await cli(['stack', 'add', file]);
    expect(added.code, added.stderr).toBe(0);
    const r = await cli(['stack', 'validate', 'peer', ...TEMPLATES, '--json']);
    expect(r.code, r.stderr).toBe(10);
    const missing = byDevice(r.stdout)['ios-1']!.data!.services[0]!.missing;
    expect(missing).toContain('router bgp 65000 > neighbor 10.255.0.9 remote-as 65209');
    expect(missing.some((l) => /neighbor 10\.255\.0\.9 password \*+$/.test(l))).toBe(true);
    const plain = await cli(['stack', 'validate', 'peer', ...TEMPLATES]);
    for (const out of [r.stdout, r.stderr, plain.stdout, plain.stderr]) expect(out).not.toContain(LAB_PASSWORD);
  });

  it('bad input fails before any device is contacted', async () => {
    const missingInput = await cli(['stack', 'validate', EXAMPLE, ...TEMPLATES]);
    expect(missingInput.code).toBe(4);
    expect(missingInput.stderr).toMatch(/needs 'ntp_servers'/);
    const unknown = await cli(['stack', 'validate', 'no-such-stack', ...TEMPLATES]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no-such-stack/);
  });
});
