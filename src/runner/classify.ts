import type { ErrorClass } from '../ssh/types.js';

const ERROR_CLASSES: ReadonlySet<string> = new Set<ErrorClass>(['unreachable', 'auth', 'timeout', 'host-key', 'command-error', 'protocol', 'interrupted', 'no-parser']);

/** The reason a device's signal is aborted when its per-device timeout fires. */
export class DeviceTimeoutError extends Error {
  readonly errorClass = 'timeout' as const;
  constructor(readonly timeoutMs: number) {
    super(`no result within ${formatSeconds(timeoutMs)} (per-device timeout)`);
    this.name = 'DeviceTimeoutError';
  }
}

/**
 * Turns whatever a task threw into an error class and a message. Errors from the SSH and session
 * layers (SshError, CommandError) carry their class in `errorClass`; anything else is 'protocol',
 * the class for "something unexpected happened while talking to the device".
 */
export function classifyFailure(error: unknown): { errorClass: ErrorClass; message: string; hint?: string } {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  const declared = error !== null && typeof error === 'object' && 'errorClass' in error ? (error as { errorClass: unknown }).errorClass : undefined;
  const hintValue = error !== null && typeof error === 'object' && 'hint' in error ? (error as { hint: unknown }).hint : undefined;
  const hint = typeof hintValue === 'string' && hintValue ? { hint: hintValue } : {};
  if (typeof declared === 'string' && ERROR_CLASSES.has(declared)) return { errorClass: declared as ErrorClass, message, ...hint };
  return { errorClass: 'protocol', message, ...hint };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A task that failed part-way and has something worth keeping (the outputs of the commands that
 * ran before the failing one): the device still fails with `cause`, and its result carries `partial`.
 */
export class PartialFailure<T> extends Error {
  constructor(
    readonly failure: unknown,
    readonly partial: T,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'PartialFailure';
  }
}
