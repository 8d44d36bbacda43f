import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { homeFiles } from '../src/core/paths.js';
import { trustHostKey } from '../src/ssh/index.js';
import { BIN, runCli, tempHome } from './helpers/cli.js';
import { openConnections } from './helpers/connections.js';

/**
 * The session commands end to end: the built CLI against an in-process lab with quirks on.
 * Needs `npm run build` first.
 */
const FAULTS = { 'ios-3': ['auth-failure'], 'ios-4': ['refused'], 'ios-5': ['hang-after-login'], 'ios-6': ['changed-host-key'] };
const temp = tempHome('netstacks-cli-session-');
const home = temp.home;
let lab: LabHandle;

type Line = Record<string, unknown> & { type: string; device?: string; status?: string; errorClass?: string };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });

beforeAll(async () => {
  lab = await startLab({ devices: 8, platforms: ['cisco_ios'], faults: FAULTS, port: 0, firstAddress: '127.0.72.1', controlSocket: false });
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) {
    const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab', '--tag', 'lab']);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const [key, value] of [['timeouts.connect', '2'], ['timeouts.auth', '2'], ['timeouts.banner', '2'], ['timeouts.prompt', '3'], ['timeouts.command', '3']]) {
    const r = await cli(['settings', 'set', key!, value!]);
    expect(r.code, r.stderr).toBe(0);
  }
  const normal = lab.hostKey('ios-6').normal.publicKey.split(' ');
  trustHostKey(homeFiles.knownHosts(home), '127.0.72.6', lab.port, normal[0]!, normal[1]!);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('netstacks run / config push / device test / device trust', () => {
  it('run streams one JSON object per device, with each fault classified and the others unaffected', async () => {
    const logDir = join(home, 'logs-run');
    const r = await cli(['run', 'show version', '--on', 'platform:cisco_ios', '--json', '--log-dir', logDir]);
    expect(r.code, r.stderr).toBe(10);
    const lines = jsonLines(r.stdout);
    const devices = Object.fromEntries(lines.filter((l) => l.type === 'device').map((l) => [l.device, l]));
    for (const name of ['ios-1', 'ios-2', 'ios-7', 'ios-8']) {
      expect(devices[name]?.status, JSON.stringify(devices[name])).toBe('ok');
      expect(JSON.stringify(devices[name])).toMatch(/Cisco IOS/);
    }
    expect(devices['ios-3']).toMatchObject({ status: 'failed', errorClass: 'auth' });
    expect(devices['ios-4']).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
    expect(devices['ios-5']).toMatchObject({ status: 'failed', errorClass: 'timeout' });
    expect(devices['ios-6']).toMatchObject({ status: 'failed', errorClass: 'host-key' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', ok: 4, failed: 4, total: 8, interrupted: false });
    expect(r.stdout + r.stderr).not.toContain(LAB_PASSWORD);

    const transcripts = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
    expect(transcripts).toContain('show version');
    expect(transcripts).not.toContain(LAB_PASSWORD);
    expect(transcripts).not.toContain(LAB_ENABLE_SECRET);
  });

  it('run prints outputs under headers and a summary on a plain terminal; unknown commands are command-error', async () => {
    const r = await cli(['run', 'show version', 'show bogus-command', '--on', 'ios-1,ios-2']);
    expect(r.code).toBe(10);
    expect(r.stdout).toMatch(/^failed {2}ios-1 {2}command-error: /m);
    expect(r.stdout).toMatch(/2 devices: 0 ok, 2 failed, 0 skipped/);

    const ok = await cli(['run', 'show version', '--on', 'ios-1']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok {6}ios-1 {2}\d+ ms$/m);
    expect(ok.stdout).toMatch(/=== ios-1 ===\n[\s\S]*Cisco IOS/);
  });

  it('config push --dry-run leaves the running config alone; config push changes it', async () => {
    const before = lab.runningConfig('ios-2');
    const dry = await cli(['config', 'push', '--on', 'ios-2', '--line', 'interface Loopback88', '--line', ' description via cli', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const dryDevice = jsonLines(dry.stdout).find((l) => l.device === 'ios-2')!;
    expect(dryDevice).toMatchObject({ status: 'ok', data: { dryRun: true, missing: ['interface Loopback88', ' description via cli'] } });
    expect(lab.runningConfig('ios-2')).toBe(before);

    const push = await cli(['config', 'push', '--on', 'ios-2', '--line', 'interface Loopback88', '--line', ' description via cli']);
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(lab.runningConfig('ios-2')).toContain('interface Loopback88');
    expect(push.stdout).toContain('+ interface Loopback88');
  });

  it('device test reports a healthy device and fails a refused one', async () => {
    const r = await cli(['device', 'test', '--on', 'ios-1,ios-4', '--json']);
    expect(r.code).toBe(10);
    const lines = jsonLines(r.stdout);
    expect(lines.find((l) => l.device === 'ios-1')).toMatchObject({ status: 'ok', data: { prompt: 'ok', platform: 'cisco_ios' } });
    expect(lines.find((l) => l.device === 'ios-4')).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
  });

  it('device trust replaces a changed key and prints both fingerprints', async () => {
    const refused = await cli(['device', 'trust', 'ios-6']);
    expect(refused.code).toBe(2);
    const r = await cli(['device', 'trust', 'ios-6', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(lab.hostKey('ios-6').normal.fingerprint);
    expect(r.stdout).toContain(lab.hostKey('ios-6').presented.fingerprint);
    const run = await cli(['run', 'show version', '--on', 'ios-6', '--json']);
    expect(run.code, run.stdout).toBe(0);
  });

  it('Ctrl-C mid-run exits 130 with partial results and leaves no session open', async () => {
    await lab.setFaults('ios-7', ['latency:4000']);
    await lab.setFaults('ios-8', ['latency:4000']);
    const child = spawn(process.execPath, [BIN, 'run', 'show version', '--on', 'ios-1,ios-2,ios-7,ios-8', '--json', '--timeout', '30'], {
      env: { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NETSTACKS_SSH_CONFIG: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sawTwoResults = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if ((stdout.match(/"type":"device"/g) ?? []).length >= 2) resolve();
      });
    });
    await Promise.race([sawTwoResults, new Promise((r) => setTimeout(r, 15_000))]);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    const lines = jsonLines(stdout);
    expect(lines.filter((l) => l.status === 'ok').map((l) => l.device).sort()).toEqual(['ios-1', 'ios-2']);
    expect(lines.filter((l) => l.errorClass === 'interrupted').map((l) => l.device).sort()).toEqual(['ios-7', 'ios-8']);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', interrupted: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(openConnections(lab.port)).toBe(0);
    await lab.setFaults('ios-7', []);
    await lab.setFaults('ios-8', []);
  });
});
