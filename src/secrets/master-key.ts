import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { SecretsError } from '../core/errors.js';
import { homeFiles } from '../core/paths.js';

export interface MasterKey {
  material: string;
  /** where the key came from, for messages: never the key itself */
  source: string;
}

/**
 * The vault's master key: $NETSTACKS_MASTER_KEY, else the key file in the home folder. The key
 * file holds 32 random bytes as hex text, so `NETSTACKS_MASTER_KEY=$(cat master.key)` is the same
 * key. It is created only when `create` is set (a new vault); an existing vault without its key
 * must fail rather than silently get a different key.
 */
export function resolveMasterKey(home: string, options: { create: boolean; env?: NodeJS.ProcessEnv }): MasterKey | undefined {
  const env = options.env ?? process.env;
  const fromEnv = env.NETSTACKS_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { material: fromEnv, source: 'NETSTACKS_MASTER_KEY' };

  const file = homeFiles.masterKey(home);
  const existing = readKeyFile(file);
  if (existing !== undefined) return { material: existing, source: `key file ${file}` };
  if (!options.create) return undefined;
  createKeyFile(file);
  const created = readKeyFile(file);
  if (created === undefined) throw new SecretsError(`cannot create the master key file ${file}`);
  return { material: created, source: `key file ${file}` };
}

function readKeyFile(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretsError(`cannot read the master key file ${file}: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SecretsError(
      `the master key file ${file} is accessible by other users (mode ${(mode & 0o777).toString(8)})`,
      `restrict it with 'chmod 600 ${file}', or set NETSTACKS_MASTER_KEY instead`,
    );
  }
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') throw new SecretsError(`the master key file ${file} is empty`, 'restore it from a backup, or set NETSTACKS_MASTER_KEY to the key used before');
  return text;
}

/** Write to a private temporary file, then hard-link it into place: link() fails if another
 * process created the key first, so two first runs never end up with different keys. */
function createKeyFile(file: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretsError(`cannot create the master key file ${file}: ${(error as Error).message}`, undefined, error);
    }
  } finally {
    unlinkSync(temp);
  }
}
