import type { SshConnectOptions, SshConnection } from './types.js';

export type * from './types.js';

// Stub: ssh2 transport lands here (lazy-loads ssh2).
export async function connectSsh(_options: SshConnectOptions): Promise<SshConnection> {
  throw new Error('ssh transport not implemented yet');
}
