import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, runJson, tempHome } from './helpers/cli.js';

describe('platform list / show', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('lists every platform with aliases, vendor, transport and config style', async () => {
    const result = await runCli(['platform', 'list'], { home });
    expect(result.code, result.stderr).toBe(0);
    const header = result.stdout.split('\n')[0]!;
    expect(header).toMatch(/^name\s+aliases\s+vendor\s+transport\s+config\s+description$/);
    expect(result.stdout).toMatch(/^juniper_junos\s+junos\s+Juniper\s+shell\s+candidate\s/m);
    expect(result.stdout).toMatch(/^linux\s+unix\s+Linux\s+exec\s+lines\s/m);
    const json = await runJson<Array<{ name: string; aliases: string[]; configStyle: string }>>(['platform', 'list'], { home });
    expect(json.data.map((p) => p.name)).toContain('hp_procurve');
    expect(json.data.find((p) => p.name === 'cisco_ios')).toMatchObject({ aliases: expect.arrayContaining(['cisco_xe']), configStyle: 'lines' });
  });

  it('shows modes, transitions, pagers, failures, cleanup notes and timeouts; an alias works', async () => {
    const result = await runCli(['platform', 'show', 'cisco_xe'], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('cisco_ios  Cisco');
    expect(result.stdout).toMatch(/modes and prompts\n {2}exec\s+\/\^/);
    expect(result.stdout).toContain("exec → privileged: send 'enable'  answering /[Pp]assword: ?$/ → <enable secret>");
    expect(result.stdout).toContain('failure patterns\n');
    expect(result.stdout).toContain("'% Invalid input'");
    expect(result.stdout).toContain('# size changes with every edit');
    expect(result.stdout).toMatch(/prompt +20 +setting timeouts\.prompt \(default\)/);
    const junos = await runJson<{ name: string; effectiveTimeouts: Record<string, { seconds: number; from: string }>; pagers: unknown[] }>(['platform', 'show', 'junos'], { home });
    expect(junos.data.name).toBe('juniper_junos');
    expect(junos.data.effectiveTimeouts.command).toEqual({ seconds: 60, from: 'platform' });
    expect(junos.data.pagers.length).toBeGreaterThan(0);
  });

  it('names the nearest platforms for an unknown one', async () => {
    const result = await runCli(['platform', 'show', 'cisco_iso'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("platform 'cisco_iso' not found");
    expect(result.stderr).toContain("'cisco_ios'");
  });
});

describe('unknown platforms in the inventory', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const run = (args: string[]) => runCli(args, { home });

  it('device add and edit refuse an unknown platform and name the nearest; autodetect and aliases stay valid', async () => {
    const bad = await run(['device', 'add', 'r1', '--host', '192.0.2.1', '--platform', 'cisco_iso']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain("unknown platform 'cisco_iso' for device 'r1'");
    expect(bad.stderr).toMatch(/did you mean 'cisco_ios'/);
    expect((await run(['device', 'list'])).stderr).toContain('(none)');
    expect((await run(['device', 'add', 'r1', '--host', '192.0.2.1', '--platform', 'autodetect'])).code).toBe(0);
    expect((await run(['device', 'add', 'r2', '--host', '192.0.2.2', '--platform', 'junos'])).code).toBe(0);
    const edit = await run(['device', 'edit', 'r1', '--platform', 'arista_eso']);
    expect(edit.code).toBe(4);
    expect(edit.stderr).toContain("unknown platform 'arista_eso'");
    expect(edit.stderr).toContain("'arista_eos'");
    const shown = await runJson<{ platform: string }>(['device', 'show', 'r1'], { home });
    expect(shown.data.platform).toBe('autodetect');
  });

  it('an import with an unknown platform fails naming the nearest and writes nothing', async () => {
    const file = join(home, 'inv.yaml');
    writeFileSync(file, 'devices:\n  - name: imp-1\n    host: 192.0.2.10\n    platform: fortinett\n');
    const result = await run(['inventory', 'import', file]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("unknown platform 'fortinett'");
    expect(result.stderr).toContain("'fortinet'");
    const list = await runJson<Array<{ name: string }>>(['device', 'list'], { home });
    expect(list.data.map((d) => d.name)).not.toContain('imp-1');
  });

  it('device list still shows a stored device whose platform is unknown', async () => {
    const db = new Database(join(home, 'netstacks.db'));
    db.prepare("update devices set platform = 'dell_os10' where name = 'r2'").run();
    db.close();
    const list = await run(['device', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^r2\s+192\.0\.2\.2\s+dell_os10/m);
  });

  it('the NetBox platform map setting refuses an unknown platform', async () => {
    const result = await run(['settings', 'set', 'netbox.platform_map', '{"ios": "cisco_ioss"}']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("'ios' maps to unknown platform 'cisco_ioss'");
    expect(result.stderr).toContain("'cisco_ios'");
  });
});

describe('NetBox sync with a device on an unknown platform', () => {
  const { home, cleanup } = tempHome();
  let server: Server;
  let url = '';
  const devices = [
    { id: 1, name: 'nb-ios', platform: { slug: 'cisco-ios' }, primary_ip4: { address: '192.0.2.21/24' }, tags: [] },
    { id: 2, name: 'nb-dell', platform: { slug: 'dell-os10' }, primary_ip4: { address: '192.0.2.22/24' }, tags: [] },
  ];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: devices.length, next: null, previous: null, results: devices }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    cleanup();
  });

  it('skips it with a warning and syncs the rest', async () => {
    const result = await runCli(['netbox', 'sync', '--url', url], { home, env: { NETBOX_TOKEN: 'tok' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: NetBox device id 2 skipped: 'nb-dell' maps to unknown platform 'dell_os10'/);
    expect(result.stdout).toContain('1 added');
    const list = await runJson<Array<{ name: string }>>(['device', 'list'], { home });
    expect(list.data.map((d) => d.name)).toEqual(['nb-ios']);
  });
});
