import { NetstacksError } from '../core/errors.js';
import type { ErrorClass } from './types.js';

/**
 * Every failure of the SSH transport. `errorClass` is what per-device results report; the
 * message names the device and never carries a password, passphrase or key.
 */
export class SshError extends NetstacksError {
  readonly errorClass: ErrorClass;
  /** true for connection failures before authentication started: another attempt may succeed */
  readonly retryable: boolean;

  constructor(
    errorClass: ErrorClass,
    message: string,
    options: { hint?: string; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(`ssh_${errorClass.replace('-', '_')}`, message, {
      exit: errorClass === 'interrupted' ? 'interrupted' : 'network',
      hint: options.hint,
      cause: options.cause,
    });
    this.errorClass = errorClass;
    this.retryable = options.retryable ?? false;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

interface ErrorFields {
  code?: unknown;
  level?: unknown;
  reason?: unknown;
  message?: unknown;
}

/**
 * Maps anything thrown while connecting to an ErrorClass. ssh2 tags its errors with `level`
 * ('client-socket', 'client-timeout', 'client-authentication', 'handshake', 'protocol', …);
 * node socket errors carry errno codes.
 */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof SshError) return err.errorClass;
  if (typeof err !== 'object' || err === null) return 'protocol';
  const { code, level, reason, message } = err as ErrorFields;
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    if (code === 'ABORT_ERR') return 'interrupted';
    if (code === 'ETIMEDOUT') return 'timeout';
    if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  }
  if (level === 'client-timeout' || /timed out/i.test(text)) return 'timeout';
  if (level === 'client-authentication' || /authentication (methods )?failed|too many authentication/i.test(text)) return 'auth';
  // SSH DISCONNECT reasons 14 (no more auth methods available) and 15 (illegal user name)
  if ((code === 14 || code === 15) && level === undefined) return 'auth';
  if (/host denied|verification failed/i.test(text) && !/signature/i.test(text)) return 'host-key';
  if (level === 'client-socket' || level === 'client-dns') return 'unreachable';
  if (/connection lost before handshake/i.test(text)) return 'unreachable';
  // ssh2 channel-open failures through a jump host: reason 2 = connect failed
  if (typeof reason === 'number' && /channel open failure/i.test(text)) return 'unreachable';
  return 'protocol';
}
