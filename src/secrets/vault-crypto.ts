import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/** One AES-256-GCM ciphertext, base64 fields, as stored in the vault file. */
export interface SealedValue {
  iv: string;
  tag: string;
  data: string;
}

export interface ScryptParams {
  name: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;
const IV_LENGTH = 12;

/** Fresh parameters for a new vault. N=2^15 costs ~100 ms, paid once per process. */
export function newScryptParams(): ScryptParams {
  return { name: 'scrypt', salt: randomBytes(16).toString('base64'), N: 2 ** 15, r: 8, p: 1 };
}

export function deriveVaultKey(masterKey: string, params: ScryptParams): Promise<Buffer> {
  const salt = Buffer.from(params.salt, 'base64');
  // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is exactly that for N=2^15, r=8.
  const maxmem = 256 * params.N * params.r;
  return new Promise((resolve, reject) => {
    scrypt(masterKey, salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `context` is bound in as associated data, so a ciphertext cannot be moved to another entry. */
export function seal(key: Buffer, plaintext: string, context: string): SealedValue {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Returns undefined when the key is wrong or the ciphertext was altered (GCM authentication). */
export function unseal(key: Buffer, sealed: SealedValue, context: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
