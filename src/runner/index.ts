import type { DeviceResult, RunEvent, RunSummary } from './types.js';
import { classifyFailure, DeviceTimeoutError, PartialFailure } from './classify.js';

export type * from './types.js';
export { classifyFailure, DeviceTimeoutError, PartialFailure } from './classify.js';

export interface FanOutTask<T> {
  (context: { device: string; signal: AbortSignal; progress: (message: string) => void }): Promise<T>;
}

export interface FanOutOptions<T> {
  concurrency: number;
  /** per-device timeout, milliseconds; 0 means none. A function gives each device its own. */
  deviceTimeoutMs: number | ((device: string) => number);
  signal?: AbortSignal;
  onEvent?: (event: RunEvent<T>) => void;
  /** devices to report as skipped without running, with the reason */
  skipped?: Array<{ device: string; reason: string }>;
  /** applied to every failure message, so callers can mask secrets the runner cannot know */
  redact?: (message: string) => string;
  /**
   * After a device is aborted (timeout or Ctrl-C), how long to wait for its task to settle before
   * freeing its slot. Tasks get the signal and should close their session at once; this only bounds
   * a task that ignores it. Default 5000 ms.
   */
  abortGraceMs?: number;
}

/**
 * The one fan-out runner for every multi-device job (run, config push, backups, stacks, MOPs).
 * It knows nothing about SSH: a task gets a device name and an abort signal, and whatever it
 * throws becomes that device's failure without touching the others.
 */
export async function runFanOut<T>(devices: string[], task: FanOutTask<T>, options: FanOutOptions<T>): Promise<RunSummary<T>> {
  const started = performance.now();
  const emit = (event: RunEvent<T>): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // a broken progress display must never fail the run
    }
  };
  const redact = options.redact ?? ((message: string) => message);
  const graceMs = options.abortGraceMs ?? 5000;
  const timeoutFor = typeof options.deviceTimeoutMs === 'function' ? options.deviceTimeoutMs : () => options.deviceTimeoutMs as number;

  const skippedResults: DeviceResult<T>[] = (options.skipped ?? []).map(({ device, reason }) => ({
    device,
    status: 'skipped',
    message: reason,
    startedAt: new Date().toISOString(),
    durationMs: 0,
  }));
  for (const result of skippedResults) emit({ type: 'result', result });

  const results = new Array<DeviceResult<T> | undefined>(devices.length);
  let next = 0;
  // one listener on the caller's signal for all devices (one each would trip Node's leak warning)
  const running = new Set<AbortController>();
  const abortAll = (): void => {
    for (const controller of running) controller.abort(options.signal?.reason ?? new Error('interrupted'));
  };
  options.signal?.addEventListener('abort', abortAll, { once: true });

  const runOne = async (index: number): Promise<void> => {
    const device = devices[index]!;
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    emit({ type: 'start', device });
    const controller = new AbortController();
    running.add(controller);
    const timeoutMs = timeoutFor(device);
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new DeviceTimeoutError(timeoutMs)), timeoutMs) : undefined;

    let result: DeviceResult<T>;
    const taskPromise = Promise.resolve().then(() =>
      task({ device, signal: controller.signal, progress: (message) => emit({ type: 'progress', device, message: redact(message) }) }),
    );
    try {
      const data = await raceAbort(taskPromise, controller.signal);
      result = { device, status: 'ok', data, startedAt, durationMs: elapsed(t0) };
    } catch (error) {
      const partial = error instanceof PartialFailure ? { data: error.partial as T } : {};
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error instanceof PartialFailure ? error.failure : error;
      const interrupted = controller.signal.aborted && !(reason instanceof DeviceTimeoutError);
      const failure: ReturnType<typeof classifyFailure> = interrupted ? { errorClass: 'interrupted', message: 'interrupted' } : classifyFailure(reason);
      result = {
        device,
        status: 'failed',
        errorClass: failure.errorClass,
        message: redact(failure.message),
        ...(failure.hint ? { hint: redact(failure.hint) } : {}),
        ...partial,
        startedAt,
        durationMs: elapsed(t0),
      };
      if (controller.signal.aborted) await settleWithin(taskPromise, graceMs);
    } finally {
      clearTimeout(timer);
      running.delete(controller);
    }
    results[index] = result;
    emit({ type: 'result', result });
  };

  const worker = async (): Promise<void> => {
    while (next < devices.length && !options.signal?.aborted) {
      const index = next++;
      await runOne(index);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, devices.length));
  await Promise.all(Array.from({ length: width }, worker));
  options.signal?.removeEventListener('abort', abortAll);

  const interrupted = Boolean(options.signal?.aborted) && results.some((r) => r === undefined || r.errorClass === 'interrupted');
  const finished: DeviceResult<T>[] = [];
  for (let i = 0; i < devices.length; i++) {
    let result = results[i];
    if (!result) {
      result = { device: devices[i]!, status: 'skipped', message: 'interrupted', startedAt: new Date().toISOString(), durationMs: 0 };
      emit({ type: 'result', result });
    }
    finished.push(result);
  }
  const all = [...skippedResults, ...finished];
  return {
    results: all,
    counts: {
      ok: all.filter((r) => r.status === 'ok').length,
      failed: all.filter((r) => r.status === 'failed').length,
      skipped: all.filter((r) => r.status === 'skipped').length,
      total: all.length,
    },
    interrupted,
    durationMs: elapsed(started),
  };
}

function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}

/** Resolves or rejects with the task, or rejects as soon as the signal aborts, whichever is first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export type { DeviceResult };
