import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';

/**
 * The session gaps of issue 11, each against a lab quirk, from the CLI: Junos root shell, ProCurve
 * asking Username: during enable, FortiOS VDOMs, the pre-login banner, the prompt timeout and SSH
 * keepalives. Needs `npm run build`.
 */
const temp = tempHome('netstacks-session-gaps-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' }, timeoutMs: 60_000 });
type Line = { type: string; device?: string; status?: string; errorClass?: string; message?: string; durationMs?: number; data?: Record<string, unknown> };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

/** A TCP relay to a lab device that goes silent (keeps the sockets, forwards nothing) after `freezeAfterMs`. */
const held: Socket[] = [];
function freezingRelay(host: string, port: number, freezeAfterMs: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(port, host);
    held.push(client, upstream);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    upstream.pipe(client);
    setTimeout(() => {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }, freezeAfterMs);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let relay: Server;

beforeAll(async () => {
  lab = await startLab({
    devices: 6,
    platforms: ['juniper_junos', 'hp_procurve', 'fortinet', 'cisco_ios', 'cisco_ios', 'cisco_ios'],
    port: 0,
    firstAddress: '127.0.74.1',
    controlSocket: false,
    quirks: false,
    deviceQuirks: { 'junos-1': ['junos-root-shell', 'login-banner'], 'procurve-2': ['procurve-enable-username'], 'fgt-3': ['fortios-vdoms'] },
    faults: { 'ios-4': ['hang-after-login'], 'ios-5': ['latency:3000'] },
  });
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) {
    const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab']);
    expect(r.code, r.stderr).toBe(0);
  }
  const ios5 = lab.devices.find((d) => d.name === 'ios-5')!;
  relay = await freezingRelay(ios5.host, lab.port, 1500);
  const r = await cli(['device', 'add', 'frozen', '--host', '127.0.0.1', '--port', String((relay.address() as AddressInfo).port), '--platform', 'cisco_ios', '--credential', 'lab']);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => relay?.close(resolve));
  await lab?.stop();
  temp.cleanup();
});

describe('session gaps against lab quirks', () => {
  it('Junos: a login that lands in the root shell enters the CLI; device test shows the pre-login banner', async () => {
    const test = await cli(['device', 'test', 'junos-1']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('=== junos-1 ===\npre-login banner:\n*** Authorized access only: activity is logged ***\nrouter# and switch> are not prompts here');
    const json = jsonLines((await cli(['device', 'test', 'junos-1', '--json'])).stdout).find((l) => l.type === 'device')!;
    expect(json.data?.banner).toContain('Authorized access only');
    const run = await cli(['run', 'show version', '--on', 'junos-1']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Junos: 21.4R3.15');
  });

  it('ProCurve: enable asking Username: then Password: is answered with the login name and the enable secret', async () => {
    const run = await cli(['run', 'show system', '--on', 'procurve-2']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('System Name        : procurve-2');
  });

  it('FortiOS with VDOMs: paging goes off in config global; config pushes into root and a new VDOM', async () => {
    const status = await cli(['run', 'get system status', '--on', 'fgt-3']);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toContain('Virtual domain configuration: multiple');
    const root = await cli(['config', 'push', '--on', 'fgt-3', '--line', 'config vdom', '--line', 'edit root', '--line', 'config firewall address',
      '--line', 'edit "vdom-web"', '--line', 'set subnet 10.99.0.1 255.255.255.255', '--line', 'next', '--line', 'end', '--line', 'end']);
    expect(root.code, root.stdout + root.stderr).toBe(0);
    expect(lab.runningConfig('fgt-3')).toContain('edit "vdom-web"');
    const learned = await cli(['config', 'push', '--on', 'fgt-3', '--line', 'config vdom', '--line', 'edit cust1', '--line', 'config router static',
      '--line', 'edit 1', '--line', 'set dst 172.30.0.0 255.255.0.0', '--line', 'next', '--line', 'end', '--line', 'end']);
    expect(learned.code, learned.stdout + learned.stderr).toBe(0);
    // a global section inside a VDOM is refused like on a real box, and fails the device
    const wrong = await cli(['config', 'push', '--on', 'fgt-3', '--line', 'config vdom', '--line', 'edit root', '--line', 'config system dns', '--line', 'end', '--line', 'end']);
    expect(wrong.code).toBe(10);
    expect(wrong.stdout).toMatch(/command-error: line 3 'config system dns': command parse error/);
  });

  it('a device that logs in but never prompts fails after timeouts.prompt, settable by override', async () => {
    expect((await cli(['settings', 'set', 'timeouts.prompt', '1'])).code).toBe(0);
    const started = Date.now();
    const run = await cli(['run', 'show clock', '--on', 'ios-4', '--json']);
    const device = jsonLines(run.stdout).find((l) => l.type === 'device')!;
    expect(device).toMatchObject({ status: 'failed', errorClass: 'timeout' });
    expect(device.message).toMatch(/no prompt within 1\.0s after login/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await cli(['device', 'override', 'set', 'ios-4', '--prompt-timeout', '2'])).code).toBe(0);
    const overridden = jsonLines((await cli(['run', 'show clock', '--on', 'ios-4', '--json'])).stdout).find((l) => l.type === 'device')!;
    expect(overridden.message).toMatch(/no prompt within 2\.0s after login/);
    const shown = await cli(['device', 'override', 'show', 'ios-4']);
    expect(shown.stdout).toMatch(/prompt timeout\s+2s/);
    expect((await cli(['settings', 'unset', 'timeouts.prompt'])).code).toBe(0);
  });

  it('SSH keepalives notice a peer that stops answering within the keepalive window', async () => {
    for (const [key, value] of [['ssh.keepalive_interval', '0.2'], ['ssh.keepalive_count_max', '2'], ['timeouts.command', '40'], ['timeouts.prompt', '40']] as const) {
      expect((await cli(['settings', 'set', key, value])).code).toBe(0);
    }
    const started = Date.now();
    const run = await cli(['run', 'show clock', '--on', 'frozen', '--json']);
    const elapsed = Date.now() - started;
    const device = jsonLines(run.stdout).find((l) => l.type === 'device')!;
    expect(device, run.stderr).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
    expect(device.message).toMatch(/connection closed/);
    // frozen after 1.5 s; 2 unanswered keepalives 0.2 s apart: well before the 40 s prompt and command timeouts
    expect(elapsed).toBeLessThan(12_000);
  });
});
