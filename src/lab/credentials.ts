import { createHash } from 'node:crypto';
import { ed25519FromSeed } from './hostkeys.js';

/**
 * The one credential every lab device accepts. Public on purpose: the lab is a local simulator,
 * and tests, the README quick start and `lab start` all log in with it.
 */
export const LAB_USERNAME = 'netstacks';
export const LAB_PASSWORD = 'netstacks-lab';
export const LAB_ENABLE_SECRET = 'lab-enable';
/** Name of the credential set `lab start` registers in the inventory. */
export const LAB_CREDENTIAL_NAME = 'lab';

let clientKey: { privateKey: string; publicKey: string } | undefined;

/**
 * The lab's client key for publickey auth. Derived from a fixed seed, so it is the same everywhere:
 * it proves nothing, it only lets tests exercise key-based login against the lab.
 */
export function labClientKey(): { privateKey: string; publicKey: string } {
  if (!clientKey) {
    const key = ed25519FromSeed(createHash('sha256').update('netstacks-lab-client-key').digest(), 'netstacks@lab');
    clientKey = { privateKey: key.privateKey, publicKey: key.info.publicKey };
  }
  return clientKey;
}
