import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { loadMop, runMop, validateMop, type ExecutionSummary, type StepResult } from '../src/mops/engine/index.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { Store } from '../src/store/store.js';
import { registerStack } from '../src/stacks/state.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';

/** The `deploy_stack` and `validate_stack` MOP steps through the engine against the lab (IOS and Junos). */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-mop-stacks-');
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
let stackFile: string;

const STACK = `
name: mop-ntp
services:
  - name: ntp-ios
    template: cisco_ios/ntp
    targets: { on: 'platform:cisco_ios' }
  - name: ntp-junos
    template: juniper_junos/ntp
    targets: { on: 'platform:juniper_junos' }
`;
const VARS = `vars: { ntp_servers: [192.0.2.21, 192.0.2.22] }\n    templates: [${JSON.stringify(join(REPO, 'templates'))}]`;

let counter = 0;
async function run(yaml: string, options: Parameters<typeof runMop>[2] = {}): Promise<ExecutionSummary> {
  const file = join(temp.home, 'mops', `m${++counter}.yaml`);
  writeFileSync(file, yaml);
  const loaded = await loadMop(file, { cwd: temp.home, home: temp.home });
  return runMop(env, loaded, { store, location: { cwd: temp.home, home: temp.home }, ...options });
}
const runStep = (summary: ExecutionSummary, id: string): StepResult => {
  const found = summary.runSteps.find((s) => s.stepId === id);
  if (!found) throw new Error(`no run_once step ${id}: ${JSON.stringify(summary)}`);
  return found;
};

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.97.1', controlSocket: false });
  ({ store, env } = await openLabEnv(lab, temp.home, { tags: ['lab'] }));
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
  stackFile = join(temp.home, 'mop-ntp.yaml');
  writeFileSync(stackFile, STACK);
  await registerStack(store, 'mop-ntp', stackFile);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('deploy_stack and validate_stack', () => {
  it('dry-run plans and changes nothing; a run deploys by name and the devices show it', async () => {
    const before = lab.devices.map((d) => lab.runningConfig(d.name));
    const mop = (stack: string) => `
name: deploy-ntp
steps:
  - id: deploy
    type: deploy_stack
    run_once: true
    stack: ${JSON.stringify(stack)}
    ${VARS}
`;
    const dry = await run(mop(stackFile), { dryRun: true });
    expect(dry.exitCode, JSON.stringify(dry.runSteps)).toBe(0);
    expect(runStep(dry, 'deploy')).toMatchObject({ status: 'passed', changed: true, message: 'dry-run: mop-ntp would change 2 device(s), 0 unchanged (nothing pushed)' });
    expect(runStep(dry, 'deploy').items).toEqual([
      { item: 'ios-1', ok: true, reason: expect.stringMatching(/^would push \d+ line\(s\)$/) },
      { item: 'junos-2', ok: true, reason: expect.stringMatching(/^would push \d+ line\(s\)$/) },
    ]);
    expect(lab.devices.map((d) => lab.runningConfig(d.name))).toEqual(before);
    expect(await store.db.selectFrom('deployments').selectAll().execute()).toEqual([]);

    const real = await run(mop('mop-ntp'));
    expect(real.exitCode, JSON.stringify(real.runSteps)).toBe(0);
    const step = runStep(real, 'deploy');
    expect(step).toMatchObject({ status: 'passed', changed: true, message: expect.stringMatching(/^deployment #\d+ of mop-ntp: deployed \(2 applied, 0 unchanged\)$/) });
    expect(step.items!.map((i) => [i.item, i.ok])).toEqual([['ios-1', true], ['junos-2', true]]);
    expect(lab.runningConfig('ios-1')).toMatch(/^ntp server 192\.0\.2\.21 prefer$/m);
    expect(lab.runningConfig('ios-1')).toMatch(/^ntp server 192\.0\.2\.22$/m);
    expect(lab.runningConfig('junos-2')).toMatch(/server 192\.0\.2\.22;/);
    const deployments = await store.db.selectFrom('deployments').select(['stack', 'status']).execute();
    expect(deployments).toEqual([{ stack: 'mop-ntp', status: 'deployed' }]);
    // the deploy released every lock it took
    expect(await store.db.selectFrom('locks').selectAll().execute()).toEqual([]);

    const again = await run(mop('mop-ntp'));
    expect(runStep(again, 'deploy')).toMatchObject({ status: 'passed', message: expect.stringMatching(/: unchanged \(0 applied, 2 unchanged\)$/) });
    expect(runStep(again, 'deploy').changed ?? false).toBe(false);
  });

  it('validate_stack passes, then fails with the missing line after a config step removes it (the run holds the device lock)', async () => {
    const ok = await run(`
name: validate-ntp
steps:
  - { id: check, type: validate_stack, run_once: true, stack: mop-ntp, ${VARS.replace('\n    ', ', ')} }
`);
    expect(ok.exitCode, JSON.stringify(ok.runSteps)).toBe(0);
    expect(runStep(ok, 'check').items!.map((i) => [i.item, i.ok])).toEqual([['ios-1', true], ['junos-2', true]]);

    const bad = await run(`
name: break-and-validate
targets: [ios-1]
steps:
  - { id: drop, type: config, lines: ["no ntp server 192.0.2.22"] }
  - { id: check, type: validate_stack, run_once: true, stack: ${JSON.stringify(stackFile)}, ${VARS.replace('\n    ', ', ')} }
`);
    expect(lab.runningConfig('ios-1')).not.toMatch(/^ntp server 192\.0\.2\.22$/m);
    expect(bad.exitCode).toBe(10);
    const check = runStep(bad, 'check');
    expect(check.status).toBe('failed');
    expect(check.message).toBe('mop-ntp: 1 of 2 device(s) not as intended: ios-1');
    expect(check.items).toEqual([
      { item: 'ios-1', ok: false, reason: 'missing ntp-ios: ntp server 192.0.2.22' },
      { item: 'junos-2', ok: true, reason: expect.stringMatching(/line\(s\) in the running config$/) },
    ]);

    // deploy_stack puts it back, though this run holds ios-1's lock from its config step
    const fix = await run(`
name: fix
targets: [ios-1]
steps:
  - { id: touch, type: config, lines: ["ntp server 192.0.2.23"] }
  - { id: deploy, type: deploy_stack, run_once: true, stack: mop-ntp, ${VARS.replace('\n    ', ', ')} }
  - { id: after, type: validate_config, patterns: ['^ntp server 192\\.0\\.2\\.22$'] }
`);
    expect(fix.exitCode, JSON.stringify(fix)).toBe(0);
    expect(runStep(fix, 'deploy').items!.map((i) => [i.item, i.ok, i.reason])).toEqual([['ios-1', true, expect.stringMatching(/^applied \d+ line\(s\)$/)], ['junos-2', true, 'no changes']]);
    expect(lab.runningConfig('ios-1')).toMatch(/^ntp server 192\.0\.2\.22$/m);
  });

  it('a config step goes through the safe change: a failed post-check rolls the whole step back (the NTP line too) and records no undo', async () => {
    const volatile = /^(?:Current configuration : .*|! Last configuration change .*|! NVRAM config last updated .*)$/gm;
    const before = lab.runningConfig('ios-1').replace(volatile, '');
    const summary = await run(`
name: refused
targets: [ios-1]
steps:
  - { id: change, type: config, lines: ["ntp server 192.0.2.31", "no interface GigabitEthernet0/2"] }
`);
    expect(summary.exitCode).toBe(10);
    const step = summary.devices[0]!.steps.find((s) => s.stepId === 'change')!;
    expect(step.status).toBe('failed');
    // a physical interface cannot go: IOS only defaults it, so the post-check finds it still there
    expect(step.message).toBe('post-check failed: not in the running config after the push: default interface GigabitEthernet0/2; rolled back');
    expect(step.pushed).toEqual(['default interface GigabitEthernet0/2', 'ntp server 192.0.2.31']);
    expect(step.undo ?? []).toEqual([]);
    expect(lab.runningConfig('ios-1').replace(volatile, '')).toBe(before);
  });

  it('mop validate names a stack file that does not exist', async () => {
    const file = join(temp.home, 'mops', 'missing.yaml');
    writeFileSync(file, `name: x\nsteps:\n  - { id: d, type: deploy_stack, run_once: true, stack: stacks/nope.yaml }\n`);
    const issues = await validateMop(file, { cwd: temp.home, home: temp.home });
    expect(issues.map((i) => i.message)).toEqual(['stack file not found: stacks/nope.yaml']);
    expect(issues[0]).toMatchObject({ line: 3 });
    // a whole-stack step runs once per run, not per device
    writeFileSync(file, `name: x\ntargets: [ios-1]\nsteps:\n  - { id: v, type: validate_stack, stack: mop-ntp }\n`);
    expect((await validateMop(file, { cwd: temp.home, home: temp.home })).map((i) => i.message)).toEqual(["step type 'validate_stack' runs once per run: add run_once: true"]);
  });
});
