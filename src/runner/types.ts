import type { ErrorClass } from '../ssh/types.js';

export type DeviceStatus = 'ok' | 'failed' | 'skipped';

export interface DeviceResult<T = unknown> {
  device: string;
  status: DeviceStatus;
  /** present when failed */
  errorClass?: ErrorClass;
  /** failure or skip reason, never containing secrets */
  message?: string;
  /** what to do about the failure, when the error knows (e.g. allow legacy algorithms) */
  hint?: string;
  data?: T;
  startedAt: string;
  durationMs: number;
}

export interface RunSummary<T = unknown> {
  results: DeviceResult<T>[];
  counts: { ok: number; failed: number; skipped: number; total: number };
  /** true when Ctrl-C (or an abort signal) stopped the run before every device was done */
  interrupted: boolean;
  durationMs: number;
}

export type RunEvent<T = unknown> =
  | { type: 'start'; device: string }
  | { type: 'progress'; device: string; message: string }
  | { type: 'result'; result: DeviceResult<T> };
