import type { DeviceResult, RunEvent, RunSummary } from './types.js';

export type * from './types.js';

export interface FanOutTask<T> {
  (context: { device: string; signal: AbortSignal; progress: (message: string) => void }): Promise<T>;
}

export interface FanOutOptions<T> {
  concurrency: number;
  /** per-device timeout, milliseconds */
  deviceTimeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent<T>) => void;
  /** devices to report as skipped without running, with the reason */
  skipped?: Array<{ device: string; reason: string }>;
}

// Stub: the one fan-out runner lands here.
export async function runFanOut<T>(_devices: string[], _task: FanOutTask<T>, _options: FanOutOptions<T>): Promise<RunSummary<T>> {
  throw new Error('runner not implemented yet');
}

export type { DeviceResult };
