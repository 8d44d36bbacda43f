import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValidationError } from '../../core/errors.js';

/**
 * Credentials from environment variables, for CI secret stores (GitHub Actions secrets, GitLab CI
 * variables): `NETSTACKS_CREDENTIAL_<NAME>_<FIELD>`, NAME upper-cased with every other character
 * as `_` (`core-admin` → `NETSTACKS_CREDENTIAL_CORE_ADMIN_PASSWORD`). They are read into memory
 * and stay there: never the vault, the keychain or any file.
 */

export const CREDENTIAL_ENV_PREFIX = 'NETSTACKS_CREDENTIAL_';

/** Longest first, so `_KEY_FILE` is not read as `_KEY` of a name ending in `_FILE`. */
export const CREDENTIAL_ENV_FIELDS = ['KEY_PASSPHRASE', 'KEY_FILE', 'USERNAME', 'PASSWORD', 'ENABLE', 'TOKEN', 'KEY'] as const;
export type CredentialEnvField = (typeof CREDENTIAL_ENV_FIELDS)[number];

/** Fields whose values are secrets (masked everywhere); USERNAME and KEY_FILE (a path) are not. */
const SECRET_FIELDS: readonly CredentialEnvField[] = ['PASSWORD', 'ENABLE', 'KEY', 'KEY_PASSPHRASE', 'TOKEN'];

/** `core-admin` → `CORE_ADMIN` */
export function credentialEnvStem(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function credentialEnvVariable(name: string, field: CredentialEnvField): string {
  return `${CREDENTIAL_ENV_PREFIX}${credentialEnvStem(name)}_${field}`;
}

/** One credential as the environment gives it: in memory only. */
export interface EnvCredential {
  name: string;
  username?: string;
  password?: string;
  enable?: string;
  /** key contents: from `_KEY`, or read from the `_KEY_FILE` path */
  privateKey?: string;
  /** where the key came from, for messages (`NETSTACKS_CREDENTIAL_X_KEY` or the file path) */
  keySource?: string;
  passphrase?: string;
  token?: string;
}

/** Every `NETSTACKS_CREDENTIAL_*` variable split into stem and field (unknown suffixes are skipped). */
export function scanCredentialEnvironment(env: NodeJS.ProcessEnv = process.env): Map<string, Partial<Record<CredentialEnvField, string>>> {
  const byStem = new Map<string, Partial<Record<CredentialEnvField, string>>>();
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(CREDENTIAL_ENV_PREFIX) || value === undefined || value === '') continue;
    const rest = key.slice(CREDENTIAL_ENV_PREFIX.length);
    const field = CREDENTIAL_ENV_FIELDS.find((f) => rest.endsWith(`_${f}`) && rest.length > f.length + 1);
    if (!field) continue;
    const stem = rest.slice(0, rest.length - field.length - 1);
    const fields = byStem.get(stem) ?? {};
    fields[field] = value;
    byStem.set(stem, fields);
  }
  return byStem;
}

/** Every secret value given through `NETSTACKS_CREDENTIAL_*` variables, for masking. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>();
  for (const fields of scanCredentialEnvironment(env).values()) {
    for (const field of SECRET_FIELDS) {
      const value = fields[field];
      if (value === undefined) continue;
      out.add(value);
      // a key given with \n escapes or CRLF is still the same secret once normalised
      const trimmed = value.trim();
      if (trimmed !== value && trimmed.length >= 3) out.add(trimmed);
    }
  }
  return [...out];
}

/**
 * The credential `name` from the environment; undefined when no variable names it. A key file is
 * read now, into memory. Errors name the variable, never a value.
 */
export function credentialFromEnvironment(name: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EnvCredential | undefined {
  const fields = scanCredentialEnvironment(env).get(credentialEnvStem(name));
  if (!fields) return undefined;
  const credential: EnvCredential = { name };
  if (fields.USERNAME !== undefined) credential.username = fields.USERNAME.trim();
  if (fields.PASSWORD !== undefined) credential.password = fields.PASSWORD;
  if (fields.ENABLE !== undefined) credential.enable = fields.ENABLE;
  if (fields.KEY_PASSPHRASE !== undefined) credential.passphrase = fields.KEY_PASSPHRASE;
  if (fields.TOKEN !== undefined) credential.token = fields.TOKEN.trim();
  if (fields.KEY !== undefined && fields.KEY_FILE !== undefined) {
    throw new ValidationError(
      `both ${credentialEnvVariable(name, 'KEY')} and ${credentialEnvVariable(name, 'KEY_FILE')} are set`,
      'give the key once: its contents in _KEY, or its path in _KEY_FILE',
    );
  }
  if (fields.KEY !== undefined) {
    // CI variables often arrive with literal \n or CRLF line ends
    credential.privateKey = normaliseKey(fields.KEY.includes('\n') ? fields.KEY : fields.KEY.replace(/\\n/g, '\n'));
    credential.keySource = credentialEnvVariable(name, 'KEY');
  } else if (fields.KEY_FILE !== undefined) {
    const path = resolve(cwd, fields.KEY_FILE.trim());
    try {
      credential.privateKey = normaliseKey(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ValidationError(
        `cannot read the key file of ${credentialEnvVariable(name, 'KEY_FILE')} (${path}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        'give the path of a readable private key file, or its contents in _KEY',
      );
    }
    credential.keySource = path;
  }
  if (credential.token === undefined && credential.username === undefined) {
    throw new ValidationError(
      `credential '${name}' from the environment has no username`,
      `set ${credentialEnvVariable(name, 'USERNAME')} (and _PASSWORD, _KEY or _KEY_FILE)`,
    );
  }
  if (credential.passphrase !== undefined && credential.privateKey === undefined) {
    throw new ValidationError(`${credentialEnvVariable(name, 'KEY_PASSPHRASE')} is set without a key`, `set ${credentialEnvVariable(name, 'KEY')} or _KEY_FILE as well`);
  }
  return credential;
}

/** Names of credentials the environment defines on its own (by a `_USERNAME` or `_TOKEN`), lower-cased with `-` for `_`. */
export function environmentCredentialStems(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const [stem, fields] of scanCredentialEnvironment(env)) if (fields.USERNAME !== undefined || fields.TOKEN !== undefined) out.push(stem);
  return out.sort();
}

function normaliseKey(text: string): string {
  const key = text.replace(/\r\n?/g, '\n').trim();
  return key + '\n';
}
