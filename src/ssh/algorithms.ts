import type { Algorithms } from 'ssh2';

/**
 * Algorithms old IOS/ASA-era devices need. ssh2 only offers them when asked; they are appended
 * after ssh2's defaults so a modern server still negotiates a modern algorithm.
 */
export const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1'],
} as const;

export type AlgorithmClass = keyof typeof LEGACY_ALGORITHMS;

interface Ssh2Constants {
  SUPPORTED_KEX: string[];
  SUPPORTED_CIPHER: string[];
  SUPPORTED_SERVER_HOST_KEY: string[];
  SUPPORTED_MAC: string[];
}

let legacyCache: Algorithms | undefined;

/**
 * The `algorithms` option with the legacy set appended, minus whatever this ssh2 build cannot
 * use (ssh2 filters ciphers and MACs by what the local OpenSSL offers, and throws on unknown
 * names). Loaded lazily: ssh2 internals are only touched when a legacy device is contacted.
 */
export async function legacyAlgorithmOption(): Promise<Algorithms> {
  if (legacyCache) return legacyCache;
  const constants = ((await import('ssh2/lib/protocol/constants.js')) as { default: Ssh2Constants }).default;
  const keep = (names: readonly string[], supported: string[]) => names.filter((n) => supported.includes(n));
  // The casts narrow plain strings back to ssh2's algorithm-name unions; the filter above is the real check.
  legacyCache = {
    kex: { append: keep(LEGACY_ALGORITHMS.kex, constants.SUPPORTED_KEX) } as Algorithms['kex'],
    cipher: { append: keep(LEGACY_ALGORITHMS.cipher, constants.SUPPORTED_CIPHER) } as Algorithms['cipher'],
    serverHostKey: {
      append: keep(LEGACY_ALGORITHMS.serverHostKey, constants.SUPPORTED_SERVER_HOST_KEY),
    } as Algorithms['serverHostKey'],
    hmac: { append: keep(LEGACY_ALGORITHMS.hmac, constants.SUPPORTED_MAC) } as Algorithms['hmac'],
  };
  return legacyCache;
}

const LEGACY_NAMES = new Set<string>([
  ...LEGACY_ALGORITHMS.kex,
  ...LEGACY_ALGORITHMS.cipher,
  ...LEGACY_ALGORITHMS.serverHostKey,
  ...LEGACY_ALGORITHMS.hmac,
  // other names only museum pieces offer
  'hmac-md5',
  'hmac-sha1-96',
  'hmac-md5-96',
  'blowfish-cbc',
  'cast128-cbc',
  'arcfour',
  'arcfour128',
  'arcfour256',
]);

/** True when every algorithm the server offers for a class is a legacy one. */
export function offersOnlyLegacy(offered: readonly string[]): boolean {
  const real = offered.filter((name) => !name.startsWith('ext-info-') && !name.startsWith('kex-strict-'));
  return real.length > 0 && real.every((name) => LEGACY_NAMES.has(name));
}
