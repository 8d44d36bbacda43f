import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCredential } from '../src/credentials/index.js';
import { addDevice } from '../src/inventory/index.js';
import { getExecution, listExecutions, loadMop, registerStepType, runMop, type MopEvent } from '../src/mops/engine/index.js';
import { defineStep } from '../src/mops/steps/types.js';
import { loadOperationEnv, type OperationEnv } from '../src/operations/index.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { tempHome } from './helpers/cli.js';

/**
 * The engine's control flow with fake step types (no devices contacted): jumps, the loop guard,
 * when, continue_on_error, run_once barriers, canary thresholds, rollback and rollback-failed,
 * native types of a whole {{ }}, records and masking.
 */
const temp = tempHome('netstacks-mop-engine-');
let store: Store;
let env: OperationEnv;
const calls: Array<{ step: string; device?: string; value?: unknown; at: number }> = [];
const unregister: Array<() => void> = [];
let tick = 0;

const fake = defineStep({
  name: 'fake',
  description: 'test step',
  scope: 'any',
  readOnly: true,
  params: z
    .object({
      result: z.enum(['pass', 'fail']).default('pass'),
      fail_on: z.array(z.string()).default([]),
      value: z.unknown().optional(),
      capture: z.record(z.string(), z.unknown()).optional(),
      output: z.string().optional(),
      secret: z.string().optional(),
      fail_times: z.number().default(0),
    })
    .strict(),
  async run(params, ctx) {
    calls.push({ step: ctx.stepId, ...(ctx.device ? { device: ctx.device.name } : {}), value: params.value, at: tick++ });
    if (params.secret) ctx.addSecret(params.secret);
    if (params.fail_times > 0) {
      const tries = calls.filter((c) => c.step === ctx.stepId && c.device === ctx.device?.name).length;
      if (tries <= params.fail_times) return { status: 'failed', message: `try ${tries} failed` };
    }
    const fail = params.result === 'fail' || (ctx.device !== undefined && params.fail_on.includes(ctx.device.name));
    return {
      status: fail ? 'failed' : 'passed',
      ...(fail ? { message: `failed on purpose${params.secret ? ` with ${params.secret}` : ''}` } : {}),
      ...(params.output !== undefined ? { output: params.output } : {}),
      captures: { ...(params.capture ?? {}), value: params.value },
    };
  },
});

const change = defineStep({
  name: 'fake_change',
  description: 'test change step',
  scope: 'device',
  readOnly: false,
  params: z.object({ line: z.string() }).strict(),
  async run(params, ctx) {
    calls.push({ step: ctx.stepId, device: ctx.device!.name, value: ctx.dryRun ? 'dry' : 'real', at: tick++ });
    return { status: 'passed', changed: true, pushed: [params.line], undo: [`no ${params.line}`] };
  },
});

const slow = defineStep({
  name: 'fake_slow',
  description: 'waits for the signal',
  scope: 'any',
  readOnly: true,
  params: z.object({}).strict(),
  async run(_params, ctx) {
    calls.push({ step: ctx.stepId, ...(ctx.device ? { device: ctx.device.name } : {}), at: tick++ });
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    return { status: 'failed', message: 'stopped' };
  },
});

let undoSeen: unknown;
const halfPush = defineStep({
  name: 'fake_half_push',
  description: 'records its undo lines, then hangs mid-push',
  scope: 'device',
  readOnly: false,
  params: z.object({}).strict(),
  async run(_params, ctx) {
    await ctx.recordUndo!(['no ntp server 10.9.9.9']);
    // what a `kill -9` now would leave in the store
    const { getExecution: read, executionUndo } = await import('../src/mops/records.js');
    const id = String((ctx.scope.mop as { execution_id: string }).execution_id);
    undoSeen = { undo: await executionUndo(store.db, id), status: (await read(store.db, id))?.steps.find((s) => s.stepId === ctx.stepId)?.status };
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    return { status: 'failed', message: 'stopped mid-push' };
  },
});

const sub = defineStep({
  name: 'fake_sub',
  description: 'runs a sub-MOP',
  scope: 'any',
  readOnly: false,
  params: z.object({ mop: z.string(), inputs: z.record(z.string(), z.unknown()).default({}) }).strict(),
  async run(params, ctx) {
    return ctx.runSubMop!(params.mop, params.inputs);
  },
});

beforeAll(async () => {
  store = await openSqliteStore(join(temp.home, 'netstacks.db'));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'fake', username: 'u', password: 'credential-pass' });
  for (let i = 1; i <= 6; i++) await addDevice(store, { name: `d${i}`, host: `127.0.0.${i}`, platform: 'cisco_ios', credential: 'fake' });
  env = await loadOperationEnv(store, secrets, temp.home, { sshConfigFile: false });
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
  unregister.push(registerStepType(fake), registerStepType(change), registerStepType(slow), registerStepType(sub), registerStepType(halfPush));
});

afterAll(async () => {
  for (const off of unregister) off();
  await store?.close();
  temp.cleanup();
});

let counter = 0;
async function run(text: string, options: Parameters<typeof runMop>[2] = {}) {
  calls.length = 0;
  const file = join(temp.home, 'mops', `m${++counter}.yaml`);
  writeFileSync(file, text);
  const loaded = await loadMop(file, { cwd: temp.home, home: temp.home });
  const events: MopEvent[] = [];
  const summary = await runMop(env, loaded, { store, location: { cwd: temp.home, home: temp.home }, onEvent: (e) => events.push(e), ...options });
  return { summary, events };
}

const device = (summary: Awaited<ReturnType<typeof runMop>>, name: string) => summary.devices.find((d) => d.device === name)!;

describe('MOP engine control flow', () => {
  it('keeps native types of a whole {{ }}, reads earlier steps and captures, honours when and jumps', async () => {
    const { summary } = await run(`
name: flow
targets: [d1, d2]
inputs:
  count: { type: number, default: 3 }
  names: { type: list, default: [a, b] }
steps:
  - id: a
    type: fake
    value: "{{ count }}"
    capture: { doubled: "{{ count * 2 }}", flag: "{{ count > 2 }}" }
  - id: b
    type: fake
    when: inventory_hostname == 'd1'
    value: "{{ steps.a.captures.doubled }}"
  - id: c
    type: fake
    value: "n={{ captures.doubled }} {{ names }}"
    fail_on: [d2]
    on_failure: fix
    on_success: last
  - id: fix
    type: fake
    value: "{{ steps.c.status }}"
  - id: last
    type: fake
    value: "{{ names }}"
`);
    expect(summary.exitCode).toBe(0);
    expect(summary.status).toBe('passed');
    const d1 = calls.filter((c) => c.device === 'd1').map((c) => [c.step, c.value]);
    expect(d1).toEqual([
      ['a', 3],
      ['b', 6],
      ['c', "n=6 ['a', 'b']"],
      ['last', ['a', 'b']],
    ]);
    const d2 = calls.filter((c) => c.device === 'd2').map((c) => [c.step, c.value]);
    expect(d2).toEqual([
      ['a', 3],
      ['c', "n=6 ['a', 'b']"],
      ['fix', 'failed'],
      ['last', ['a', 'b']],
    ]);
    const d2Steps = device(summary, 'd2').steps;
    expect(d2Steps.find((s) => s.stepId === 'b')).toMatchObject({ status: 'skipped' });
    expect(d2Steps.find((s) => s.stepId === 'c')).toMatchObject({ status: 'failed', handled: true });
    expect(d2Steps.find((s) => s.stepId === 'a')?.captures).toEqual({ doubled: 6, flag: true, value: 3 });
  });

  it('stops a jump cycle with the loop guard after max_visits', async () => {
    const { summary } = await run(`
name: loop
targets: [d1]
settings: { max_visits: 3 }
steps:
  - id: check
    type: fake
    result: fail
    on_failure: fix
  - id: fix
    type: fake
    on_success: check
`);
    expect(summary.exitCode).toBe(10);
    expect(calls.filter((c) => c.step === 'check')).toHaveLength(3);
    const d1 = device(summary, 'd1');
    expect(d1.status).toBe('failed');
    expect(d1.message).toMatch(/loop guard: step 'check' reached 4 visits \(settings\.max_visits is 3\)/);
  });

  it('goes on after a continue_on_error failure and still exits 10', async () => {
    const { summary } = await run(`
name: coe
targets: [d1]
steps:
  - id: soft
    type: fake
    result: fail
    continue_on_error: true
  - id: after
    type: fake
`);
    expect(calls.map((c) => c.step)).toEqual(['soft', 'after']);
    expect(summary.exitCode).toBe(10);
    expect(summary.status).toBe('failed');
    expect(device(summary, 'd1').steps[0]).toMatchObject({ status: 'failed', ignoredFailure: true });
  });

  it('retries until the condition holds', async () => {
    const { summary } = await run(`
name: retry
targets: [d1]
steps:
  - id: converge
    type: fake
    fail_times: 2
    retries: 3
    interval: 0
    until: result.captures.value == 7
    value: 7
`);
    expect(summary.exitCode).toBe(0);
    expect(device(summary, 'd1').steps[0]).toMatchObject({ status: 'passed', attempts: 3 });
  });

  it('runs run_once steps as barriers: before, between and after the device pipelines, once each', async () => {
    const { summary } = await run(`
name: barrier
targets: [d1, d2, d3]
strategy: { type: parallel, limit: 3 }
steps:
  - { id: pre, type: fake, run_once: true }
  - { id: one, type: fake }
  - { id: mid, type: fake, run_once: true, value: "{{ run.devices | length }}" }
  - { id: two, type: fake, value: "{{ steps.mid.status }}" }
  - { id: post, type: fake, run_once: true, value: "{{ run.passed_devices | sort }}" }
`);
    expect(summary.exitCode).toBe(0);
    const at = (step: string) => calls.filter((c) => c.step === step).map((c) => c.at);
    expect(at('pre')).toHaveLength(1);
    expect(at('mid')).toHaveLength(1);
    expect(at('post')).toHaveLength(1);
    expect(Math.max(...at('one'))).toBeLessThan(at('mid')[0]!);
    expect(at('pre')[0]).toBeLessThan(Math.min(...at('one')));
    expect(at('mid')[0]).toBeLessThan(Math.min(...at('two')));
    expect(calls.find((c) => c.step === 'mid')?.value).toBe(3);
    expect(calls.find((c) => c.step === 'post')?.value).toEqual(['d1', 'd2', 'd3']);
    expect(summary.runSteps.map((s) => s.stepId)).toEqual(['pre', 'mid', 'post']);
  });

  it('canary: stops starting devices once failures pass the threshold; per_batch run_once steps run per batch', async () => {
    const { summary, events } = await run(`
name: canary
targets: [d1, d2, d3, d4, d5, d6]
strategy: { type: canary, first: 1, batch: 2, max_failures: 0 }
steps:
  - { id: announce, type: fake, run_once: true }
  - { id: batch_note, type: fake, run_once: true, per_batch: true }
  - { id: change, type: fake, fail_on: [d3] }
`);
    expect(summary.exitCode).toBe(10);
    expect(calls.filter((c) => c.step === 'change').map((c) => c.device).sort()).toEqual(['d1', 'd2', 'd3']);
    expect(calls.filter((c) => c.step === 'announce')).toHaveLength(1);
    expect(calls.filter((c) => c.step === 'batch_note')).toHaveLength(2);
    expect(summary.stoppedEarly).toMatch(/1 failed/);
    for (const name of ['d4', 'd5', 'd6']) expect(device(summary, name).status).toBe('skipped');
    expect(device(summary, 'd3').status).toBe('failed');
    const start = events.find((e) => e.type === 'run-start');
    expect(start && start.type === 'run-start' ? start.batches : []).toEqual([['d1'], ['d2', 'd3'], ['d4', 'd5'], ['d6']]);
  });

  it('rolls back a failed device only; a failing rollback step marks it rollback-failed and the run exits 11', async () => {
    const ok = await run(`
name: rb
targets: [d1, d2]
steps:
  - { id: push, type: fake_change, line: "ntp server 10.0.0.1" }
  - { id: verify, type: fake, fail_on: [d1] }
rollback:
  - { id: restore, type: fake, value: "{{ steps.push.pushed }}" }
`);
    expect(ok.summary.exitCode).toBe(10);
    expect(device(ok.summary, 'd1').status).toBe('rolled-back');
    expect(device(ok.summary, 'd2').status).toBe('passed');
    expect(calls.filter((c) => c.step === 'restore').map((c) => [c.device, c.value])).toEqual([['d1', ['ntp server 10.0.0.1']]]);
    expect(ok.events.some((e) => e.type === 'rollback-start' && e.device === 'd1')).toBe(true);

    const bad = await run(`
name: rbf
targets: [d1, d2]
steps:
  - { id: push, type: fake_change, line: "ntp server 10.0.0.1" }
  - { id: verify, type: fake, fail_on: [d1] }
rollback:
  - { id: restore, type: fake, result: fail }
  - { id: never, type: fake }
`);
    expect(bad.summary.exitCode).toBe(11);
    expect(bad.summary.status).toBe('rollback-failed');
    expect(device(bad.summary, 'd1').status).toBe('rollback-failed');
    expect(calls.some((c) => c.step === 'never')).toBe(false);
    const record = await getExecution(store.db, bad.summary.executionId);
    expect(record?.status).toBe('rollback-failed');
    expect(record?.exitCode).toBe(11);
    expect(record?.steps.find((s) => s.stepId === 'push' && s.device === 'd2')?.undo).toEqual(['no ntp server 10.0.0.1']);
  });

  it('does not roll back a device that failed before any change step started', async () => {
    const { summary } = await run(`
name: precheck
targets: [d1]
steps:
  - { id: pre, type: fake, result: fail }
  - { id: push, type: fake_change, line: "x" }
rollback:
  - { id: restore, type: fake }
`);
    expect(summary.exitCode).toBe(10);
    expect(device(summary, 'd1')).toMatchObject({ status: 'failed', message: expect.stringMatching(/rollback not needed/) });
    expect(calls.map((c) => c.step)).toEqual(['pre']);
  });

  it('dry-run hands change steps ctx.dryRun and records the execution as a dry run', async () => {
    const { summary } = await run(
      `
name: dry
targets: [d1]
steps:
  - { id: push, type: fake_change, line: "x" }
`,
      { dryRun: true },
    );
    expect(summary.exitCode).toBe(0);
    expect(calls[0]?.value).toBe('dry');
    expect((await getExecution(store.db, summary.executionId))?.dryRun).toBe(true);
  });

  it('masks secrets added by steps, secret inputs and credentials in records and events', async () => {
    const { summary, events } = await run(
      `
name: secrets
targets: [d1]
inputs:
  token: { type: string, secret: true }
steps:
  - id: leak
    type: fake
    secret: "s3cr3t-value"
    output: "token {{ token }} and s3cr3t-value and credential-pass"
    result: fail
    continue_on_error: true
  - id: config
    type: fake
    output: "username admin privilege 15 secret 9 hashed-value-here"
    continue_on_error: true
`,
      { inputs: { token: 'tok-123456' } },
    );
    expect(summary.exitCode).toBe(10);
    const record = await getExecution(store.db, summary.executionId);
    const text = JSON.stringify(record) + JSON.stringify(events) + JSON.stringify(summary);
    expect(text).not.toContain('s3cr3t-value');
    expect(text).not.toContain('tok-123456');
    expect(text).toContain('********');
    expect(record?.inputs).toEqual({ token: '********' });
    expect(record?.steps[0]?.output).toBe('token ******** and ******** and ********');
    expect(record?.steps[1]?.output).toBe('username admin privilege 15 secret 9 ********');
    expect(text).not.toContain('hashed-value-here');
  });

  it('refuses a missing required input and an unknown one before running (exit 4)', async () => {
    const text = `
name: inputs
targets: [d1]
inputs:
  version: { type: string, required: true }
steps:
  - { id: a, type: fake }
`;
    await expect(run(text)).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/input 'version' is required/) });
    await expect(run(text, { inputs: { version: '1', verison: '2' } })).rejects.toMatchObject({ exitCode: 4, hint: "did you mean 'version'?" });
    expect(calls).toHaveLength(0);
  });

  it('Ctrl-C: the run ends interrupted with exit 130, recorded so', async () => {
    const controller = new AbortController();
    const pending = run(
      `
name: slow
targets: [d1, d2]
steps:
  - { id: hang, type: fake_slow }
  - { id: never, type: fake }
`,
      { signal: controller.signal, onEvent: (e) => e.type === 'step-start' && e.device === 'd2' && setTimeout(() => controller.abort(), 20) },
    );
    const { summary } = await pending;
    expect(summary).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(calls.some((c) => c.step === 'never')).toBe(false);
    const record = await getExecution(store.db, summary.executionId);
    expect(record).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(record?.deviceResults.map((d) => d.status)).toEqual(['interrupted', 'interrupted']);
  });

  it('a change step records its undo lines before pushing: in the store while the step still runs', async () => {
    const controller = new AbortController();
    const { summary } = await run(
      `
name: half
targets: [d1]
steps:
  - { id: push, type: fake_half_push }
`,
      { signal: controller.signal, onEvent: (e) => e.type === 'step-start' && setTimeout(() => controller.abort(), 50) },
    );
    expect(undoSeen).toEqual({ undo: [{ device: 'd1', steps: [{ stepId: 'push', lines: ['no ntp server 10.9.9.9'] }] }], status: 'error' });
    const record = await getExecution(store.db, summary.executionId);
    expect(record?.steps).toHaveLength(1);
    expect(record?.steps[0]).toMatchObject({ stepId: 'push', status: 'failed', undo: ['no ntp server 10.9.9.9'] });
  });

  it('runs a sub-MOP inline on the device with its own inputs, and stops nesting at max_depth', async () => {
    writeFileSync(join(temp.home, 'mops', 'child.yaml'), `
name: child
inputs:
  n: { type: number, required: true }
steps:
  - { id: inner, type: fake, value: "{{ n + 1 }}", capture: { got: "{{ n }}" } }
`);
    writeFileSync(join(temp.home, 'mops', 'recursive.yaml'), `
name: recursive
settings: { max_depth: 2 }
steps:
  - { id: again, type: fake_sub, mop: recursive }
`);
    const { summary } = await run(`
name: parent
targets: [d1]
steps:
  - { id: call, type: fake_sub, mop: child, inputs: { n: 4 } }
  - { id: after, type: fake, value: "{{ steps.call.captures.got }}" }
`);
    expect(summary.exitCode).toBe(0);
    expect(calls.map((c) => [c.step, c.value])).toEqual([
      ['call/inner', 5],
      ['after', 4],
    ]);
    expect(device(summary, 'd1').steps.map((s) => s.stepId)).toEqual(['call/inner', 'call', 'after']);

    const deep = await run(`
name: deep
targets: [d1]
steps:
  - { id: top, type: fake_sub, mop: recursive }
`);
    expect(deep.summary.exitCode).toBe(10);
    const messages = device(deep.summary, 'd1').steps.map((s) => s.message ?? '').join('\n');
    expect(messages).toMatch(/MOPs nest at most \d+ deep/);
  });

  it('a MOP of run_once steps needs no targets', async () => {
    const { summary } = await run(`
name: once-only
steps:
  - { id: note, type: fake, run_once: true, value: "{{ run.devices }}" }
`);
    expect(summary.exitCode).toBe(0);
    expect(calls).toEqual([expect.objectContaining({ step: 'note', value: [] })]);
  });

  it('lists executions newest first, by MOP', async () => {
    const list = await listExecutions(store.db, { mop: 'dry' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ mop: 'dry', status: 'passed', exitCode: 0, dryRun: true });
    expect(list[0]!.user.length).toBeGreaterThan(0);
  });
});
