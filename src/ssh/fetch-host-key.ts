import { ValidationError } from '../core/errors.js';
import { openChain } from './connect.js';
import { SshError } from './errors.js';
import { fingerprintOf, keyTypeOf } from './known-hosts.js';
import { loadSsh2 } from './ssh2-module.js';
import type { SshEndpoint } from './types.js';

export interface FetchHostKeyOptions {
  /** ms for TCP connect and for the banner; default 10 000 */
  timeoutMs?: number;
  legacyAlgorithms?: boolean;
  /** reach the host through these jump hosts (they are checked against knownHostsFile) */
  jumpHosts?: SshEndpoint[];
  /** required with jumpHosts: their keys are checked (trust on first use unless strict) */
  knownHostsFile?: string;
  strict?: boolean;
  signal?: AbortSignal;
  label?: string;
}

export interface FetchedHostKey {
  keyType: string;
  keyBase64: string;
  fingerprint: string;
}

/** Thrown from the host verifier to stop right after the key arrived; never leaves this module. */
class KeyCaptured extends SshError {
  constructor(readonly key: FetchedHostKey) {
    super('host-key', 'host key captured');
  }
}

/**
 * Connects far enough to read the server's host key, then aborts before authenticating.
 * `netstacks device trust` shows this key and stores it with trustHostKey().
 */
export async function fetchHostKey(host: string, port: number, options: FetchHostKeyOptions = {}): Promise<FetchedHostKey> {
  const ssh2 = await loadSsh2();
  const timeout = options.timeoutMs ?? 10_000;
  const label = options.label ?? `${host}:${port}`;
  if (options.jumpHosts?.length && !options.knownHostsFile) {
    throw new ValidationError('fetchHostKey through jump hosts needs knownHostsFile to check the hops');
  }
  try {
    const chain = await openChain(
      ssh2,
      {
        host,
        port,
        label,
        legacyAlgorithms: options.legacyAlgorithms,
        // never used: the handshake stops at the host key
        auth: { username: 'netstacks-hostkey-probe' },
        hostKeys: { knownHostsFile: options.knownHostsFile ?? '', strict: options.strict ?? false },
        jumpHosts: options.jumpHosts,
        timeouts: { connect: timeout, banner: timeout, auth: timeout },
        signal: options.signal,
      },
      (blob) => {
        throw new KeyCaptured({ keyType: keyTypeOf(blob), keyBase64: blob.toString('base64'), fingerprint: fingerprintOf(blob) });
      },
    );
    // a server that skips host key verification cannot exist in SSH-2; close defensively
    chain.target.client.destroy();
    throw new SshError('protocol', `${label} completed a handshake without presenting a host key`);
  } catch (err) {
    if (err instanceof KeyCaptured) return err.key;
    throw err;
  }
}
