import type { SshConnection } from '../ssh/types.js';
import type { PlatformDefinition } from '../platforms/types.js';
import type { DeviceSession, SessionSecrets, TranscriptSink } from './types.js';

export type * from './types.js';

export interface OpenSessionOptions {
  device: string;
  platform: PlatformDefinition;
  secrets: SessionSecrets;
  /** milliseconds */
  commandTimeoutMs: number;
  transcript?: TranscriptSink;
}

// Stub: the platform-driven session engine lands here.
export async function openDeviceSession(_connection: SshConnection, _options: OpenSessionOptions): Promise<DeviceSession> {
  throw new Error('session engine not implemented yet');
}
