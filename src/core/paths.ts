import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

/**
 * Where NetStacks keeps its state: --home, else $NETSTACKS_HOME, else $XDG_DATA_HOME/netstacks,
 * else ~/.local/share/netstacks.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.NETSTACKS_HOME) return resolve(env.NETSTACKS_HOME);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'netstacks');
}

export function ensureHome(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

export const homeFiles = {
  database: (home: string) => join(home, 'netstacks.db'),
  vault: (home: string) => join(home, 'vault.json'),
  masterKey: (home: string) => join(home, 'master.key'),
  knownHosts: (home: string) => join(home, 'known_hosts'),
  labState: (home: string) => join(home, 'lab', 'state.json'),
  labDir: (home: string) => join(home, 'lab'),
  logs: (home: string) => join(home, 'logs'),
};
