import { createRequire } from 'node:module';
import type { KeyObject } from 'node:crypto';
import { GroupExchangeDh } from './group-exchange-dh.js';

type Ssh2 = typeof import('ssh2');
type CreateDiffieHellman = (...args: unknown[]) => unknown;
type CryptoModule = typeof import('node:crypto');

const require = createRequire(import.meta.url);
let loaded: Promise<Ssh2> | undefined;

// DER SubjectPublicKeyInfo headers of a raw 32-byte X25519 / Ed25519 public key
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const PEM_PUBLIC = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END PUBLIC KEY-----\s*$/;

function rawKey(der: unknown, header: Buffer): Buffer | undefined {
  return Buffer.isBuffer(der) && der.length === header.length + 32 && der.subarray(0, header.length).equals(header) ? der.subarray(header.length) : undefined;
}

/**
 * Stand-ins for the crypto functions ssh2's key exchange and host key check take at require
 * time. They compute the same thing, but import and export the 32-byte Curve25519 / Ed25519 keys
 * as JWK instead of DER or PEM, which OpenSSL 3 decodes slowly (~0.1-0.3 ms each, several per
 * handshake, on both sides of every connection). Anything else goes to Node's own function.
 */
export function fastKeyFunctions(crypto: CryptoModule): Partial<CryptoModule> {
  const { createPublicKey, generateKeyPairSync, verify } = crypto;
  const x25519 = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
  const ed25519 = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return {
    // ssh2: createPublicKey({ key: <DER SPKI of the peer's X25519 key>, type: 'spki', format: 'der' })
    createPublicKey: function (this: unknown, ...args: unknown[]) {
      const [input] = args as [{ key?: unknown; type?: unknown; format?: unknown } | undefined];
      if (input && typeof input === 'object' && !Buffer.isBuffer(input) && input.type === 'spki' && input.format === 'der') {
        const raw = rawKey(input.key, X25519_SPKI);
        if (raw) return x25519(raw);
      }
      return (createPublicKey as (...a: unknown[]) => KeyObject).apply(this, args);
    } as CryptoModule['createPublicKey'],
    // ssh2: generateKeyPairSync('x25519'), then publicKey.export({ type: 'spki', format: 'der' })
    generateKeyPairSync: function (this: unknown, ...args: unknown[]) {
      const pair = (generateKeyPairSync as (...a: unknown[]) => { publicKey: KeyObject; privateKey: KeyObject }).apply(this, args);
      if (args[0] === 'x25519' && args.length === 1) {
        const publicKey = pair.publicKey;
        const ownExport = publicKey.export.bind(publicKey) as (options?: unknown) => unknown;
        Object.defineProperty(publicKey, 'export', {
          value: (options?: { type?: string; format?: string }) =>
            options && options.type === 'spki' && options.format === 'der' && Object.keys(options).length === 2
              ? Buffer.concat([X25519_SPKI, Buffer.from((ownExport({ format: 'jwk' }) as { x: string }).x, 'base64url')])
              : ownExport(options),
        });
      }
      return pair;
    } as CryptoModule['generateKeyPairSync'],
    // ssh2 verifies host key signatures with the key as PEM text: verify(null, data, pem, signature)
    verify: function (this: unknown, ...args: unknown[]) {
      const [algorithm, , key] = args;
      if (algorithm == null && typeof key === 'string' && args.length === 4) {
        const body = PEM_PUBLIC.exec(key)?.[1];
        const raw = body === undefined ? undefined : rawKey(Buffer.from(body, 'base64'), ED25519_SPKI);
        if (raw) args[2] = ed25519(raw);
      }
      return (verify as (...a: unknown[]) => boolean).apply(this, args);
    } as CryptoModule['verify'],
  };
}

/**
 * Loads ssh2 with a fast Diffie-Hellman for group exchange (see GroupExchangeDh) and fast
 * Curve25519/Ed25519 key handling (see fastKeyFunctions). ssh2's modules take these crypto
 * functions once, when they are first required, so the stand-ins are put in place for that
 * synchronous require only and the process keeps Node's own afterwards. When something else
 * loaded ssh2 first, its copy is used as it is.
 */
function requireSsh2(): Ssh2 {
  if (require.cache[require.resolve('ssh2/lib/protocol/kex.js')]) return require('ssh2') as Ssh2;
  const cryptoModule = require('node:crypto') as { createDiffieHellman: CreateDiffieHellman };
  const writable = cryptoModule as unknown as Record<string, unknown>;
  const original = cryptoModule.createDiffieHellman;
  const fast = fastKeyFunctions(cryptoModule as unknown as CryptoModule);
  const saved = Object.fromEntries(Object.keys(fast).map((name) => [name, writable[name]]));
  cryptoModule.createDiffieHellman = function (this: unknown, ...args: unknown[]) {
    const [prime, generator] = args;
    // ssh2 calls it only for group exchange, with a server-chosen prime of >= 2048 bits
    if (args.length === 2 && Buffer.isBuffer(prime) && Buffer.isBuffer(generator) && prime.length >= 256) {
      return new GroupExchangeDh(prime, generator);
    }
    return original.apply(this, args);
  };
  Object.assign(writable, fast);
  try {
    return require('ssh2') as Ssh2;
  } finally {
    cryptoModule.createDiffieHellman = original;
    Object.assign(writable, saved);
  }
}

/** ssh2 is loaded on first use only, so commands that never open a session never pay for it. */
export function loadSsh2(): Promise<Ssh2> {
  loaded ??= Promise.resolve().then(requireSsh2);
  return loaded;
}

export type { Ssh2 };
