import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { addCredential } from '../src/credentials/index.js';
import { addDevice } from '../src/inventory/index.js';
import { trustHostKey } from '../src/ssh/index.js';
import { loadOperationEnv, pushConfig, runCommands, testDevices, trustDevice, type OperationEnv } from '../src/operations/index.js';
import { tempHome } from './helpers/cli.js';
import { openConnections } from './helpers/connections.js';

/**
 * The operations as a library against the embedded lab, with quirks on: several healthy IOS
 * devices and one of each fault, all in one run so "the others are unaffected" is checked too.
 */
const FAULTS = { 'ios-3': ['auth-failure'], 'ios-4': ['refused'], 'ios-5': ['hang-after-login'], 'ios-6': ['changed-host-key'] };

let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-ops-');

beforeAll(async () => {
  lab = await startLab({ devices: 8, platforms: ['cisco_ios'], faults: FAULTS, port: 0, firstAddress: '127.0.71.1', controlSocket: false, minuteMs: 200 });
  store = await openSqliteStore(homeFiles.database(temp.home));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const device of lab.devices) {
    // ios-8 is registered without a platform: it must be recognised
    const platform = device.name === 'ios-8' ? 'autodetect' : device.platform;
    await addDevice(store, { name: device.name, host: device.host, port: lab.port, platform, credential: 'lab', tags: ['lab'] });
  }
  // ios-6 was trusted with its normal key before; now it presents another one
  const normal = lab.hostKey('ios-6').normal.publicKey.split(' ');
  trustHostKey(homeFiles.knownHosts(temp.home), '127.0.71.6', lab.port, normal[0]!, normal[1]!);
  env = await loadOperationEnv(store, secrets, temp.home, { logDir: join(temp.home, 'transcripts'), sshConfigFile: false });
  env.settings.timeouts = { connect: 2, auth: 2, banner: 2, prompt: 2, command: 2 };
  env.settings.explicit = new Set(['timeouts.connect', 'timeouts.auth', 'timeouts.banner', 'timeouts.prompt', 'timeouts.command']);
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('operations against the lab', () => {
  it('runs show commands everywhere, gives each fault its class and leaves the others alone', async () => {
    const summary = await runCommands(env, { on: 'tag:lab', concurrency: 8 }, ['show version']);
    const byDevice = Object.fromEntries(summary.results.map((r) => [r.device, r]));
    for (const name of ['ios-1', 'ios-2', 'ios-7', 'ios-8']) {
      expect(byDevice[name]!.status, `${name}: ${byDevice[name]!.message}`).toBe('ok');
      expect(byDevice[name]!.data!.outputs[0]!.output).toMatch(/Cisco IOS/);
    }
    expect(byDevice['ios-3']).toMatchObject({ status: 'failed', errorClass: 'auth' });
    expect(byDevice['ios-4']).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
    expect(byDevice['ios-5']).toMatchObject({ status: 'failed', errorClass: 'timeout' });
    expect(byDevice['ios-6']).toMatchObject({ status: 'failed', errorClass: 'host-key' });
    expect(summary.counts).toMatchObject({ ok: 4, failed: 4, total: 8 });
    expect(JSON.stringify(summary)).not.toContain(LAB_PASSWORD);
  });

  it('fails an unknown command with command-error and the device message', async () => {
    const summary = await runCommands(env, { names: ['ios-1', 'ios-2'] }, ['show version', 'show no-such-thing']);
    for (const result of summary.results) {
      expect(result).toMatchObject({ status: 'failed', errorClass: 'command-error' });
      expect(result.message).toMatch(/Invalid input|Unrecognized|invalid/i);
    }
  });

  it('writes transcripts without the password or the enable secret', () => {
    const dir = join(temp.home, 'transcripts');
    const files = readdirSync(dir);
    expect(files).toContain('ios-1.log');
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(text).toMatch(/show version/);
    expect(text).not.toContain(LAB_PASSWORD);
    expect(text).not.toContain(LAB_ENABLE_SECRET);
  });

  it('config push --dry-run changes nothing and lists the missing lines; a real push changes the running config', async () => {
    const lines = ['interface Loopback77', ' description pushed by netstacks test'];
    const before = lab.runningConfig('ios-2');
    expect(before).not.toContain('Loopback77');

    const dry = await pushConfig(env, { names: ['ios-2'] }, { lines, dryRun: true });
    expect(dry.results[0]!.status, dry.results[0]!.message).toBe('ok');
    expect(dry.results[0]!.data!.missing).toEqual(lines);
    expect(lab.runningConfig('ios-2')).toBe(before);

    const real = await pushConfig(env, { names: ['ios-2'] }, { lines });
    expect(real.results[0]!.status, real.results[0]!.message).toBe('ok');
    expect(lab.runningConfig('ios-2')).toContain('interface Loopback77');
    expect(lab.runningConfig('ios-2')).toContain('description pushed by netstacks test');
    expect(real.results[0]!.data!.added).toEqual(expect.arrayContaining(['interface Loopback77']));

    const again = await pushConfig(env, { names: ['ios-2'] }, { lines, dryRun: true });
    expect(again.results[0]!.data!.missing).toEqual([]);
  });

  it('tests devices: tcp, auth, prompt, platform and latency', async () => {
    const summary = await testDevices(env, { names: ['ios-1', 'ios-4', 'ios-8'] });
    const detected = summary.results.find((r) => r.device === 'ios-8')!;
    expect(detected.status, detected.message).toBe('ok');
    expect(detected.data).toMatchObject({ platform: 'cisco_ios', detected: true });
    const ok = summary.results.find((r) => r.device === 'ios-1')!;
    expect(ok.status, ok.message).toBe('ok');
    expect(ok.data).toMatchObject({ prompt: 'ok', platform: 'cisco_ios', detected: false });
    expect(ok.data!.tcpMs).toBeGreaterThanOrEqual(0);
    expect(ok.data!.latencyMs).toBeGreaterThan(0);
    expect(summary.results.find((r) => r.device === 'ios-4')).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
  });

  it('with strict host keys refuses a device whose key is not known yet', async () => {
    const fresh = tempHome('netstacks-ops-strict-');
    try {
      const summary = await runCommands({ ...env, home: fresh.home, strictHostKeys: true }, { names: ['ios-1'] }, ['show version']);
      expect(summary.results[0]).toMatchObject({ status: 'failed', errorClass: 'host-key' });
      const tofu = await runCommands({ ...env, home: fresh.home, strictHostKeys: false }, { names: ['ios-1'] }, ['show version']);
      expect(tofu.results[0]!.status).toBe('ok');
    } finally {
      fresh.cleanup();
    }
  });

  it('trusts a changed host key, after which the device connects', async () => {
    const report = await trustDevice(env, 'ios-6');
    expect(report.previous).toEqual([lab.hostKey('ios-6').normal.fingerprint]);
    expect(report.current).toBe(lab.hostKey('ios-6').presented.fingerprint);
    expect(report.changed).toBe(true);
    const summary = await runCommands(env, { names: ['ios-6'] }, ['show version']);
    expect(summary.results[0]!.status, summary.results[0]!.message).toBe('ok');
  });

  it('aborting mid-run closes every session and reports partial results', async () => {
    await lab.setFaults('ios-7', ['latency:3000']);
    await lab.setFaults('ios-8', ['latency:3000']);
    const controller = new AbortController();
    const pending = runCommands(env, { names: ['ios-1', 'ios-2', 'ios-7', 'ios-8'], concurrency: 4, signal: controller.signal, timeoutS: 30 }, ['show version']);
    let openBeforeAbort = 0;
    setTimeout(() => {
      openBeforeAbort = openConnections(lab.port);
      controller.abort();
    }, 800);
    const summary = await pending;
    expect(openBeforeAbort).toBeGreaterThanOrEqual(2);
    expect(summary.interrupted).toBe(true);
    expect(summary.results.filter((r) => r.status === 'ok').map((r) => r.device).sort()).toEqual(['ios-1', 'ios-2']);
    expect(summary.results.filter((r) => r.errorClass === 'interrupted').map((r) => r.device).sort()).toEqual(['ios-7', 'ios-8']);
    await new Promise((r) => setTimeout(r, 100));
    expect(openConnections(lab.port)).toBe(0);
    await lab.setFaults('ios-7', []);
    await lab.setFaults('ios-8', []);
  });
});
