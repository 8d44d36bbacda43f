import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHostKey } from './types.js';

/**
 * Host keys for lab devices: one per device, generated on first use and cached in
 * <home>/lab/hostkeys.json (Ed25519) and <home>/lab/hostkeys/NAME.rsa.pem (RSA, for legacy-only
 * devices), so a restarted lab presents the same key per device. Without a home they are cached
 * in memory for the process.
 */
export interface DeviceHostKey {
  /** private key text ssh2's Server accepts */
  privateKey: string;
  info: LabHostKey;
  /** the same key imported for signing (created on first use) */
  keyObject(): KeyObject;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const memoryRsaKeys = new Map<string, string>();

export class HostKeyStore {
  private readonly cache = new Map<string, DeviceHostKey>();
  /** seed and public key (base64) per `type:name:variant`, as cached in <home>/lab/hostkeys.json */
  private readonly stored: Record<string, { seed: string; pub: string }>;
  private dirty = false;

  constructor(
    private readonly labDir: string | undefined,
    private readonly fallbackSeed: number,
  ) {
    this.stored = labDir ? loadKeyFile(labDir) : (memoryKeys[String(fallbackSeed)] ??= {});
  }

  /** `variant` is '' for the device's normal key and e.g. 'changed' for the changed-host-key fault. */
  ed25519(name: string, variant = ''): DeviceHostKey {
    const cacheKey = `ed25519:${name}:${variant}`;
    let key = this.cache.get(cacheKey);
    if (!key) {
      let entry = this.stored[cacheKey];
      if (!entry) {
        // Generating is fast; importing a raw seed is not (~2 ms each in OpenSSL 3), so new keys
        // are generated and then kept.
        const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
        entry = { seed: Buffer.from(jwk.d as string, 'base64url').toString('base64'), pub: Buffer.from(jwk.x as string, 'base64url').toString('base64') };
        this.stored[cacheKey] = entry;
        this.dirty = true;
      }
      key = ed25519FromParts(Buffer.from(entry.seed, 'base64'), Buffer.from(entry.pub, 'base64'), `${name}@netstacks-lab`);
      this.cache.set(cacheKey, key);
    }
    return key;
  }

  rsa(name: string): DeviceHostKey {
    const cacheKey = `rsa:${name}`;
    let key = this.cache.get(cacheKey);
    if (!key) {
      const pem = this.loadOrCreateRsa(name);
      key = { privateKey: pem, info: rsaInfo(pem), keyObject: once(() => createPrivateKey(pem)) };
      this.cache.set(cacheKey, key);
    }
    return key;
  }

  /** Writes newly generated keys to <home>/lab/hostkeys.json so a restarted lab keeps them. */
  flush(): void {
    if (!this.dirty || !this.labDir) return;
    mkdirSync(this.labDir, { recursive: true, mode: 0o700 });
    const file = join(this.labDir, 'hostkeys.json');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.stored) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
    this.dirty = false;
  }

  /** 1024-bit, like the old boxes legacy-only imitates, and ~10x faster to generate than 2048. */
  private loadOrCreateRsa(name: string): string {
    const file = this.labDir ? join(this.labDir, 'hostkeys', `${name}.rsa.pem`) : undefined;
    if (file && existsSync(file)) return readFileSync(file, 'utf8');
    const memoryKey = `${this.labDir ?? this.fallbackSeed}:${name}`;
    let pem = memoryRsaKeys.get(memoryKey);
    if (!pem) {
      pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      memoryRsaKeys.set(memoryKey, pem);
    }
    if (file) {
      mkdirSync(join(this.labDir as string, 'hostkeys'), { recursive: true, mode: 0o700 });
      writeFileSync(file, pem, { mode: 0o600 });
    }
    return pem;
  }
}

const memoryKeys: Record<string, Record<string, { seed: string; pub: string }>> = {};

function loadKeyFile(labDir: string): Record<string, { seed: string; pub: string }> {
  const file = join(labDir, 'hostkeys.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, { seed: string; pub: string }>;
  } catch {
    return {};
  }
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

export function fingerprintOf(publicBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '');
}

/** An Ed25519 key from a 32-byte seed (slow: OpenSSL imports raw seeds slowly; fine for one key). */
export function ed25519FromSeed(seed: Buffer, comment: string): DeviceHostKey {
  const keyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  return ed25519FromParts(seed, spki.subarray(spki.length - 32), comment);
}

/** Encodes an unencrypted OpenSSH private key (openssh-key-v1) from an Ed25519 seed and public key. */
export function ed25519FromParts(seed: Buffer, publicKey: Buffer, comment: string): DeviceHostKey {
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const check = uint32(seed.readUInt32BE(0));
  let privateBlock = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padding: number[] = [];
  for (let i = 1; (privateBlock.length + padding.length) % 8 !== 0; i++) padding.push(i);
  privateBlock = Buffer.concat([privateBlock, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(privateBlock),
  ]);
  const base64 = body.toString('base64').replace(/(.{70})/g, '$1\n').replace(/\n$/, '');
  const privateKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}\n-----END OPENSSH PRIVATE KEY-----`;
  return {
    privateKey,
    // A JWK import is fast; importing the seed as PKCS#8 or PEM costs ~2 ms in OpenSSL 3.
    keyObject: once(() => createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: publicKey.toString('base64url') }, format: 'jwk' })),
    info: { publicKey: `ssh-ed25519 ${publicBlob.toString('base64')}`, fingerprint: fingerprintOf(publicBlob) },
  };
}

function rsaInfo(pem: string): LabHostKey {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  const exponent = Buffer.from(jwk.e as string, 'base64url');
  let modulus = Buffer.from(jwk.n as string, 'base64url');
  if ((modulus[0] as number) & 0x80) modulus = Buffer.concat([Buffer.from([0]), modulus]);
  const blob = Buffer.concat([sshString('ssh-rsa'), sshString(exponent), sshString(modulus)]);
  return { publicKey: `ssh-rsa ${blob.toString('base64')}`, fingerprint: fingerprintOf(blob) };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
