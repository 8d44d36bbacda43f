import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { registerLabDevices } from '../src/lab/inventory.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { loadOperationEnv, type OperationEnv } from '../src/operations/index.js';
import { trustHostKey } from '../src/ssh/index.js';
import { configModelFor } from '../src/config/index.js';
import { loadMop, runMop, validateMop, type ExecutionSummary, type MopEvent, type MopLocation, type RunMopOptions } from '../src/mops/engine/index.js';
import { tempHome } from './helpers/cli.js';

/**
 * The example MOPs shipped in mops/, run against lab devices over real SSH: each passes when the
 * network is healthy, and each fails the way it should when the lab is told to misbehave, with the
 * device's config back where it was after the rollback.
 */

const ROOT = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-mops-examples-');
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const location: MopLocation = { cwd: ROOT, home: temp.home };

beforeAll(async () => {
  lab = await startLab({ devices: 4, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.96.1', controlSocket: false, reloadMs: 800 });
  store = await openSqliteStore(homeFiles.database(temp.home));
  const secrets = createMemorySecretStore();
  await registerLabDevices(store, secrets, lab.devices);
  for (const device of lab.devices) {
    const [type, key] = lab.hostKey(device.name).normal.publicKey.split(' ');
    trustHostKey(homeFiles.knownHosts(temp.home), device.host, lab.port, type!, key!);
  }
  env = await loadOperationEnv(store, secrets, temp.home, { sshConfigFile: false, logDir: join(temp.home, 'transcripts') });
}, 30_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

beforeEach(() => lab.reset());

async function run(name: string, inputs: Record<string, unknown>, options: RunMopOptions = {}): Promise<ExecutionSummary> {
  const loaded = await loadMop(join(ROOT, 'mops', `${name}.yaml`), location);
  return runMop(env, loaded, { inputs, store, location, ...options });
}

const ios = configModelFor('cisco_ios');
/** no difference between two running configs, by the config model (timestamps in comments aside) */
function sameConfig(before: string, after: string): void {
  expect(ios.compare(ios.parse(after), ios.parse(before))).toEqual([]);
}

function statusOf(summary: ExecutionSummary): Record<string, string> {
  return Object.fromEntries(summary.devices.map((d) => [d.device, d.status]));
}

function stepsOf(summary: ExecutionSummary, device: string): string[] {
  return summary.devices.find((d) => d.device === device)!.steps.map((s) => `${s.phase === 'rollback' ? 'rollback:' : ''}${s.stepId}=${s.status}`);
}

describe('example MOPs validate', () => {
  it.each(['code-upgrade', 'interface-change', 'bgp-neighbor-add', 'ntp-canary'])('%s has no issue', async (name) => {
    expect(await validateMop(join(ROOT, 'mops', `${name}.yaml`), location)).toEqual([]);
  });
});

describe('--dry-run of every example', () => {
  it.each([
    ['interface-change', { interface: 'GigabitEthernet0/2', description: 'uplink B' }],
    ['bgp-neighbor-add', { neighbor: '10.3.0.2', remote_as: 65103 }],
    ['ntp-canary', { ntp_server: '192.0.2.52' }],
    ['code-upgrade', { image: 'flash:new.bin' }],
  ] as const)('%s passes on ios-2, says what it would push and changes nothing', async (name, inputs) => {
    const before = lab.runningConfig('ios-2');
    const summary = await run(name, { ...inputs }, { dryRun: true, targets: { names: ['ios-2'] } });
    expect(summary.exitCode, JSON.stringify(summary.devices[0]?.steps.map((s) => `${s.stepId}: ${s.message}`))).toBe(0);
    const changes = summary.devices[0]!.steps.filter((s) => s.type === 'config' || s.type === 'reload');
    expect(changes.length).toBeGreaterThan(0);
    for (const s of changes) expect(s.message).toMatch(/dry-run/);
    sameConfig(before, lab.runningConfig('ios-2'));
  });
});

describe('interface-change', () => {
  it('sets the description, and checks config and link', async () => {
    const before = lab.runningConfig('ios-1');
    const summary = await run('interface-change', { interface: 'GigabitEthernet0/2', description: 'uplink B' }, { targets: { names: ['ios-1'] } });
    expect(summary.exitCode, JSON.stringify(summary.devices[0]?.steps.map((s) => s.message))).toBe(0);
    expect(stepsOf(summary, 'ios-1')).toEqual(['before=passed', 'change=passed', 'config_check=passed', 'link_check=passed']);
    expect(summary.devices[0]!.steps[0]!.captures).toEqual({ old_description: /interface GigabitEthernet0\/2\n description (.*)\n/.exec(before)?.[1] });
    expect(lab.runningConfig('ios-1')).toMatch(/interface GigabitEthernet0\/2\n description uplink B\n/);
  });

  it('a link that stays down fails the post-check, and the rollback brings back the config as it was', async () => {
    const before = lab.runningConfig('ios-2');
    const description = /interface GigabitEthernet0\/2\n description (.*)\n/.exec(before)?.[1];
    lab.setState('ios-2', { interfacesDown: ['GigabitEthernet0/2'] });
    const summary = await run('interface-change', { interface: 'GigabitEthernet0/2', description: 'uplink B' }, { targets: { names: ['ios-2'] } });
    expect(summary.exitCode).toBe(10);
    expect(statusOf(summary)).toEqual({ 'ios-2': 'rolled-back' });
    expect(stepsOf(summary, 'ios-2')).toEqual(['before=passed', 'change=passed', 'config_check=passed', 'link_check=failed', 'rollback:restore=passed']);
    expect(summary.devices[0]!.steps[3]!.items?.find((i) => !i.ok)?.reason).toMatch(/down/);
    sameConfig(before, lab.runningConfig('ios-2'));
    expect(summary.devices[0]!.steps[0]!.captures).toEqual({ old_description: description });
    expect(lab.runningConfig('ios-2')).toContain(`interface GigabitEthernet0/2\n description ${description}\n`);
  });
});

describe('bgp-neighbor-add', () => {
  it('adds the neighbour under the local AS, sees it established, the others unchanged', async () => {
    const summary = await run('bgp-neighbor-add', { neighbor: '10.3.0.2', remote_as: 65103 }, { targets: { names: ['ios-1'] } });
    expect(summary.exitCode, JSON.stringify(summary.devices[0]?.steps.map((s) => s.message))).toBe(0);
    expect(stepsOf(summary, 'ios-1')).toEqual(['local_as=passed', 'pre_bgp=passed', 'not_there=passed', 'add=passed', 'established=passed', 'others_unchanged=passed']);
    expect(lab.runningConfig('ios-1')).toContain(' neighbor 10.3.0.2 remote-as 65103');
    const established = summary.devices[0]!.steps[4]!;
    expect(established.items).toEqual([expect.objectContaining({ item: expect.stringContaining('10.3.0.2'), ok: true })]);
  });

  it('a neighbour that never comes up is removed again (check_bgp with retries, then rollback)', async () => {
    const before = lab.runningConfig('ios-3');
    lab.setState('ios-3', { bgpDown: ['10.3.0.2'] });
    const summary = await run('bgp-neighbor-add', { neighbor: '10.3.0.2', remote_as: 65103, wait_tries: 2, wait_interval: 0.2 }, { targets: { names: ['ios-3'] } });
    expect(summary.exitCode).toBe(10);
    expect(statusOf(summary)).toEqual({ 'ios-3': 'rolled-back' });
    const established = summary.devices[0]!.steps.find((s) => s.stepId === 'established')!;
    expect(established.status).toBe('failed');
    expect(established.attempts).toBe(3);
    expect(established.items?.[0]?.reason).toMatch(/idle|active|state/i);
    sameConfig(before, lab.runningConfig('ios-3'));
  });
});

describe('bgp-neighbor-add on a neighbour that is already there', () => {
  it('stops at the pre-check, and the rollback leaves the existing neighbour alone', async () => {
    const before = lab.runningConfig('ios-4');
    const existing = /^ neighbor (\S+) remote-as (\d+)$/m.exec(before)!;
    const summary = await run('bgp-neighbor-add', { neighbor: existing[1], remote_as: Number(existing[2]) }, { targets: { names: ['ios-4'] } });
    expect(summary.exitCode).toBe(10);
    // no change step started on ios-4, so no rollback step runs (docs/mops.md, Rollback)
    expect(stepsOf(summary, 'ios-4')).toEqual(['local_as=passed', 'pre_bgp=passed', 'not_there=failed']);
    expect(lab.runningConfig('ios-4')).toContain(existing[0]);
    sameConfig(before, lab.runningConfig('ios-4'));
  });
});

describe('ntp-canary', () => {
  it('rolls out to the canary, then the rest in batches of half', async () => {
    const events: MopEvent[] = [];
    const summary = await run('ntp-canary', { ntp_server: '192.0.2.50' }, { onEvent: (e) => events.push(e) });
    expect(summary.exitCode).toBe(0);
    const start = events.find((e): e is Extract<MopEvent, { type: 'run-start' }> => e.type === 'run-start')!;
    expect(start.batches.map((b) => b.length)).toEqual([1, 2, 1]);
    for (const d of lab.devices) expect(lab.runningConfig(d.name)).toMatch(/^ntp server 192\.0\.2\.50$/m);
    expect(summary.runSteps.map((s) => s.message)).toEqual(['adding NTP server 192.0.2.50 to 4 device(s), one first']);
  });

  it('stops at its threshold: a canary that cannot reach the server is rolled back and no other device starts', async () => {
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.runningConfig(d.name)]));
    let canary = '';
    const summary = await run('ntp-canary', { ntp_server: '192.0.2.51' }, {
      onEvent: (e) => {
        // the lab is told before the canary connects: its pings fail
        if (e.type === 'run-start') {
          canary = e.batches[0]![0]!;
          lab.setState(canary, { pingFail: true });
        }
      },
    });
    expect(summary.exitCode).toBe(10);
    expect(summary.stoppedEarly).toBeTruthy();
    expect(stepsOf(summary, canary)).toEqual(['add_server=passed', 'in_config=passed', 'reachable=failed', 'rollback:remove_server=passed']);
    for (const d of summary.devices.filter((x) => x.device !== canary)) {
      expect(d.status).toBe('skipped');
      expect(d.steps).toEqual([]);
    }
    for (const d of lab.devices) sameConfig(before[d.name]!, lab.runningConfig(d.name));
  });
});

describe('code-upgrade', () => {
  it('pre-checks, sets the boot image, reloads, reconnects and finds BGP and interfaces as before', async () => {
    const summary = await run('code-upgrade', { image: 'flash:c2900-universalk9-mz.SPA.157-3.M8.bin', reload_timeout: 60 }, { targets: { names: ['ios-4'] } });
    const steps = stepsOf(summary, 'ios-4');
    expect(steps, JSON.stringify(summary.devices[0]?.steps.map((s) => s.message))).toEqual([
      'pre_version=passed',
      'pre_bgp=passed',
      'pre_interfaces=passed',
      'set_boot=passed',
      'reload=passed',
      'post_version=passed',
      'post_bgp=passed',
      'post_interfaces=passed',
    ]);
    expect(summary.exitCode).toBe(0);
    expect(lab.runningConfig('ios-4')).toContain('boot system flash:c2900-universalk9-mz.SPA.157-3.M8.bin');
  }, 60_000);

  it('a post-check that fails after the reload puts the old boot setting back', async () => {
    const before = lab.runningConfig('ios-1');
    const summary = await run('code-upgrade', { image: 'flash:new.bin', target_version: '99.9(9)', reload_timeout: 60 }, { targets: { names: ['ios-1'] } });
    expect(summary.exitCode).toBe(10);
    expect(statusOf(summary)).toEqual({ 'ios-1': 'rolled-back' });
    expect(stepsOf(summary, 'ios-1').slice(-2)).toEqual(['post_version=failed', 'rollback:restore_boot=passed']);
    sameConfig(before, lab.runningConfig('ios-1'));
  }, 60_000);
});
