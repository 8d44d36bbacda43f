import type { Algorithms } from 'ssh2';

/**
 * Algorithms old IOS/ASA-era devices need. ssh2 only offers them when asked; they are appended
 * after ssh2's defaults so a modern server still negotiates a modern algorithm.
 */
export const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1', 'diffie-hellman-group-exchange-sha1'],
  cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1'],
} as const;

export type AlgorithmClass = keyof typeof LEGACY_ALGORITHMS;

/**
 * ssh2's default key exchange order, except that fixed DH groups come before group exchange.
 * With group exchange, ssh2 builds the server's prime with crypto.createDiffieHellman(), which
 * runs OpenSSL's DH_check: measured here at ~1 s for 2048 bits and ~6 s for 3072, blocking the
 * event loop (and every other session in a fan-out). Named groups skip that check.
 */
const MODERN_KEX = [
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group18-sha512',
  'diffie-hellman-group15-sha512',
  'diffie-hellman-group17-sha512',
  'diffie-hellman-group-exchange-sha256',
];

const optionCache = new Map<boolean, Algorithms>();

/**
 * ssh2's `algorithms` option: the key exchange order above, plus, for legacy devices, the legacy
 * set appended after the defaults so a modern server still negotiates a modern algorithm. Names
 * this ssh2 build cannot use are dropped (ssh2 filters ciphers and MACs by what the local
 * OpenSSL offers, and throws on unknown names).
 */
export async function algorithmOption(legacy: boolean): Promise<Algorithms> {
  const cached = optionCache.get(legacy);
  if (cached) return cached;
  const constants = (await import('ssh2/lib/protocol/constants.js')).default;
  const keep = (names: readonly string[], supported: string[]) => names.filter((n) => supported.includes(n));
  // The casts narrow plain strings back to ssh2's algorithm-name unions; the filter is the real check.
  const kex = keep([...MODERN_KEX, ...(legacy ? LEGACY_ALGORITHMS.kex : [])], constants.SUPPORTED_KEX) as Algorithms['kex'];
  const option: Algorithms = legacy
    ? {
        kex,
        cipher: { append: keep(LEGACY_ALGORITHMS.cipher, constants.SUPPORTED_CIPHER) } as Algorithms['cipher'],
        serverHostKey: {
          append: keep(LEGACY_ALGORITHMS.serverHostKey, constants.SUPPORTED_SERVER_HOST_KEY),
        } as Algorithms['serverHostKey'],
        hmac: { append: keep(LEGACY_ALGORITHMS.hmac, constants.SUPPORTED_MAC) } as Algorithms['hmac'],
      }
    : { kex };
  optionCache.set(legacy, option);
  return option;
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
