import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHostKey } from './types.js';

/**
 * Host keys for lab devices. Ed25519 keys are derived from a per-home secret and the device name,
 * so a restarted lab presents the same key per device without writing 500 files; only the secret
 * is cached (in <home>/lab/hostkey-secret). RSA keys, needed by legacy-only devices, cannot be
 * derived cheaply, so each is generated once and cached as a file.
 */
export interface DeviceHostKey {
  /** private key text ssh2's Server accepts */
  privateKey: string;
  info: LabHostKey;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const memoryRsaKeys = new Map<string, string>();

export class HostKeyStore {
  private readonly secret: Buffer;
  private readonly cache = new Map<string, DeviceHostKey>();

  constructor(private readonly labDir: string | undefined, fallbackSeed: number) {
    this.secret = labDir ? loadOrCreateSecret(labDir) : createHash('sha256').update(`netstacks-lab:${fallbackSeed}`).digest();
  }

  /** `variant` is '' for the device's normal key and e.g. 'changed' for the changed-host-key fault. */
  ed25519(name: string, variant = ''): DeviceHostKey {
    const cacheKey = `ed25519:${name}:${variant}`;
    let key = this.cache.get(cacheKey);
    if (!key) {
      const seed = createHash('sha256').update(this.secret).update(`${name}\0${variant}`).digest();
      key = ed25519FromSeed(seed, `${name}@netstacks-lab`);
      this.cache.set(cacheKey, key);
    }
    return key;
  }

  rsa(name: string): DeviceHostKey {
    const cacheKey = `rsa:${name}`;
    let key = this.cache.get(cacheKey);
    if (!key) {
      const pem = this.loadOrCreateRsa(name);
      key = { privateKey: pem, info: rsaInfo(pem) };
      this.cache.set(cacheKey, key);
    }
    return key;
  }

  private loadOrCreateRsa(name: string): string {
    const file = this.labDir ? join(this.labDir, 'hostkeys', `${name}.rsa.pem`) : undefined;
    if (file && existsSync(file)) return readFileSync(file, 'utf8');
    const memoryKey = `${this.secret.toString('hex')}:${name}`;
    let pem = memoryRsaKeys.get(memoryKey);
    if (!pem) {
      pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      memoryRsaKeys.set(memoryKey, pem);
    }
    if (file) {
      mkdirSync(join(this.labDir as string, 'hostkeys'), { recursive: true, mode: 0o700 });
      writeFileSync(file, pem, { mode: 0o600 });
    }
    return pem;
  }
}

function loadOrCreateSecret(labDir: string): Buffer {
  const file = join(labDir, 'hostkey-secret');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  }
  mkdirSync(labDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600 });
  return secret;
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

/** Encodes an unencrypted OpenSSH private key (openssh-key-v1) for an Ed25519 seed. */
export function ed25519FromSeed(seed: Buffer, comment: string): DeviceHostKey {
  const keyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(spki.length - 32);
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
