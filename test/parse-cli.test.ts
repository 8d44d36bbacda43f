import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';

/**
 * `netstacks parse` on saved output and `run --parse` against the in-process lab, through the built
 * CLI (`npm run build` first).
 */
const temp = tempHome('netstacks-parse-cli-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string, env: Record<string, string | undefined> = {}) =>
  runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent', NET_TEXTFSM: undefined, ...env } });
type Line = Record<string, unknown> & { type: string; device?: string; status?: string; errorClass?: string };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

const TEMPLATE = 'Value Key NAME (\\S+)\nValue List ADDRESSES (\\d+\\.\\d+\\.\\d+\\.\\d+)\n\nStart\n  ^interface ${NAME}\n  ^\\s+address ${ADDRESSES}\n  ^! -> Record\n';
const OUTPUT = 'interface Gi0/1\n address 10.0.0.1\n address 10.0.0.2\n!\ninterface Gi0/2\n!\n';

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios'], port: 0, firstAddress: '127.0.73.1', controlSocket: false });
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) {
    const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab']);
    expect(r.code, r.stderr).toBe(0);
  }
  writeFileSync(join(home, 'interfaces.textfsm'), TEMPLATE);
  writeFileSync(join(home, 'interfaces.txt'), OUTPUT);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('netstacks parse', () => {
  it('parses a file with --template, as JSON, with the source named', async () => {
    const r = await cli(['parse', '--platform', 'cisco_ios', '--template', join(home, 'interfaces.textfsm'), join(home, 'interfaces.txt'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { source: { kind: string }; records: unknown[] };
    expect(data.source.kind).toBe('file');
    expect(data.records).toEqual([
      { name: 'Gi0/1', addresses: ['10.0.0.1', '10.0.0.2'] },
      { name: 'Gi0/2', addresses: [] },
    ]);
  });

  it('reads stdin, finds the template through the user index with abbreviations, prints a table', async () => {
    const r0 = await cli(['parse', '--platform', 'cisco_ios', '--command', 'sh addr', '-'], OUTPUT);
    expect(r0.code).toBe(3);
    expect(r0.stderr).toMatch(/no parser for 'sh addr' on platform 'cisco_ios'/);
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(home, 'textfsm'), { recursive: true });
    copyFileSync(join(home, 'interfaces.textfsm'), join(home, 'textfsm', 'interfaces.textfsm'));
    writeFileSync(join(home, 'textfsm', 'index'), 'Template, Hostname, Platform, Command\n\ninterfaces.textfsm, .*, cisco_ios, sh[[ow]] addr[[esses]]\n');
    const r = await cli(['parse', '--platform', 'cisco_ios', '--command', 'sh addr', '-'], OUTPUT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^name\s+addresses\nGi0\/1\s+10\.0\.0\.1, 10\.0\.0\.2\nGi0\/2\s*$/m);
    expect(r.stderr).toMatch(/2 record\(s\) from your templates: .*interfaces\.textfsm/);
    const yaml = await cli(['parse', '--platform', 'cisco_ios', '--command', 'show addresses', '--yaml'], OUTPUT);
    expect(yaml.stdout).toMatch(/kind: user/);
  });

  it('--list shows each source; unknown commands and template errors have their exit codes', async () => {
    const list = await cli(['parse', '--list', '--platform', 'cisco_ios', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{ source: string; command: string }>;
    expect(rows[0]).toMatchObject({ source: 'user', command: 'sh[[ow]] addr[[esses]]' });
    expect(rows.some((r) => r.source === 'builtin')).toBe(true);
    writeFileSync(join(home, 'broken.textfsm'), 'Value A (\\S+)\n\nStart\n  ^${A} -> Record Missing\n');
    const broken = await cli(['parse', '--platform', 'cisco_ios', '--template', join(home, 'broken.textfsm')], 'x\n');
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/broken\.textfsm:4: state 'Missing' not found/);
    const noIndex = await cli(['parse', '--platform', 'cisco_ios', '--command', 'show version'], 'x\n', { NET_TEXTFSM: home + '/nothing-here' });
    expect(noIndex.code).toBe(4);
    expect(noIndex.stderr).toMatch(/NET_TEXTFSM.*no index/);
  });
});

describe('netstacks run --parse', () => {
  it('streams each device records as JSON and names the source', async () => {
    const r = await cli(['run', 'show version', '--parse', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const devices = jsonLines(r.stdout).filter((l) => l.type === 'device');
    expect(devices.map((d) => d.device).sort()).toEqual(['ios-1', 'ios-2']);
    for (const d of devices) {
      expect(d.status).toBe('ok');
      const parsed = d.parsed as Array<{ command: string; source: { kind: string }; records: Array<Record<string, unknown>> }>;
      expect(parsed[0]!.command).toBe('show version');
      expect(parsed[0]!.source.kind).toBe('builtin');
      expect(parsed[0]!.records.length).toBe(1);
      expect(parsed[0]!.records[0]!.hostname).toBe(d.device);
    }
  });

  it('prints a table per device on a plain terminal', async () => {
    const r = await cli(['run', 'show version', '--parse', '--on', 'ios-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/=== ios-1: show version ===\s+\(built-in template: .*\.textfsm, 1 record\(s\)\)/);
    expect(r.stdout).toMatch(/hostname/);
  });

  it('a device whose platform has no template fails alone with no-parser, without connecting', async () => {
    // nothing listens at this address: trying to connect would fail as unreachable instead
    const add = await cli(['device', 'add', 'lnx-1', '--host', '127.0.73.99', '--port', String(lab.port), '--platform', 'linux', '--credential', 'lab']);
    expect(add.code, add.stderr).toBe(0);
    const r = await cli(['run', 'show version', '--parse', '--on', 'ios-1,lnx-1', '--json']);
    expect(r.code).toBe(10);
    const devices = Object.fromEntries(jsonLines(r.stdout).filter((l) => l.type === 'device').map((l) => [l.device, l]));
    expect(devices['ios-1']).toMatchObject({ status: 'ok' });
    expect(devices['lnx-1']).toMatchObject({ status: 'failed', errorClass: 'no-parser', message: "no parser for 'show version' on platform 'linux'" });
    const rm = await cli(['device', 'rm', 'lnx-1', '--yes']);
    expect(rm.code, rm.stderr).toBe(0);
  });

  it('a command no index knows fails at once with exit 3, before connecting', async () => {
    const started = Date.now();
    const r = await cli(['run', 'show frobnicator', '--parse', '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no parser for 'show frobnicator' on platform 'cisco_ios'/);
    expect(r.stderr).toMatch(/--template FILE/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('run --parse with native structured output', () => {
  let eosLab: LabHandle | undefined;
  afterAll(async () => {
    await eosLab?.stop();
  });

  it("prefers the platform's native JSON (EOS '| json') and says so", async () => {
    eosLab = await startLab({ devices: 1, platforms: ['arista_eos'], port: 0, firstAddress: '127.0.73.11', controlSocket: false });
    const d = eosLab.devices[0]!;
    const add = await cli(['device', 'add', 'eos-native', '--host', d.host, '--port', String(eosLab.port), '--platform', 'arista_eos', '--credential', 'lab']);
    expect(add.code, add.stderr).toBe(0);
    const r = await cli(['run', 'show version', '--parse', '--on', 'eos-native', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const device = jsonLines(r.stdout).find((l) => l.type === 'device')!;
    const parsed = device.parsed as Array<{ sent: string; source: { kind: string }; records: Array<Record<string, unknown>> }>;
    expect(parsed[0]!.sent).toBe('show version | json');
    expect(parsed[0]!.source.kind).toBe('native');
    expect(parsed[0]!.records[0]!.mfgName).toBe('Arista');
  });
});

