import { openChainWithRetries } from './connect.js';
import { Ssh2Connection } from './connection.js';
import { loadSsh2 } from './ssh2-module.js';
import { interrupted } from './tcp.js';
import type { SshConnectOptions, SshConnection } from './types.js';

export type * from './types.js';
export { SshError, classifyError } from './errors.js';
export {
  fingerprintOf,
  forgetHostKey,
  hostToken,
  keyTypeOf,
  lookupHostKey,
  trustHostKey,
  type KnownHostKey,
} from './known-hosts.js';
export { fetchHostKey, type FetchHostKeyOptions, type FetchedHostKey } from './fetch-host-key.js';
export {
  applySshConfig,
  defaultSshConfigPath,
  parseJumpSpec,
  type AppliedSshConfig,
  type JumpSpec,
  type SshConfigTarget,
} from './ssh-config.js';
export { LEGACY_ALGORITHMS } from './algorithms.js';
export { DEFAULT_SHELL } from './connection.js';
export { backoffMs } from './connect.js';

/**
 * Opens an authenticated SSH connection to a device, through its jump hosts if any, applying the
 * host key policy at every hop. ssh2 is imported here, on first use, never at module load.
 */
export async function connectSsh(callerOptions: SshConnectOptions): Promise<SshConnection> {
  if (callerOptions.signal?.aborted) throw interrupted(callerOptions.label);
  // One caller signal often serves hundreds of connections; listening on a per-connection
  // dependent signal keeps its listener count at zero (no MaxListeners warning, nothing retained).
  const options = callerOptions.signal ? { ...callerOptions, signal: AbortSignal.any([callerOptions.signal]) } : callerOptions;
  const ssh2 = await loadSsh2();
  const chain = await openChainWithRetries(ssh2, options);
  if (options.signal?.aborted) {
    chain.target.client.destroy();
    for (const hop of chain.hops) hop.destroy();
    throw interrupted(options.label);
  }
  return new Ssh2Connection(
    options.label,
    chain.target.hostKey.fingerprint,
    Math.round(chain.connectMs * 100) / 100,
    chain.target.client,
    chain.hops,
    options.signal,
    chain.target.negotiated,
    chain.target.banner,
  );
}
