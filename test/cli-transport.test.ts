import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { connectClient } from './lab-client.js';
import { runCli, tempHome, type CliResult } from './helpers/cli.js';

/**
 * Transport features end to end: the built CLI against an in-process lab (so the test can read
 * each device's connection counter). Legacy algorithms per device and per group, a two-hop jump
 * chain through the lab's linux boxes, and ~/.ssh/config Host entries. Needs `npm run build`.
 *
 * Devices: ios-1 linux-2 ios-3 linux-4 ios-5 linux-6 ios-7 (ios-1 and ios-3 legacy-only).
 */
const temp = tempHome('netstacks-cli-transport-');
const home = temp.home;
const sshConfig = join(home, 'ssh_config');
let lab: LabHandle;

type Line = Record<string, unknown> & { type: string; device?: string; status?: string; errorClass?: string; message?: string; hint?: string };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const deviceLine = (r: CliResult, name: string): Line | undefined => jsonLines(r.stdout).find((l) => l.type === 'device' && l.device === name);

/** Every CLI run of this file goes through here, so every one is checked for leaked secrets. */
async function cli(args: string[], input?: string): Promise<CliResult> {
  const r = await runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: sshConfig } });
  expect(r.stdout + r.stderr, `secret leaked by: netstacks ${args.join(' ')}`).not.toContain(LAB_PASSWORD);
  expect(r.stdout + r.stderr, `secret leaked by: netstacks ${args.join(' ')}`).not.toContain(LAB_ENABLE_SECRET);
  return r;
}

async function ok(args: string[]): Promise<CliResult> {
  const r = await cli(args);
  expect(r.code, `netstacks ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r;
}

const counts = (names: string[]) => Object.fromEntries(names.map((n) => [n, lab.connections(n)]));

beforeAll(async () => {
  lab = await startLab({
    devices: 7,
    platforms: ['cisco_ios', 'linux'],
    faults: { 'ios-1': ['legacy-only'], 'ios-3': ['legacy-only'] },
    quirks: false,
    port: 0,
    firstAddress: '127.0.74.1',
    controlSocket: false,
  });
  expect(lab.devices.map((d) => d.name)).toEqual(['ios-1', 'linux-2', 'ios-3', 'linux-4', 'ios-5', 'linux-6', 'ios-7']);
  writeFileSync(sshConfig, `Host alias-r1\n  HostName 127.0.74.7\n  Port ${lab.port}\n`);
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin', '--default'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) await ok(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab']);
  for (const [key, value] of [['timeouts.connect', '2'], ['timeouts.auth', '2'], ['timeouts.banner', '3'], ['timeouts.prompt', '5'], ['timeouts.command', '5']] as const) {
    await ok(['settings', 'set', key, value]);
  }
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('legacy algorithms', () => {
  it('a legacy-only device fails as protocol with a hint, and works once the device allows legacy algorithms', async () => {
    const refused = await cli(['run', 'show version', '--on', 'ios-1', '--json']);
    expect(refused.code, refused.stderr).toBe(10);
    const failed = deviceLine(refused, 'ios-1');
    expect(failed, refused.stdout).toMatchObject({ status: 'failed', errorClass: 'protocol' });
    expect(failed?.message).toMatch(/diffie-hellman-group14-sha1/);
    expect(failed?.hint).toMatch(/legacy algorithms/);

    const plain = await cli(['run', 'show version', '--on', 'ios-1']);
    expect(plain.code).toBe(10);
    expect(plain.stdout).toMatch(/^ {2}ios-1 +protocol +SSH handshake with ios-1 failed: no common key exchange algorithm.*\n +hint: .*legacy algorithms/m);

    await ok(['device', 'edit', 'ios-1', '--legacy-algorithms']);
    const fixed = await cli(['run', 'show version', '--on', 'ios-1', '--json']);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(JSON.stringify(deviceLine(fixed, 'ios-1'))).toMatch(/"status":"ok".*Cisco IOS/);

    await ok(['device', 'edit', 'ios-1', '--no-legacy-algorithms']);
    expect((await cli(['run', 'show version', '--on', 'ios-1', '--json'])).code).toBe(10);
  });

  it('a group with --legacy-algorithms lets its members connect; a member can still refuse them', async () => {
    expect(deviceLine(await cli(['run', 'show version', '--on', 'ios-3', '--json']), 'ios-3')).toMatchObject({ errorClass: 'protocol' });
    await ok(['group', 'add', 'old', '--legacy-algorithms']);
    await ok(['group', 'add-device', 'old', 'ios-3']);
    const r = await cli(['run', 'show version', '--on', 'group:old', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(deviceLine(r, 'ios-3')).toMatchObject({ status: 'ok' });

    await ok(['device', 'edit', 'ios-3', '--no-legacy-algorithms']);
    expect(deviceLine(await cli(['run', 'show version', '--on', 'ios-3', '--json']), 'ios-3')).toMatchObject({ errorClass: 'protocol' });
  });
});

describe('jump hosts', () => {
  it('reaches a device through two linux jump hosts, each forwarding one connection', async () => {
    await ok(['device', 'edit', 'ios-5', '--jump-host', 'linux-2', '--jump-host', 'linux-4']);
    const before = counts(['linux-2', 'linux-4', 'ios-5', 'linux-6']);
    const r = await cli(['run', 'show version', '--on', 'ios-5', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.stringify(deviceLine(r, 'ios-5'))).toMatch(/"status":"ok".*Cisco IOS/);
    const after = counts(['linux-2', 'linux-4', 'ios-5', 'linux-6']);
    expect(after).toEqual({ 'linux-2': before['linux-2']! + 1, 'linux-4': before['linux-4']! + 1, 'ios-5': before['ios-5']! + 1, 'linux-6': before['linux-6'] });
  });

  it('fails as unreachable, naming the hop, when the first jump host is down', async () => {
    await lab.setFaults('linux-2', ['refused']);
    try {
      const before = lab.connections('ios-5');
      const r = await cli(['run', 'show version', '--on', 'ios-5', '--json']);
      expect(r.code).toBe(10);
      const failed = deviceLine(r, 'ios-5');
      expect(failed).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
      expect(failed?.message).toContain(`127.0.74.2:${lab.port}`);
      expect(lab.connections('ios-5')).toBe(before);
    } finally {
      await lab.setFaults('linux-2', []);
    }
  });

  it('the lab forwards to loopback addresses only', async () => {
    const client = await connectClient('127.0.74.2', lab.port);
    try {
      const forward = (host: string) => new Promise<void>((resolve, reject) => client.forwardOut('127.0.0.1', 0, host, lab.port, (err, ch) => (err ? reject(err) : (ch.close(), resolve()))));
      await expect(forward('127.0.74.5')).resolves.toBeUndefined();
      await expect(forward('192.0.2.1')).rejects.toThrow(/Channel open failure/);
    } finally {
      client.end();
    }
  });

  it('a jump host that is not a linux box refuses to forward', async () => {
    await ok(['device', 'edit', 'ios-5', '--no-jump-host', '--jump-host', 'ios-7']);
    const r = await cli(['run', 'show version', '--on', 'ios-5', '--json']);
    expect(r.code).toBe(10);
    const failed = deviceLine(r, 'ios-5');
    expect(failed).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
    expect(failed?.message).toContain(`jump host 127.0.74.7:${lab.port} cannot reach ios-5`);
    await ok(['device', 'edit', 'ios-5', '--no-jump-host']);
  });
});

describe('~/.ssh/config', () => {
  it('a device whose host is a Host alias connects to the HostName and Port of the config file', async () => {
    await ok(['device', 'add', 'aliased', '--host', 'alias-r1', '--platform', 'cisco_ios', '--credential', 'lab']);
    const before = lab.connections('ios-7');
    const r = await cli(['run', 'show version', '--on', 'aliased', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.stringify(deviceLine(r, 'aliased'))).toMatch(/"status":"ok".*ios-7/);
    expect(lab.connections('ios-7')).toBe(before + 1);
  });

  it('without the config file the alias does not resolve', async () => {
    const r = await runCli(['run', 'show version', '--on', 'aliased', '--json'], { home, env: { NETSTACKS_SSH_CONFIG: join(home, 'missing') } });
    expect(r.code).toBe(10);
    expect(deviceLine(r, 'aliased')).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
  });
});
