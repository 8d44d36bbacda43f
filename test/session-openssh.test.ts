import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPlatform } from '../src/platforms/index.js';
import { CommandError, createTranscript, openDeviceSession } from '../src/session/index.js';
import { connectSsh } from '../src/ssh/index.js';
import { sshdUnavailable, startSshd, type Sshd } from './helpers/sshd.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping OpenSSH session tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('linux platform sessions on a real OpenSSH server', () => {
  let sshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ns-session-openssh-'));
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs commands, reports failures with stderr, pushes lines and masks the transcript', async () => {
    const connection = await connectSsh({
      label: 'linux1',
      host: sshd.host,
      port: sshd.port,
      auth: { username: sshd.username, password: sshd.password },
      hostKeys: { knownHostsFile: join(dir, 'known_hosts'), strict: false },
      timeouts: { connect: 3000, banner: 3000, auth: 3000 },
    });
    const log = join(dir, 'linux1.log');
    const session = await openDeviceSession(connection, {
      device: 'linux1',
      platform: getPlatform('linux'),
      secrets: { password: sshd.password },
      commandTimeoutMs: 5000,
      transcript: createTranscript(log, [sshd.password]),
    });
    try {
      expect((await session.send('uname -a')).output).toMatch(/^Linux /);
      const error = await session.send('ls /definitely-not-here').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommandError);
      expect((error as CommandError).message).toContain('No such file or directory');
      expect(await session.runningConfig()).toContain('localhost');
      const pushed = await session.pushConfig(['f=$(mktemp) && echo netstacks > "$f" && cat "$f" && rm "$f"', 'true']);
      expect(pushed.output).toBe('netstacks');
      const failed = await session.pushConfig(['true', 'exit 3', 'echo never']).catch((e: unknown) => e);
      expect((failed as CommandError).line).toBe(2);
      await session.send(`echo ${sshd.password}`);
    } finally {
      await session.close();
    }
    const transcript = readFileSync(log, 'utf8');
    expect(transcript).toContain('uname -a');
    expect(transcript).not.toContain(sshd.password);
  });
});
