import { describe, expect, it } from 'vitest';
import { runFanOut, type RunEvent } from '../src/runner/index.js';

const names = (n: number, prefix = 'dev') => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

/** Resolves after ms, or rejects when the signal aborts, like a well-behaved session task. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

describe('runFanOut', () => {
  it('never runs more tasks at once than the concurrency limit, and runs every device', async () => {
    let running = 0;
    let peak = 0;
    const summary = await runFanOut(names(40), async ({ device, signal }) => {
      running++;
      peak = Math.max(peak, running);
      await wait(2 + (device.length % 3), signal);
      running--;
      return device.toUpperCase();
    }, { concurrency: 7, deviceTimeoutMs: 5000 });
    expect(peak).toBe(7);
    expect(summary.counts).toEqual({ ok: 40, failed: 0, skipped: 0, total: 40 });
    expect(summary.results.map((r) => r.data)).toEqual(names(40).map((n) => n.toUpperCase()));
    expect(summary.interrupted).toBe(false);
  });

  it('fails a device that exceeds its timeout with class timeout and aborts its signal', async () => {
    let sawAbort = false;
    const summary = await runFanOut(['fast', 'slow'], async ({ device, signal }) => {
      if (device === 'slow') {
        await wait(10_000, signal).catch((error: unknown) => {
          sawAbort = signal.aborted;
          throw error;
        });
      }
      return 'done';
    }, { concurrency: 2, deviceTimeoutMs: 50 });
    const slow = summary.results.find((r) => r.device === 'slow')!;
    expect(slow.status).toBe('failed');
    expect(slow.errorClass).toBe('timeout');
    expect(slow.durationMs).toBeLessThan(2000);
    expect(sawAbort).toBe(true);
    expect(summary.results.find((r) => r.device === 'fast')!.status).toBe('ok');
  });

  it('uses errorClass from thrown errors, else protocol, and one failure leaves the others alone', async () => {
    const authError = Object.assign(new Error('Authentication failed for admin'), { errorClass: 'auth' });
    const summary = await runFanOut(['a', 'b', 'c', 'd'], async ({ device }) => {
      if (device === 'b') throw authError;
      if (device === 'c') throw new Error('unexpected banner');
      return device;
    }, { concurrency: 1, deviceTimeoutMs: 0 });
    expect(summary.results.map((r) => [r.device, r.status, r.errorClass])).toEqual([
      ['a', 'ok', undefined],
      ['b', 'failed', 'auth'],
      ['c', 'failed', 'protocol'],
      ['d', 'ok', undefined],
    ]);
    expect(summary.results[1]!.message).toBe('Authentication failed for admin');
    expect(summary.counts).toEqual({ ok: 2, failed: 2, skipped: 0, total: 4 });
  });

  it('reports skipped devices up front without running them', async () => {
    const events: RunEvent<string>[] = [];
    const ran: string[] = [];
    const summary = await runFanOut(['a'], async ({ device }) => {
      ran.push(device);
      return device;
    }, {
      concurrency: 4,
      deviceTimeoutMs: 1000,
      skipped: [{ device: 'off', reason: 'disabled by override' }, { device: 'nocred', reason: 'no credential' }],
      onEvent: (e) => events.push(e),
    });
    expect(ran).toEqual(['a']);
    expect(events.slice(0, 2).map((e) => (e.type === 'result' ? [e.result.device, e.result.status, e.result.message] : e.type))).toEqual([
      ['off', 'skipped', 'disabled by override'],
      ['nocred', 'skipped', 'no credential'],
    ]);
    expect(summary.counts).toEqual({ ok: 1, failed: 0, skipped: 2, total: 3 });
  });

  it('on abort stops starting devices, aborts running ones, waits for them and reports partial results', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    let running = 0;
    let finishedOk = 0;
    const summary = await runFanOut(names(20), async ({ device, signal }) => {
      started.push(device);
      running++;
      try {
        // the first four finish quickly; the rest hang until aborted
        await wait(started.length <= 4 ? 5 : 60_000, signal);
        finishedOk++;
        if (finishedOk === 4) setTimeout(() => controller.abort(), 20);
        return device;
      } finally {
        await new Promise((r) => setTimeout(r, 5)); // closing a session takes a moment
        running--;
      }
    }, { concurrency: 4, deviceTimeoutMs: 0, signal: controller.signal });
    expect(running).toBe(0);
    expect(summary.interrupted).toBe(true);
    expect(summary.counts.ok).toBe(4);
    const byStatus = (s: string) => summary.results.filter((r) => r.status === s);
    expect(byStatus('failed').every((r) => r.errorClass === 'interrupted')).toBe(true);
    expect(byStatus('failed')).toHaveLength(4);
    expect(byStatus('skipped')).toHaveLength(12);
    expect(byStatus('skipped').every((r) => r.message === 'interrupted')).toBe(true);
    expect(started).toHaveLength(8);
    expect(summary.results).toHaveLength(20);
  });

  it('emits start, progress and result events and redacts messages', async () => {
    const events: RunEvent<number>[] = [];
    await runFanOut(['x'], async ({ progress }) => {
      progress('logging in with hunter2');
      throw new Error('bad password hunter2');
    }, { concurrency: 1, deviceTimeoutMs: 0, onEvent: (e) => events.push(e), redact: (m) => m.replaceAll('hunter2', '****') });
    expect(events.map((e) => e.type)).toEqual(['start', 'progress', 'result']);
    expect(JSON.stringify(events)).not.toContain('hunter2');
  });

  it('adds one listener to the caller signal, not one per device (no MaxListeners warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const controller = new AbortController();
    await runFanOut(names(30), async ({ signal }) => wait(5, signal), { concurrency: 30, deviceTimeoutMs: 1000, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('does not hang on a task that ignores its signal', async () => {
    const summary = await runFanOut(['stuck'], () => new Promise<void>(() => {}), { concurrency: 1, deviceTimeoutMs: 20, abortGraceMs: 30 });
    expect(summary.results[0]!.errorClass).toBe('timeout');
  });
});
