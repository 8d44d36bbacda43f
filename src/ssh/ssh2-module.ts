import { createRequire } from 'node:module';
import { GroupExchangeDh } from './group-exchange-dh.js';

type Ssh2 = typeof import('ssh2');
type CreateDiffieHellman = (...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);
let loaded: Promise<Ssh2> | undefined;

/**
 * Loads ssh2 with a fast Diffie-Hellman for group exchange (see GroupExchangeDh). ssh2's kex
 * module takes crypto.createDiffieHellman once, when it is first required, so the stand-in is put
 * in place for that synchronous require only and the process keeps Node's own afterwards. When
 * something else loaded ssh2 first, its copy is used as it is.
 */
function requireSsh2(): Ssh2 {
  if (require.cache[require.resolve('ssh2/lib/protocol/kex.js')]) return require('ssh2') as Ssh2;
  const cryptoModule = require('node:crypto') as { createDiffieHellman: CreateDiffieHellman };
  const original = cryptoModule.createDiffieHellman;
  cryptoModule.createDiffieHellman = function (this: unknown, ...args: unknown[]) {
    const [prime, generator] = args;
    // ssh2 calls it only for group exchange, with a server-chosen prime of >= 2048 bits
    if (args.length === 2 && Buffer.isBuffer(prime) && Buffer.isBuffer(generator) && prime.length >= 256) {
      return new GroupExchangeDh(prime, generator);
    }
    return original.apply(this, args);
  };
  try {
    return require('ssh2') as Ssh2;
  } finally {
    cryptoModule.createDiffieHellman = original;
  }
}

/** ssh2 is loaded on first use only, so commands that never open a session never pay for it. */
export function loadSsh2(): Promise<Ssh2> {
  loaded ??= Promise.resolve().then(requireSsh2);
  return loaded;
}

export type { Ssh2 };
