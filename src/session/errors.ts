import { NetstacksError } from '../core/errors.js';
import type { ErrorClass } from '../ssh/types.js';

/** A session failure, carrying the class per-device results report. Messages never hold secrets. */
export class SessionError extends NetstacksError {
  readonly errorClass: ErrorClass;
  readonly device: string;

  constructor(device: string, errorClass: ErrorClass, message: string, cause?: unknown) {
    super(`session_${errorClass.replace('-', '_')}`, message, {
      exit: errorClass === 'interrupted' ? 'interrupted' : errorClass === 'command-error' ? 'devicesFailed' : 'network',
      cause,
    });
    this.device = device;
    this.errorClass = errorClass;
  }
}

/** The device rejected a command: the message is the device's own error lines. */
export class CommandError extends SessionError {
  readonly command: string;
  /** the device's error lines */
  readonly deviceMessage: string;
  /** 1-based line of a config push that failed */
  readonly line?: number;

  constructor(device: string, command: string, deviceMessage: string, line?: number) {
    const where = line === undefined ? `'${command}'` : `line ${line} '${command}'`;
    super(device, 'command-error', `${where}: ${deviceMessage}`);
    this.command = command;
    this.deviceMessage = deviceMessage;
    if (line !== undefined) this.line = line;
  }
}

export class SessionTimeoutError extends SessionError {
  constructor(device: string, message: string) {
    super(device, 'timeout', message);
  }
}

/** The channel closed under us (connection dropped, device logged us out). */
export class SessionClosedError extends SessionError {
  constructor(device: string, message: string, cause?: unknown) {
    super(device, 'unreachable', message, cause);
  }
}

/** enable (or another mode change) was refused: usually a wrong enable secret. */
export class ModeChangeError extends SessionError {
  constructor(device: string, errorClass: ErrorClass, message: string) {
    super(device, errorClass, message);
  }
}
