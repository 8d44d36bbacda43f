import { afterAll, beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';
import { connectClient, openShell } from './lab-client.js';

const { home, cleanup } = tempHome('netstacks-lab-cli-');

interface Status {
  running: boolean;
  pid: number;
  port: number;
  devices: { name: string; host: string; platform: string; faults: string[] }[];
}

beforeAll(async () => {
  const started = await runCli(
    ['lab', 'start', '--detach', '--devices', '4', '--platforms', 'cisco_ios,juniper_junos', '--port', '0', '--no-quirks', '--faults', 'junos-4=auth-failure'],
    { home },
  );
  expect(started.stderr).toContain('lab started in the background: 4 devices');
  expect(started.code).toBe(0);
});

afterAll(async () => {
  await runCli(['lab', 'stop'], { home });
  cleanup();
});

test('lab status reports the detached lab and its devices', async () => {
  const { code, data } = await runJson<Status>(['lab', 'status'], { home });
  expect(code).toBe(0);
  expect(data.running).toBe(true);
  expect(data.port).toBeGreaterThan(0);
  expect(data.devices.map((d) => d.name)).toEqual(['ios-1', 'junos-2', 'ios-3', 'junos-4']);
  expect(data.devices[3]?.faults).toEqual(['auth-failure']);
});

test('the devices are in the inventory with the lab credential, and their keys are trusted', async () => {
  const { data } = await runJson<{ name: string; host: string; port: number; platform: string; credential: string; source: string }[]>(['device', 'list'], { home });
  const lab = data.filter((d) => d.source === 'lab');
  expect(lab.map((d) => `${d.name}:${d.platform}:${d.credential}`)).toEqual(['ios-1:cisco_ios:lab', 'ios-3:cisco_ios:lab', 'junos-2:juniper_junos:lab', 'junos-4:juniper_junos:lab']);
  const status = (await runJson<Status>(['lab', 'status'], { home })).data;
  const knownHosts = readFileSync(join(home, 'known_hosts'), 'utf8');
  const ios1 = knownHosts.split('\n').find((l) => l.startsWith(`[127.0.1.1]:${status.port} `));
  expect(ios1).toMatch(/ssh-ed25519 AAAA/);
  let presented = '';
  const client = await connectClient('127.0.1.1', status.port, { hostVerifier: (key: Buffer) => ((presented = key.toString('base64')), true) });
  client.end();
  expect(ios1?.split(' ')[2]).toBe(presented);
});

test('lab reset restores the default config of a changed device', async () => {
  const status = (await runJson<Status>(['lab', 'status'], { home })).data;
  const sh = await openShell('127.0.1.1', status.port);
  await sh.expect(/ios-1>$/);
  await sh.run('enable', /Password: $/);
  await sh.run('lab-enable', /ios-1#$/);
  await sh.run('configure terminal', /\(config\)#$/);
  await sh.run('hostname changed-by-test', /\(config\)#$/);
  await sh.run('end', /#$/);
  await sh.run('terminal length 0', /#$/);
  expect(await sh.run('show running-config | include ^hostname', /#$/)).toContain('hostname changed-by-test');
  const reset = await runCli(['lab', 'reset', 'ios-1'], { home });
  expect(reset.code).toBe(0);
  expect(await sh.run('show running-config | include ^hostname', /#$/)).toContain('hostname ios-1');
  sh.close();
  const bad = await runCli(['lab', 'reset', 'nope-9'], { home });
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain("lab device 'nope-9' not found");
});

test('a second start is refused while the lab runs', async () => {
  const again = await runCli(['lab', 'start', '--detach', '--devices', '2', '--port', '0'], { home });
  expect(again.code).toBe(5);
  expect(again.stderr).toContain('a lab is already running');
});

test('bad options fail before anything starts', async () => {
  const bad = await runCli(['lab', 'start', '--faults', 'ios-1=auth-fail'], { home });
  expect(bad.code).toBe(4);
  expect(bad.stderr).toContain("did you mean 'auth-failure'?");
});

test('lab stop ends the process and removes the devices', async () => {
  const status = (await runJson<Status>(['lab', 'status'], { home })).data;
  const stopped = await runCli(['lab', 'stop'], { home });
  expect(stopped.code).toBe(0);
  expect(() => process.kill(status.pid, 0)).toThrow();
  const after = await runCli(['lab', 'status'], { home });
  expect(after.code).toBe(3);
  const { data } = await runJson<{ source: string }[]>(['device', 'list'], { home });
  expect(data.filter((d) => d.source === 'lab')).toEqual([]);
  await expect(connectClient('127.0.1.1', status.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});
