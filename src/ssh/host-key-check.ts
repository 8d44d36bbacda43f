import { SshError } from './errors.js';
import { appendHostKey, fingerprintOf, keyTypeOf, lookupHostKey } from './known-hosts.js';
import type { HostKeyPolicy } from './types.js';

export interface CheckedHostKey {
  keyType: string;
  keyBase64: string;
  fingerprint: string;
  /** true when the key was unknown and has just been trusted on first use */
  added: boolean;
}

/**
 * Applies the host key policy to the key a server offered: a stored match passes, a changed key
 * always refuses, an unknown key is trusted on first use unless the policy is strict.
 */
export function checkHostKey(
  policy: HostKeyPolicy,
  host: string,
  port: number,
  blob: Buffer,
  label: string,
): CheckedHostKey {
  const keyType = keyTypeOf(blob);
  const keyBase64 = blob.toString('base64');
  const fingerprint = fingerprintOf(blob);
  const stored = lookupHostKey(policy.knownHostsFile, host, port);
  if (stored.some((k) => k.keyBase64 === keyBase64)) return { keyType, keyBase64, fingerprint, added: false };
  const where = `${host}:${port}`;
  if (stored.length > 0) {
    const previous = stored.find((k) => k.keyType === keyType) ?? stored[0];
    throw new SshError(
      'host-key',
      `host key of ${label} (${where}) has changed: stored ${previous?.fingerprint} (${previous?.keyType}), ` +
        `offered ${fingerprint} (${keyType}). Refusing to connect: this can be a reinstalled device or an attack`,
      { hint: `if the change is expected, accept the new key with 'netstacks device trust ${label}'` },
    );
  }
  if (policy.strict) {
    throw new SshError(
      'host-key',
      `host key of ${label} (${where}) is unknown (offered ${fingerprint} ${keyType}) and strict host key checking is on`,
      { hint: `verify the fingerprint, then run 'netstacks device trust ${label}'` },
    );
  }
  appendHostKey(policy.knownHostsFile, host, port, keyType, keyBase64);
  return { keyType, keyBase64, fingerprint, added: true };
}
