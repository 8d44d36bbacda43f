import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../src/cli/output.js';
import { runFanOut } from '../src/runner/index.js';
import { createProgressReporter, chooseProgressMode } from '../src/ui/index.js';
import { ProgressModel } from '../src/ui/progress-model.js';
import { resultDetail } from '../src/ui/format.js';
import { captureOutput as capture } from './helpers/output.js';


async function sampleRun(out: Output) {
  const devices = ['ios-1', 'eos-3', 'junos-2'];
  const reporter = await createProgressReporter<string>(out, {
    title: 'run',
    devices: [...devices, 'off-1'],
    details: (r) => (r.status === 'ok' ? `output of ${r.device}` : undefined),
  });
  const summary = await runFanOut(devices, async ({ device }) => {
    if (device === 'eos-3') throw Object.assign(new Error('Authentication failed'), { errorClass: 'auth' });
    return device;
  }, { concurrency: 2, deviceTimeoutMs: 1000, skipped: [{ device: 'off-1', reason: 'disabled' }], onEvent: (e) => reporter.onEvent(e) });
  return { reporter, code: await reporter.finish(summary) };
}

describe('progress reporter', () => {
  it('prints one plain line per finished device, details and a summary, exit 10 on failure', async () => {
    const { out, text } = capture('table');
    const { reporter, code } = await sampleRun(out);
    expect(reporter.mode).toBe('plain');
    expect(code).toBe(10);
    const lines = text().split('\n');
    expect(lines).toContain('skipped off-1    disabled');
    expect(lines).toContain('failed  eos-3    auth: Authentication failed');
    expect(lines.some((l) => /^ok {6}ios-1 {4}\d+ ms$/.test(l))).toBe(true);
    expect(text()).toContain('=== ios-1 ===\noutput of ios-1');
    expect(text()).not.toContain('=== eos-3 ===');
    expect(text()).toMatch(/4 devices: 2 ok, 1 failed, 1 skipped in \d+ ms\nfailed:\n {2}eos-3 {4}auth {2}Authentication failed/);
  });

  it('streams one JSON object per device and a summary object with --json', async () => {
    const { out, text } = capture('json');
    const { code } = await sampleRun(out);
    expect(code).toBe(10);
    const objects = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(5);
    expect(objects.slice(0, 4).every((o) => o.type === 'device')).toBe(true);
    expect(objects.find((o) => o.device === 'eos-3')).toMatchObject({ status: 'failed', errorClass: 'auth' });
    expect(objects[4]).toMatchObject({ type: 'summary', ok: 2, failed: 1, skipped: 1, total: 4, interrupted: false });
  });

  it('chooses plain output under CI even on a TTY, and json with --json', () => {
    const tty = new Output('table', { stdout: Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream });
    expect(chooseProgressMode(tty, { CI: 'true' })).toBe('plain');
    expect(chooseProgressMode(tty, {})).toBe('live');
    expect(chooseProgressMode(new Output('json'), {})).toBe('json');
  });

  it('draws the live view with ink on a TTY and ends with the summary', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 30 }) as unknown as NodeJS.WriteStream;
    let drawn = '';
    (tty as unknown as PassThrough).on('data', (d: Buffer) => (drawn += d.toString()));
    const { out, text } = capture('table');
    const reporter = await createProgressReporter<string>(out, { title: 'run', devices: ['ios-1', 'eos-3'], mode: 'live', liveStdout: tty });
    const summary = await runFanOut(['ios-1', 'eos-3'], async ({ device }) => {
      if (device === 'eos-3') throw Object.assign(new Error('Authentication failed'), { errorClass: 'auth' });
      return device;
    }, { concurrency: 2, deviceTimeoutMs: 1000, onEvent: (e) => reporter.onEvent(e) });
    expect(await reporter.finish(summary)).toBe(10);
    const plain = drawn.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/run 2\/2 done {2}ok 1 {2}failed 1/);
    expect(plain).toMatch(/failed {2}eos-3 {2}auth: Authentication failed/);
    expect(text()).toMatch(/2 devices: 1 ok, 1 failed, 0 skipped/);
  });

  it('keeps the live model bounded for 500 devices', () => {
    const model = new ProgressModel('run', 500, resultDetail, 10);
    for (let i = 0; i < 500; i++) model.apply({ type: 'start', device: `d${i}` });
    for (let i = 0; i < 480; i++) model.apply({ type: 'result', result: { device: `d${i}`, status: 'ok', startedAt: '', durationMs: 1 } });
    const snap = model.snapshot();
    expect(snap.counts).toMatchObject({ ok: 480, running: 20, queued: 0 });
    expect(snap.running).toHaveLength(10);
    expect(snap.finished.map((r) => r.device)).toEqual(Array.from({ length: 10 }, (_, i) => `d${470 + i}`));
  });
});
