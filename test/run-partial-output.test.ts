import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';

/** `run` with several commands where a later one fails: the device fails, earlier outputs stay. Needs `npm run build`. */
const temp = tempHome('netstacks-run-partial-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });

beforeAll(async () => {
  lab = await startLab({ devices: 1, platforms: ['cisco_ios'], port: 0, firstAddress: '127.0.73.1', controlSocket: false, quirks: false });
  expect((await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`)).code).toBe(0);
  const d = lab.devices[0]!;
  expect((await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab'])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

it('keeps and shows the outputs of the commands before the failing one', async () => {
  const name = lab.devices[0]!.name;
  const r = await cli(['run', 'show version', 'show clock', 'show bogus-command', 'show ip interface brief', '--on', name]);
  expect(r.code, r.stderr).toBe(10);
  expect(r.stdout).toMatch(new RegExp(`^failed {2}${name} {2}command-error: `, 'm'));
  expect(r.stdout).toMatch(/--- show version ---\n[\s\S]*Cisco IOS/);
  expect(r.stdout).toContain('--- show clock ---');
  expect(r.stdout).toMatch(/--- failed after 2 of 4 command\(s\): .*show bogus-command/);
  expect(r.stdout).not.toContain('--- show ip interface brief ---');

  const json = await cli(['run', 'show version', 'show bogus-command', '--on', name, '--json']);
  const device = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'device') as {
    status: string; errorClass: string; data: { outputs: Array<{ command: string; output: string }> };
  };
  expect(device).toMatchObject({ status: 'failed', errorClass: 'command-error' });
  expect(device.data.outputs.map((o) => o.command)).toEqual(['show version']);
  expect(device.data.outputs[0]!.output).toMatch(/Cisco IOS/);
});
