import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { getExecution, loadMop, runMop, validateMop, type ExecutionSummary, type StepResult } from '../src/mops/engine/index.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { Store } from '../src/store/store.js';
import { listBackups } from '../src/backups/index.js';
import { configModelFor } from '../src/config/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';

/**
 * Issue 9's last points on the lab: check_interfaces' `require_description` (not the engine's
 * `description` key), a MOP with config and backup steps on one device whose device lock is held
 * by the run the whole time (re-entrant, never lent), a config step rolled back by its own
 * transaction leaving no undo, and a log step's line recorded once.
 */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-mop-fixes-');
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const ios = configModelFor('cisco_ios');

let counter = 0;
async function run(yaml: string): Promise<ExecutionSummary> {
  const file = join(temp.home, 'mops', `m${++counter}.yaml`);
  writeFileSync(file, yaml);
  const loaded = await loadMop(file, { cwd: temp.home, home: temp.home });
  return runMop(env, loaded, { store, location: { cwd: temp.home, home: temp.home } });
}
const stepOf = (summary: ExecutionSummary, device: string, id: string): StepResult => {
  const found = summary.devices.find((d) => d.device === device)?.steps.find((s) => s.stepId === id && s.phase === 'main');
  if (!found) throw new Error(`no step ${id} on ${device}: ${JSON.stringify(summary.devices.map((d) => [d.device, d.status, d.message]))}`);
  return found;
};

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios', 'arista_eos'], quirks: false, port: 0, firstAddress: '127.0.94.1', controlSocket: false });
  ({ store, env } = await openLabEnv(lab, temp.home, { tags: ['lab'] }));
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('check_interfaces require_description', () => {
  const IFACE: Record<string, string> = { 'ios-1': 'GigabitEthernet0/2', 'eos-2': 'Ethernet2' };
  const mop = (device: string, description: boolean) => `
name: descr
targets: [${device}]
steps:
  - id: set
    type: config
    lines: ["interface ${IFACE[device]}", "${description ? ' description to core' : ' no description'}"]
  - id: check
    description: every uplink is labelled
    type: check_interfaces
    interfaces: ["${IFACE[device]}"]
    max_errors: null
    require_description: true
`;

  it.each(['ios-1', 'eos-2'])('%s: passes with a description, fails with the reason without one', async (device) => {
    const ok = await run(mop(device, true));
    expect(stepOf(ok, device, 'check')).toMatchObject({ status: 'passed', items: [{ item: IFACE[device], ok: true }] });
    expect(lab.runningConfig(device)).toContain('description to core');

    const bare = await run(mop(device, false));
    expect(stepOf(bare, device, 'set').status).toBe('passed');
    expect(lab.runningConfig(device)).not.toContain('description to core');
    expect(stepOf(bare, device, 'check')).toMatchObject({ status: 'failed', items: [{ item: IFACE[device], ok: false, reason: 'no description' }] });
    expect(bare.exitCode).toBe(10);
    lab.reset();
  });

  it('without require_description, a missing description passes; a boolean `description` is refused with its line and column', async () => {
    const none = await run(mop('ios-1', false).replace('    require_description: true\n', ''));
    expect(stepOf(none, 'ios-1', 'check').status).toBe('passed');
    lab.reset();

    const file = join(temp.home, 'mops', 'old-key.yaml');
    writeFileSync(file, 'name: old\ntargets: [ios-1]\nsteps:\n  - id: check\n    type: check_interfaces\n    description: true\n');
    const issues = await validateMop(file, { cwd: temp.home, home: temp.home });
    expect(issues).toEqual([expect.objectContaining({ file, line: 6, column: 18, path: 'steps[0].description', severity: 'error', hint: expect.stringContaining('require_description: true') })]);
  });
});

describe('a config step and backup steps on one device (re-entrant device lock)', () => {
  it('the run holds the device lock from the change to its end, and the backups nest into it (never lent)', async () => {
    // watch the locks table while the run goes: the row must never go away between the change and the end
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const row = await store.db.selectFrom('locks').select(['key', 'purpose', 'token']).where('key', '=', 'device:ios-1').executeTakeFirst();
        seen.push(row ? `${row.purpose}#${row.token}` : '-');
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const summary = await run(`
name: change-and-back-up
targets: [ios-1]
steps:
  - { id: change, type: config, lines: [ntp server 192.0.2.77] }
  - { id: bk, type: backup }
  - { id: bk2, type: backup }
  - { id: again, type: config, lines: [ntp server 192.0.2.78] }
`);
    watching = false;
    await watcher;
    expect(summary.exitCode, JSON.stringify(summary.devices[0]?.steps.map((s) => `${s.stepId}: ${s.message}`))).toBe(0);
    expect(stepOf(summary, 'ios-1', 'bk').message).toMatch(/^backup \d+ stored/);
    expect(stepOf(summary, 'ios-1', 'bk2').message).toMatch(/\(unchanged\)$/);
    const id = stepOf(summary, 'ios-1', 'bk').captures!.backup_id as number;
    expect((await listBackups(store.db, { on: 'name:ios-1' })).map((b) => b.id)).toContain(id);
    // the backup holds the change (it ran with the run's lock, on the device as changed)
    expect(lab.runningConfig('ios-1')).toContain('ntp server 192.0.2.78');

    // from the first sighting of the run's row to the last, one row, one token: never deleted and re-inserted
    const first = seen.findIndex((s) => s !== '-');
    const last = seen.length - 1 - [...seen].reverse().findIndex((s) => s !== '-');
    expect(first).toBeGreaterThanOrEqual(0);
    const held = seen.slice(first, last + 1);
    expect(held.length).toBeGreaterThan(5);
    expect(new Set(held)).toEqual(new Set([held[0]]));
    expect(held[0]).toMatch(/^mop run change-and-back-up/);
    expect(await store.db.selectFrom('locks').selectAll().execute()).toEqual([]);
    lab.reset();
  });

  it('a backup step waits for a device lock another holder has (no nesting across holders)', async () => {
    const { acquireLock } = await import('../src/locks/index.js');
    const other = await acquireLock(store, 'device:eos-2', { purpose: 'someone else', owner: 'other-run' });
    const started = Date.now();
    const release = new Promise<void>((resolve) => setTimeout(() => void other.release().then(resolve), 1500));
    const summary = await run('name: wait-for-lock\ntargets: [eos-2]\nsteps:\n  - { id: bk, type: backup }\n');
    await release;
    expect(stepOf(summary, 'eos-2', 'bk').status).toBe('passed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await store.db.selectFrom('locks').selectAll().execute()).toEqual([]);
  });
});

describe('deploy_stack between device steps, and the mop step, on the lab', () => {
  const stack = () => {
    const file = join(temp.home, 'ntp-stack.yaml');
    writeFileSync(file, 'name: ntp-stack\nservices:\n  - name: ntp\n    template: cisco_ios/ntp\n    targets: [ios-1]\n');
    return file;
  };
  const deployStep = (file: string) => `  - id: deploy
    type: deploy_stack
    run_once: true
    stack: ${JSON.stringify(file)}
    vars: { ntp_servers: [192.0.2.31] }
    templates: [${JSON.stringify(join(REPO, 'templates'))}]`;

  it('a deploy_stack step nests into the device lock the run took in an earlier config step, and the device steps go on', async () => {
    const summary = await run(`
name: change-deploy-check
targets: [ios-1]
steps:
  - { id: change, type: config, lines: [logging host 10.66.1.30] }
${deployStep(stack())}
  - id: check
    type: validate_config
    patterns:
      - { pattern: "^logging host 10.66.1.30$" }
      - { pattern: "^ntp server 192.0.2.31 prefer$" }
`);
    expect(summary.exitCode, JSON.stringify([summary.runSteps, summary.devices[0]?.steps.map((s) => `${s.stepId}: ${s.message}`)])).toBe(0);
    expect(summary.runSteps.find((s) => s.stepId === 'deploy')).toMatchObject({ status: 'passed', message: expect.stringMatching(/deployed \(1 applied, 0 unchanged\)$/) });
    expect(stepOf(summary, 'ios-1', 'check').status).toBe('passed');
    expect(await store.db.selectFrom('locks').selectAll().execute()).toEqual([]);
    lab.reset();
  });

  it('a deploy_stack step fails for real when its device cannot be reached', async () => {
    await lab.setFaults('ios-1', ['refused']);
    try {
      const summary = await run(`name: deploy-unreachable\nsteps:\n${deployStep(stack())}\n`);
      expect(summary.exitCode).toBe(10);
      const deploy = summary.runSteps.find((s) => s.stepId === 'deploy');
      expect(deploy?.status).toBe('failed');
      expect(deploy?.items).toEqual([{ item: 'ios-1', ok: false, reason: expect.stringMatching(/^plan failed: /) }]);
    } finally {
      await lab.setFaults('ios-1', []);
    }
  });

  it('the mop step runs a sub-MOP on the device (its config step shares the run lock); a failing sub-MOP fails the step', async () => {
    writeFileSync(
      join(temp.home, 'mops', 'ntp-child.yaml'),
      'name: ntp-child\ninputs:\n  server: { type: string, required: true }\nsteps:\n  - { id: add, type: config, lines: ["ntp server {{ server }}"] }\n  - id: there\n    type: validate_config\n    patterns: [{ pattern: "^ntp server {{ server }}$" }, { pattern: "^ntp server 192.0.2.40$" }]\n',
    );
    const parent = (server: string) => `
name: parent
targets: [ios-1]
steps:
  - { id: first, type: config, lines: [ntp server 192.0.2.40] }
  - { id: sub, type: mop, mop: ntp-child, inputs: { server: "${server}" } }
`;
    const ok = await run(parent('192.0.2.41'));
    expect(ok.exitCode, JSON.stringify(ok.devices[0]?.steps.map((s) => `${s.stepId}: ${s.message}`))).toBe(0);
    expect(stepOf(ok, 'ios-1', 'sub').status).toBe('passed');
    expect(stepOf(ok, 'ios-1', 'sub/add')).toMatchObject({ status: 'passed', pushed: ['ntp server 192.0.2.41'] });
    expect(lab.runningConfig('ios-1')).toContain('ntp server 192.0.2.41');
    lab.reset();

    // the child's check fails after the parent's change was taken away by the child's own input
    writeFileSync(
      join(temp.home, 'mops', 'ntp-child.yaml'),
      'name: ntp-child\ninputs:\n  server: { type: string, required: true }\nsteps:\n  - id: there\n    type: validate_config\n    patterns: [{ pattern: "^ntp server {{ server }}$" }]\n',
    );
    const bad = await run(parent('192.0.2.49'));
    expect(bad.exitCode).toBe(10);
    expect(stepOf(bad, 'ios-1', 'sub/there')).toMatchObject({ status: 'failed' });
    expect(stepOf(bad, 'ios-1', 'sub')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^sub-MOP 'ntp-child': step 'there' failed: .*192\.0\.2\.49/) });
    expect(await store.db.selectFrom('locks').selectAll().execute()).toEqual([]);
    lab.reset();
  });
});

describe('check_bgp and an administratively down neighbour (lab control bgpAdminDown)', () => {
  it.each(['ios-1', 'eos-2'])('%s: fails `established` with its own reason, passes when allowed or wanted', async (device) => {
    const peer = /^\s+neighbor (10\.0\.\d+\.2) remote-as/m.exec(lab.runningConfig(device))?.[1];
    expect(peer).toBeDefined();
    lab.setState(device, { bgpAdminDown: [peer!] });
    try {
      const summary = await run(`
name: admin-down
targets: [${device}]
steps:
  - { id: up, type: check_bgp, neighbors: ["${peer}"], continue_on_error: true }
  - { id: allowed, type: check_bgp, neighbors: all, allow_admin_down: true }
  - { id: all, type: check_bgp, neighbors: all, continue_on_error: true }
  - { id: wanted, type: check_bgp, neighbors: [{ address: "${peer}", state: admin-down }] }
`);
      expect(stepOf(summary, device, 'up')).toMatchObject({ status: 'failed', items: [{ item: peer, ok: false, reason: 'administratively down, wanted established' }] });
      // every neighbour: the shut one passes as allowed (the others are established), and fails without the flag
      expect(stepOf(summary, device, 'allowed').status).toBe('passed');
      expect(stepOf(summary, device, 'allowed').items!.find((i) => i.item === peer)).toEqual({ item: peer, ok: true, reason: 'administratively down (allowed)' });
      expect(stepOf(summary, device, 'all').items!.filter((i) => !i.ok)).toEqual([{ item: peer, ok: false, reason: 'administratively down, wanted established' }]);
      expect(stepOf(summary, device, 'wanted')).toMatchObject({ status: 'passed', items: [{ item: peer, ok: true, reason: 'admin-down' }] });
    } finally {
      lab.reset();
    }
  });
});

describe('config step undo', () => {
  it('a change its own transaction rolled back leaves no undo in the record (nothing for mop rollback)', async () => {
    const before = lab.runningConfig('ios-1');
    const summary = await run(`
name: refused
targets: [ios-1]
steps:
  - { id: change, type: config, lines: [ntp server 192.0.2.79, no interface GigabitEthernet0/2] }
`);
    const step = stepOf(summary, 'ios-1', 'change');
    expect(step.status).toBe('failed');
    expect(step.message).toMatch(/rolled back$/);
    expect(step.undo).toBeUndefined();
    expect(ios.compare(ios.parse(lab.runningConfig('ios-1')), ios.parse(before))).toEqual([]);
    const record = await getExecution(store.db, summary.executionId);
    expect(record?.steps.find((s) => s.stepId === 'change')?.undo).toBeUndefined();
    const { executionUndo } = await import('../src/mops/engine/index.js');
    expect(await executionUndo(store.db, summary.executionId)).toEqual([]);
  });

  it('a change that held records its undo', async () => {
    const summary = await run('name: held\ntargets: [ios-1]\nsteps:\n  - { id: change, type: config, lines: [ntp server 192.0.2.80] }\n');
    expect(stepOf(summary, 'ios-1', 'change')).toMatchObject({ status: 'passed', undo: ['no ntp server 192.0.2.80'] });
    const { executionUndo } = await import('../src/mops/engine/index.js');
    expect(await executionUndo(store.db, summary.executionId)).toEqual([{ device: 'ios-1', steps: [{ stepId: 'change', lines: ['no ntp server 192.0.2.80'] }] }]);
    lab.reset();
  });
});

describe('log step', () => {
  it('records its line exactly once, in the record and in the summary', async () => {
    const summary = await run(`
name: logs
targets: [ios-1]
inputs:
  window: { type: string, default: CHG-42 }
steps:
  - { id: hello, type: log, run_once: true, message: "window {{ window }} opened" }
  - { id: careful, type: log, level: warning, message: "careful on {{ device.name }}" }
`);
    expect(summary.exitCode).toBe(0);
    const record = await getExecution(store.db, summary.executionId);
    const hello = record!.steps.find((s) => s.stepId === 'hello')!;
    const careful = record!.steps.find((s) => s.stepId === 'careful')!;
    expect({ output: hello.output, message: hello.message, status: hello.status }).toEqual({ output: 'window CHG-42 opened', message: 'window CHG-42 opened', status: 'passed' });
    expect({ output: careful.output, message: careful.message, device: careful.device }).toEqual({ output: 'warning: careful on ios-1', message: 'warning: careful on ios-1', device: 'ios-1' });
    expect(stepOf(summary, 'ios-1', 'careful').output).toBe('warning: careful on ios-1');
  });
});
