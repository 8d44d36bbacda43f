/**
 * Typed errors with stable exit codes. The CLI maps any NetstacksError to its exitCode and prints
 * message + hint; anything else is an internal error (exit 1) and shows a stack only with --debug.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  invalidInput: 4,
  conflict: 5,
  secrets: 6,
  store: 7,
  network: 8,
  devicesFailed: 10,
  /** a MOP's rollback step failed: the device is left between states (see docs/mops.md) */
  rollbackFailed: 11,
  interrupted: 130,
} as const;
export type ExitCodeName = keyof typeof ExitCode;

export class NetstacksError extends Error {
  readonly exitCode: number;
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, options: { exit: ExitCodeName; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ExitCode[options.exit];
    this.hint = options.hint;
  }

  toJSON(): { error: string; message: string; hint?: string } {
    return { error: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

export class NotFoundError extends NetstacksError {
  constructor(kind: string, name: string, suggestion?: string) {
    super(`${kind}_not_found`, `${kind} '${name}' not found`, {
      exit: 'notFound',
      hint: suggestion ? `did you mean '${suggestion}'?` : `run 'netstacks ${kind} list' to see what exists`,
    });
  }
}

export class ConflictError extends NetstacksError {
  constructor(message: string, hint?: string) {
    super('conflict', message, { exit: 'conflict', hint });
  }
}

export class ValidationError extends NetstacksError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('invalid_input', message, { exit: 'invalidInput', hint, cause });
  }
}

export class UsageError extends NetstacksError {
  constructor(message: string, hint?: string) {
    super('usage', message, { exit: 'usage', hint });
  }
}

export class SecretsError extends NetstacksError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('secrets', message, { exit: 'secrets', hint, cause });
  }
}

export class StoreError extends NetstacksError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('store', message, { exit: 'store', hint, cause });
  }
}

export class NetworkError extends NetstacksError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('network', message, { exit: 'network', hint, cause });
  }
}

export class InterruptedError extends NetstacksError {
  constructor(message = 'interrupted') {
    super('interrupted', message, { exit: 'interrupted' });
  }
}
