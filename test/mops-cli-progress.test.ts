import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMopReporter } from '../src/ui/mop-progress.js';
import { MopProgressModel, visibleRows } from '../src/ui/mop-model.js';
import type { DeviceRunResult, ExecutionSummary, MopEvent, StepResult } from '../src/mops/engine/types.js';
import { captureOutput as capture } from './helpers/output.js';

/**
 * What `mop run` shows: the ink grid of steps × devices on a TTY (current step, elapsed), plain
 * lines in CI, JSON lines with --json, from the engine's events.
 */


const T = '2026-12-02T10:00:00.000Z';
const step = (device: string, stepId: string, type: string, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult => ({
  stepId, name: stepId, type, device, status, phase: 'main', visit: 1, attempts: 1, startedAt: T, endedAt: T, durationMs: 120, ...extra,
});

function events(): { list: MopEvent[]; summary: ExecutionSummary } {
  const ok: DeviceRunResult = { device: 'ios-1', status: 'passed', durationMs: 900, steps: [step('ios-1', 'pre', 'command', 'passed'), step('ios-1', 'change', 'config', 'passed', { message: 'pushed 2 line(s)' })] };
  const bad: DeviceRunResult = {
    device: 'ios-2',
    status: 'rolled-back',
    message: "step 'change' failed",
    durationMs: 1500,
    steps: [
      step('ios-2', 'pre', 'command', 'passed'),
      step('ios-2', 'change', 'config', 'failed', { message: 'device said: % Invalid input', items: [{ item: 'line 2', ok: false, reason: 'rejected' }], output: 'conf t\n% Invalid input detected' }),
      { ...step('ios-2', 'undo', 'config', 'passed'), phase: 'rollback' },
    ],
  };
  const summary: ExecutionSummary = {
    executionId: 'e1', mop: 'demo', hash: 'h', status: 'failed', exitCode: 10, dryRun: false, startedAt: T, endedAt: T, durationMs: 1600,
    runSteps: [], devices: [ok, bad], counts: { passed: 1, failed: 1, skipped: 0, total: 2 },
  };
  const list: MopEvent[] = [
    { type: 'run-start', executionId: 'e1', mop: 'demo', dryRun: false, devices: ['ios-1', 'ios-2'], steps: ['pre', 'change'], batches: [['ios-1', 'ios-2']] },
    { type: 'batch-start', index: 0, devices: ['ios-1', 'ios-2'] },
    { type: 'device-start', device: 'ios-1' },
    { type: 'device-start', device: 'ios-2' },
    { type: 'step-start', stepId: 'pre', name: 'pre', stepType: 'command', device: 'ios-1', phase: 'main', visit: 1 },
    { type: 'step-end', result: ok.steps[0]! },
    { type: 'step-start', stepId: 'pre', name: 'pre', stepType: 'command', device: 'ios-2', phase: 'main', visit: 1 },
    { type: 'step-end', result: bad.steps[0]! },
    { type: 'step-start', stepId: 'change', name: 'change', stepType: 'config', device: 'ios-1', phase: 'main', visit: 1 },
    { type: 'step-start', stepId: 'change', name: 'change', stepType: 'config', device: 'ios-2', phase: 'main', visit: 1 },
    { type: 'step-end', result: ok.steps[1]! },
    { type: 'device-end', result: ok },
    { type: 'step-end', result: bad.steps[1]! },
    { type: 'rollback-start', device: 'ios-2', reason: "step 'change' failed" },
    { type: 'step-start', stepId: 'undo', name: 'undo', stepType: 'config', device: 'ios-2', phase: 'rollback', visit: 1 },
    { type: 'step-end', result: bad.steps[2]! },
    { type: 'rollback-end', device: 'ios-2', status: 'rolled-back' },
    { type: 'device-end', result: bad },
    { type: 'run-end', summary },
  ];
  return { list, summary };
}

describe('mop run output', () => {
  it('plain lines: one per step and device, the device outcome, failures in detail, counts', async () => {
    const { out, text } = capture('table');
    const reporter = await createMopReporter(out, { mode: 'plain' });
    const { list, summary } = events();
    for (const e of list) reporter.onEvent(e);
    await reporter.finish(summary, ['JUnit report: r.xml']);
    const lines = text().split('\n');
    expect(lines[0]).toBe('mop demo: 2 device(s), 2 step(s); execution e1');
    expect(lines).toContain('passed   ios-1  change (config)  120 ms  pushed 2 line(s)');
    expect(lines).toContain('failed   ios-2  change (config)  120 ms  device said: % Invalid input');
    expect(lines).toContain("rollback ios-2  step 'change' failed");
    expect(lines).toContain('passed   ios-2  rollback undo (config)  120 ms');
    expect(lines).toContain("=> rolled-back ios-2  1.5 s  step 'change' failed");
    expect(text()).toContain('failures:\nios-2: change (config) failed: device said: % Invalid input\n    ✘ line 2: rejected\n    --- output ---\n    conf t\n    % Invalid input detected');
    expect(text()).toContain('JUnit report: r.xml');
    expect(lines).toContain('mop demo failed: 2 devices: 1 passed, 0 failed, 1 rolled back; 4/5 step results passed in 1.6 s (execution e1)');
    expect(text()).not.toContain('batch 1');
  });

  it('--json: one object per event, the step type kept beside the event name, the summary last', async () => {
    const { out, text } = capture('json');
    const reporter = await createMopReporter(out, {});
    expect(reporter.mode).toBe('json');
    const { list, summary } = events();
    for (const e of list) reporter.onEvent(e);
    await reporter.finish(summary);
    const objects = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(list.length);
    expect(objects.find((o) => o.event === 'step' && o.device === 'ios-2' && o.stepId === 'change')).toMatchObject({ type: 'config', status: 'failed' });
    expect(objects.find((o) => o.event === 'device' && o.device === 'ios-2')).toMatchObject({ status: 'rolled-back', steps: 3 });
    expect(objects.at(-1)).toMatchObject({ event: 'summary', exitCode: 10, status: 'failed' });
  });

  it('live: an ink grid of steps × devices with the current step, redrawn until the end', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 30 }) as unknown as NodeJS.WriteStream;
    let drawn = '';
    (tty as unknown as PassThrough).on('data', (d: Buffer) => (drawn += d.toString()));
    const { out, text } = capture('table');
    // ink draws only its last frame when it sees CI in the environment (is-in-ci, read when ink is
    // first imported, which createMopReporter does lazily): this test is about the live frames
    const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
    process.env.CI = 'false';
    process.env.CONTINUOUS_INTEGRATION = 'false';
    const reporter = await createMopReporter(out, { mode: 'live', liveStdout: tty }).finally(() => {
      for (const [key, value] of Object.entries(ci)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    const { list, summary } = events();
    // stop half-way to see the running state drawn
    for (const e of list.slice(0, 10)) reporter.onEvent(e);
    // ink draws on its own schedule: wait (up to 10 s on a loaded machine) for the running state
    const plain = () => drawn.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    for (let waited = 0; waited < 10_000 && !/running\s+ios-1 ✔▶/.test(plain()); waited += 50) await new Promise((r) => setTimeout(r, 50));
    const mid = plain();
    expect(mid).toMatch(/mop demo {2}0\/2 devices {2}passed 0 {2}failed 0 {2}running 2/);
    expect(mid).toMatch(/running\s+ios-1 ✔▶\s+\S+ ms\s+change \(config\)/);
    for (const e of list.slice(10)) reporter.onEvent(e);
    await reporter.finish(summary);
    const end = drawn.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(end).toMatch(/passed\s+ios-1 ✔✔/);
    expect(end).toMatch(/rolled-back\s+ios-2 ✔✘ ↩✔/);
    expect(text()).toMatch(/mop demo failed: 2 devices: 1 passed, 0 failed, 1 rolled back/);
  });

  it('keeps the grid within the terminal: running and failed devices first', () => {
    const model = new MopProgressModel(() => 0);
    const devices = Array.from({ length: 200 }, (_, i) => `d${i}`);
    model.apply({ type: 'run-start', executionId: 'x', mop: 'm', dryRun: false, devices, steps: ['a'], batches: [devices] });
    for (const d of devices.slice(0, 150)) model.apply({ type: 'device-start', device: d });
    for (const d of devices.slice(0, 100)) model.apply({ type: 'device-end', result: { device: d, status: d === 'd7' ? 'failed' : 'passed', steps: [], durationMs: 1 } });
    const snap = model.snapshot();
    expect(snap.counts).toMatchObject({ passed: 99, failed: 1, running: 50, queued: 50 });
    const { shown, hidden } = visibleRows(snap.rows, 20);
    expect(shown).toHaveLength(20);
    expect(hidden).toBe(180);
    expect(shown.map((r) => r.device)).toContain('d7');
    expect(shown.filter((r) => r.state === 'running')).toHaveLength(19);
  });
});
