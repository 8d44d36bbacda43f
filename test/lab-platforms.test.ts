import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLab, type LabHandle } from '../src/lab/index.js';
import { connectClient, execCommand, openShell, type LabShell } from './lab-client.js';

let lab: LabHandle;
const host = (name: string) => lab.devices.find((d) => d.name === name)!.host;

beforeAll(async () => {
  lab = await startLab({
    devices: 9,
    platforms: ['cisco_nxos', 'cisco_xr', 'linux', 'fortinet', 'paloalto_panos', 'hp_procurve', 'aruba_aoscx', 'cisco_xe', 'cisco_ios'],
    port: 0,
    quirks: false,
    controlSocket: false,
    bigConfigDevices: ['ios-9'],
    minuteMs: 200,
  });
});
afterAll(async () => {
  await lab?.stop();
});

async function pagedThenUnpaged(sh: LabShell, command: string, pager: RegExp, prompt: RegExp, off: string): Promise<string> {
  await sh.run(command, pager);
  sh.send('q');
  await sh.expect(prompt);
  await sh.run(off, prompt);
  const full = await sh.run(command, prompt);
  expect(full).not.toMatch(pager);
  return full;
}

describe('lab platforms', () => {
  test('NX-OS: privileged at login, pager, config change, `% Invalid command`', async () => {
    const sh = await openShell(host('nxos-1'), lab.port);
    const prompt = /\nnxos-1#$/;
    await sh.expect(prompt);
    const full = await pagedThenUnpaged(sh, 'show running-config', / --More-- $/, prompt, 'terminal length 0');
    expect(full).toContain('!Command: show running-config');
    expect(await sh.run('show version', prompt)).toContain('Cisco Nexus Operating System');
    expect(await sh.run('show bogus', prompt)).toContain("% Invalid command at '^' marker.");
    await sh.run('configure terminal', /nxos-1\(config\)#$/);
    await sh.run('interface e1/1', /nxos-1\(config-if\)#$/);
    await sh.run('description nxos-change', /nxos-1\(config-if\)#$/);
    await sh.run('end', prompt);
    expect(lab.runningConfig('nxos-1')).toContain('interface Ethernet1/1\n  description nxos-change');
    sh.close();
  });

  test('XR: candidate config, show configuration, commit', async () => {
    const sh = await openShell(host('xr-2'), lab.port);
    const prompt = /RP\/0\/RSP0\/CPU0:xr-2#$/;
    await sh.expect(prompt);
    await sh.run('terminal length 0', prompt);
    expect(await sh.run('show version', prompt)).toContain('Cisco IOS XR Software');
    await sh.run('configure', /RP\/0\/RSP0\/CPU0:xr-2\(config\)#$/);
    await sh.run('hostname xr-renamed', /\(config\)#$/);
    expect(await sh.run('show configuration', /\(config\)#$/)).toContain('hostname xr-renamed');
    expect(lab.runningConfig('xr-2')).toContain('hostname xr-2');
    await sh.run('commit', /RP\/0\/RSP0\/CPU0:xr-renamed\(config\)#$/);
    expect(lab.runningConfig('xr-2')).toContain('hostname xr-renamed');
    await sh.run('interface Loopback7', /\(config-if\)#$/);
    await sh.run('end', /Uncommitted changes found, commit them before exiting\(yes\/no\/cancel\)\? \[cancel\]:$/);
    await sh.run('no', /RP\/0\/RSP0\/CPU0:xr-renamed#$/);
    expect(lab.runningConfig('xr-2')).not.toContain('Loopback7');
    const renamed = /RP\/0\/RSP0\/CPU0:xr-renamed#$/;
    await sh.run('configure', /\(config\)#$/);
    await sh.run('interface Loopback8', /\(config-if\)#$/);
    await sh.run('commit confirmed minutes 1', /\(config-if\)#$/);
    await sh.run('end', renamed);
    expect(lab.runningConfig('xr-2')).toContain('interface Loopback8');
    await new Promise((r) => setTimeout(r, 350));
    expect(lab.runningConfig('xr-2')).not.toContain('interface Loopback8');
    expect(await sh.run('rollback configuration last 1', /xr-2#$/)).toContain('Configuration successfully rolled back 1 commits.');
    expect(lab.runningConfig('xr-2')).toContain('hostname xr-2');
    sh.close();
  });

  test('Linux: shell prompt and exec channels', async () => {
    const sh = await openShell(host('linux-3'), lab.port);
    const prompt = /netstacks@linux-3:~\$ $/;
    await sh.expect(prompt);
    expect(await sh.run('cat /etc/os-release', prompt)).toContain('Debian GNU/Linux 12');
    expect(await sh.run('nosuch', prompt)).toContain('-bash: nosuch: command not found');
    sh.close();
    const client = await connectClient(host('linux-3'), lab.port);
    expect(await execCommand(client, 'uname -a')).toMatchObject({ code: 0, stdout: expect.stringContaining('Linux linux-3') });
    expect(await execCommand(client, 'echo hello lab')).toMatchObject({ code: 0, stdout: 'hello lab\n' });
    expect(await execCommand(client, 'hostname')).toMatchObject({ stdout: 'linux-3\n' });
    expect(await execCommand(client, 'nosuch')).toMatchObject({ code: 127, stderr: 'bash: nosuch: command not found\n' });
    client.end();
  });

  test('FortiOS: console output standard disables paging; config sections are stateful', async () => {
    const sh = await openShell(host('fgt-4'), lab.port);
    const prompt = /\nfgt-4 # $/;
    await sh.expect(prompt);
    await sh.run('show', /--More-- $/);
    sh.send('q');
    await sh.expect(prompt);
    await sh.run('config system console', /fgt-4 \(console\) # $/);
    await sh.run('set output standard', /\(console\) # $/);
    await sh.run('end', prompt);
    expect(await sh.run('get system status', prompt)).toContain('Version: FortiGate-VM64');
    expect(await sh.run('show', prompt)).toContain('config firewall policy');
    await sh.run('config firewall address', /\(address\) # $/);
    await sh.run('edit lab-host', /\(lab-host\) # $/);
    await sh.run('set subnet 10.9.9.9 255.255.255.255', /\(lab-host\) # $/);
    await sh.run('next', /\(address\) # $/);
    await sh.run('end', prompt);
    expect(lab.runningConfig('fgt-4')).toContain('edit "lab-host"\n        set subnet 10.9.9.9 255.255.255.255');
    expect(await sh.run('frobnicate', prompt)).toContain('Unknown action 0');
    sh.close();
  });

  test('PAN-OS: pager off, configure, set, commit', async () => {
    const sh = await openShell(host('panos-5'), lab.port);
    const prompt = /netstacks@panos-5> $/;
    await sh.expect(prompt);
    await sh.run('set cli pager off', prompt);
    expect(await sh.run('show system info', prompt)).toContain('sw-version: 10.1.9');
    await sh.run('configure', /\[edit\]\nnetstacks@panos-5# $/);
    await sh.run('set deviceconfig system hostname PA-LAB', /# $/);
    expect(await sh.run('commit', /\[edit\]\nnetstacks@PA-LAB# $/)).toContain('Configuration committed successfully');
    expect(lab.runningConfig('panos-5')).toContain('hostname PA-LAB;');
    await sh.run('exit', /netstacks@PA-LAB> $/);
    expect(await sh.run('bogus', /> $/)).toContain('Unknown command: bogus');
    sh.close();
  });

  test('ProCurve: press any key, enable, no page, config', async () => {
    const sh = await openShell(host('procurve-6'), lab.port);
    await sh.expect(/Press any key to continue/);
    sh.send('x');
    await sh.expect(/\nprocurve-6>$/);
    await sh.run('enable', /Password: $/);
    await sh.run('lab-enable', /procurve-6#$/);
    await pagedThenUnpaged(sh, 'show running-config', /-- MORE --, next page: Space, next line: Enter, quit: Control-C/, /procurve-6#$/, 'no page');
    expect(await sh.run('show system', /procurve-6#$/)).toContain('General System Information');
    await sh.run('configure', /procurve-6\(config\)#$/);
    await sh.run('vlan 10', /procurve-6\(vlan-10\)#$/);
    await sh.run('name "LAB-VLAN"', /procurve-6\(vlan-10\)#$/);
    await sh.run('end', /procurve-6#$/);
    expect(lab.runningConfig('procurve-6')).toMatch(/vlan 10\n {3}name "LAB-VLAN"/);
    expect(await sh.run('bogus', /procurve-6#$/)).toContain('Invalid input: bogus');
    sh.close();
  });

  test('AOS-CX: no page, show version, config', async () => {
    const sh = await openShell(host('cx-7'), lab.port);
    const prompt = /\ncx-7#$/;
    await sh.expect(prompt);
    await pagedThenUnpaged(sh, 'show running-config', /--MORE--/, prompt, 'no page');
    expect(await sh.run('show version', prompt)).toContain('ArubaOS-CX');
    await sh.run('configure terminal', /cx-7\(config\)#$/);
    await sh.run('interface 1/1/3', /cx-7\(config-if\)#$/);
    await sh.run('description cx-change', /\(config-if\)#$/);
    await sh.run('end', prompt);
    expect(lab.runningConfig('cx-7')).toContain('description cx-change');
    sh.close();
  });

  test('IOS XE: its own show version', async () => {
    const client = await connectClient(host('xe-8'), lab.port);
    const out = await execCommand(client, 'show version');
    expect(out.stdout).toContain('Cisco IOS XE Software');
    client.end();
  });

  test('big config: 5 MB or more, streamed in full', async () => {
    const client = await connectClient(host('ios-9'), lab.port);
    const started = Date.now();
    const out = await execCommand(client, 'show running-config');
    expect(out.stdout.length).toBeGreaterThan(5_000_000);
    expect(out.stdout.trimEnd().endsWith('end')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    client.end();
  });

  test('configs differ per device and are deterministic per seed', async () => {
    const again = await startLab({ devices: 2, port: 0, firstAddress: '127.0.8.1', controlSocket: false, platforms: ['cisco_ios'] });
    try {
      expect(again.runningConfig('ios-1')).not.toBe(again.runningConfig('ios-2'));
      const third = await startLab({ devices: 1, port: 0, firstAddress: '127.0.8.10', controlSocket: false, platforms: ['cisco_ios'] });
      const strip = (s: string) => s.replace(/^! (Last|NVRAM).*$/gm, '').replace(/^Current configuration.*$/m, '');
      expect(strip(third.runningConfig('ios-1'))).toBe(strip(again.runningConfig('ios-1')));
      await third.stop();
    } finally {
      await again.stop();
    }
  });
});
