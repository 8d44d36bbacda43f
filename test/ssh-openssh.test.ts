import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshError, connectSsh, fetchHostKey, type SshConnectOptions } from '../src/ssh/index.js';
import { sshdUnavailable, startSshd, type Sshd } from './helpers/sshd.js';

const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping OpenSSH transport tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('against a real OpenSSH server (linux platform)', () => {
  let sshd: Sshd;
  let legacySshd: Sshd;
  let gexSshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ns-ssh-openssh-'));
    [sshd, legacySshd] = await Promise.all([
      startSshd(),
      startSshd(['KexAlgorithms diffie-hellman-group14-sha1', 'Ciphers aes128-cbc', 'MACs hmac-sha1']),
    ]);
    gexSshd = await startSshd(['KexAlgorithms diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256']);
  });
  afterAll(async () => {
    await Promise.all([sshd?.stop(), legacySshd?.stop(), gexSshd?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function options(server: Sshd, auth: Partial<SshConnectOptions['auth']>, extra: Partial<SshConnectOptions> = {}): SshConnectOptions {
    return {
      label: 'linux1',
      host: server.host,
      port: server.port,
      auth: { username: server.username, ...auth },
      hostKeys: { knownHostsFile: join(dir, 'known_hosts'), strict: false },
      timeouts: { connect: 3000, banner: 3000, auth: 3000 },
      ...extra,
    };
  }

  it('logs in with a key and runs commands through the exec channel', async () => {
    const conn = await connectSsh(options(sshd, { privateKey: sshd.clientKey }));
    try {
      expect(conn.fingerprint).toBe(sshd.fingerprint);
      const who = await conn.exec('id -un; echo err >&2; exit 7');
      expect(who).toEqual({ stdout: `${sshd.username}\n`, stderr: 'err\n', code: 7 });
    } finally {
      await conn.close();
    }
  });

  it('logs in with a password and gets a PTY shell of the requested width', async () => {
    const conn = await connectSsh(options(sshd, { password: sshd.password }));
    try {
      const shell = await conn.openShell();
      let out = '';
      shell.on('data', (d: Buffer) => (out += d.toString()));
      shell.write('stty size; echo T$TERM; exit\n');
      await new Promise((resolve) => shell.once('close', resolve));
      expect(out).toContain('24 511');
      expect(out).toContain('Tvt100');
    } finally {
      await conn.close();
    }
  });

  it('refuses a wrong password as an auth failure', async () => {
    const err = await connectSsh(options(sshd, { password: 'definitely-wrong' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshError);
    expect((err as SshError).errorClass).toBe('auth');
  });

  it('fetchHostKey returns the key sshd serves', async () => {
    const key = await fetchHostKey(sshd.host, sshd.port);
    expect(key.fingerprint).toBe(sshd.fingerprint);
  });

  it('reaches a legacy-only sshd (group14-sha1, aes128-cbc, hmac-sha1) only with legacy algorithms', async () => {
    const refused = await connectSsh(options(legacySshd, { privateKey: sshd.clientKey })).catch((e: unknown) => e);
    expect((refused as SshError).errorClass).toBe('protocol');
    expect((refused as SshError).hint).toContain('enable legacy algorithms');
    const conn = await connectSsh(options(legacySshd, { privateKey: legacySshd.clientKey }, { legacyAlgorithms: true }));
    try {
      expect((await conn.exec('echo ok')).stdout).toBe('ok\n');
      expect(conn.negotiated).toEqual({ kex: 'diffie-hellman-group14-sha1', hostKey: 'ssh-ed25519', cipher: 'aes128-cbc', mac: 'hmac-sha1' });
    } finally {
      await conn.close();
    }
  });

  it('prefers a fixed DH group to group exchange (whose prime check blocks for seconds)', async () => {
    const conn = await connectSsh(options(gexSshd, { privateKey: gexSshd.clientKey }));
    try {
      expect(conn.negotiated?.kex).toBe('diffie-hellman-group14-sha256');
    } finally {
      await conn.close();
    }
  });
});
