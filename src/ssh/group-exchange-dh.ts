import { randomBytes } from 'node:crypto';

/** 512-bit private exponents, as OpenSSH uses for the largest groups (2 × 256 bits of security). */
const PRIVATE_EXPONENT_BYTES = 64;

function toBigInt(buf: Buffer): bigint {
  return buf.length === 0 ? 0n : BigInt('0x' + buf.toString('hex'));
}

function toBuffer(value: bigint, length: number): Buffer {
  const hex = value.toString(16).padStart(length * 2, '0');
  return Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * Diffie-Hellman over a server-chosen group (diffie-hellman-group-exchange-*), standing in for
 * crypto.createDiffieHellman(prime, generator) inside ssh2. Node's version runs OpenSSL's DH_check
 * on the prime, which takes ~1 s for 2048 bits and ~6 s for 3072 here, blocking the event loop
 * for every session in a fan-out. Like OpenSSH's client, this checks the peer's public value
 * range and not the primality of the server's group.
 */
export class GroupExchangeDh {
  private readonly p: bigint;
  private readonly g: bigint;
  private readonly x: bigint;
  private readonly size: number;
  private publicKey: Buffer | undefined;

  constructor(
    private readonly prime: Buffer,
    private readonly generator: Buffer,
  ) {
    this.p = toBigInt(prime);
    this.g = toBigInt(generator);
    this.size = Math.ceil(this.p.toString(16).length / 2);
    let x = 0n;
    while (x < 2n) x = toBigInt(randomBytes(PRIVATE_EXPONENT_BYTES));
    this.x = x;
  }

  generateKeys(): Buffer {
    this.publicKey ??= toBuffer(modPow(this.g, this.x, this.p), this.size);
    return this.publicKey;
  }

  computeSecret(otherPublicKey: Buffer): Buffer {
    const f = toBigInt(otherPublicKey);
    if (f <= 1n || f >= this.p - 1n) throw new Error('invalid Diffie-Hellman public value from the server');
    return toBuffer(modPow(f, this.x, this.p), this.size);
  }

  getPrime(): Buffer {
    return this.prime;
  }

  getGenerator(): Buffer {
    return this.generator;
  }

  getPublicKey(): Buffer {
    return this.generateKeys();
  }
}
