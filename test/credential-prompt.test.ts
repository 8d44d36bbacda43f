import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, tempHome } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { openSecretStore } from '../src/secrets/index.js';
import { loadCredentialSecrets } from '../src/credentials/index.js';

// util-linux `script` gives the CLI a real terminal, so the no-echo prompt path runs.
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const PASSWORD = 'Tty-Canary-Password-5521';
const ENABLE = 'Tty-Canary-Enable-7710';

/** Runs the CLI on a pty, answering each prompt once it appears; returns everything the terminal showed. */
function runOnTerminal(home: string, args: string[], answers: Array<[RegExp, string]>): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    const pending = [...answers];
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (data: Buffer) => {
      screen += data.toString();
      const next = pending[0];
      if (next && next[0].test(screen)) {
        pending.shift();
        child.stdin.write(next[1] + '\r');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, screen });
    });
  });
}

describe.skipIf(!hasScript)('credential add on a terminal (needs util-linux script)', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-prompt-')));
  afterAll(() => cleanup());

  it('asks for password and enable secret without echoing them', async () => {
    const { code, screen } = await runOnTerminal(home, ['credential', 'add', 'tty', '--username', 'bob'], [
      [/Password for bob \(empty for none\): /, PASSWORD],
      [/Enable secret \(empty for none\): /, ENABLE],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain("credential 'tty' added");
    expect(screen).not.toContain(PASSWORD);
    expect(screen).not.toContain(ENABLE);

    const store = await openSqliteStore(join(home, 'netstacks.db'));
    try {
      const secrets = await openSecretStore({ home, store, env: { NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key' } });
      expect(await loadCredentialSecrets(store.db, secrets, 'tty')).toMatchObject({ password: PASSWORD, enable: ENABLE });
    } finally {
      await store.close();
    }
  });

  it('treats empty answers as no secret', async () => {
    const { code, screen } = await runOnTerminal(home, ['credential', 'add', 'keyless', '--username', 'amy'], [
      [/Password for amy/, ''],
      [/Enable secret/, ''],
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/password\s+\S*\s*not set/);
  });
});
