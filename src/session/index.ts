import type { PlatformDefinition } from '../platforms/types.js';
import type { SshConnection } from '../ssh/types.js';
import { ExecSession } from './exec-session.js';
import { ShellSession } from './shell-session.js';
import type { DeviceSession, SessionSecrets, TranscriptSink } from './types.js';

export type * from './types.js';
export { CommandError, ModeChangeError, SessionClosedError, SessionError, SessionTimeoutError } from './errors.js';
export { createTranscript, createMasker, maskSecrets, MASK, type Masker } from './transcript.js';

export interface OpenSessionOptions {
  device: string;
  platform: PlatformDefinition;
  secrets: SessionSecrets;
  /** milliseconds */
  commandTimeoutMs: number;
  /** milliseconds from opening the shell to the first prompt; defaults to commandTimeoutMs */
  loginTimeoutMs?: number;
  /** the session writes both directions here and closes it on close() (or when opening fails) */
  transcript?: TranscriptSink;
}

/**
 * Opens a session on an authenticated connection: an interactive shell (log in, find the real
 * prompt, reach the default mode, disable paging) or, for exec platforms, one channel per command.
 */
export async function openDeviceSession(connection: SshConnection, options: OpenSessionOptions): Promise<DeviceSession> {
  if (options.platform.transport === 'exec') return new ExecSession(connection, options);
  try {
    return await ShellSession.open(connection, { ...options, loginTimeoutMs: options.loginTimeoutMs ?? options.commandTimeoutMs });
  } catch (error) {
    await options.transcript?.close().catch(() => undefined);
    throw error;
  }
}
