import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type SshConnectOptions, type SshConnection } from '../src/ssh/index.js';
import { generateKeyPair, startTestServer, type TestServer } from './helpers/ssh-server.js';
import { sshFailure } from './helpers/ssh-failure.js';
import { startSshAgent } from './helpers/sshd.js';

let dir: string;
const open: SshConnection[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-ssh-auth-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(server: TestServer, auth: SshConnectOptions['auth'], extra: Partial<SshConnectOptions> = {}): SshConnectOptions {
  return {
    label: 'r1',
    host: server.host,
    port: server.port,
    auth,
    hostKeys: { knownHostsFile: join(dir, `known_hosts_${server.port}`), strict: false },
    timeouts: { connect: 2000, banner: 2000, auth: 2000 },
    ...extra,
  };
}

async function connected(opts: SshConnectOptions): Promise<SshConnection> {
  const conn = await connectSsh(opts);
  open.push(conn);
  return conn;
}

describe('password and keyboard-interactive', () => {
  let server: TestServer;
  let kbdServer: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ password: 'pw1' });
    kbdServer = await startTestServer({ password: 'pw2', methods: ['keyboard-interactive'] });
  });
  afterAll(async () => {
    await server.close();
    await kbdServer.close();
  });

  it('authenticates with a password and runs a command', async () => {
    const conn = await connected(options(server, { username: 'admin', password: 'pw1' }));
    expect(conn.fingerprint).toBe(server.fingerprint);
    expect(conn.connectMs).toBeGreaterThan(0);
    const result = await conn.exec('show version');
    expect(result).toEqual({ stdout: 'echo show version\n', stderr: '', code: 0 });
    const failed = await conn.exec('fail');
    expect(failed).toEqual({ stdout: '', stderr: 'failure\n', code: 3 });
  });

  it('answers a keyboard-interactive password prompt', async () => {
    const conn = await connected(options(kbdServer, { username: 'admin', password: 'pw2' }));
    expect((await conn.exec('x')).stdout).toBe('echo x\n');
  });

  it('reports a wrong password as an auth error without the password', async () => {
    const err = await sshFailure(connectSsh(options(server, { username: 'admin', password: 'wrong-pw-XYZ' })));
    expect(err.errorClass).toBe('auth');
    expect(err.exitCode).toBe(8);
    expect(err.message).toContain('admin@r1');
    expect(JSON.stringify({ m: err.message, h: err.hint })).not.toContain('wrong-pw-XYZ');
  });

  it('a server that hangs up on a wrong password is an auth failure, not unreachable', async () => {
    const rude = await startTestServer({ password: 'pw', hangUpOnAuthFailure: true });
    try {
      const err = await sshFailure(connectSsh(options(rude, { username: 'admin', password: 'bad' }, { attempts: 3 })));
      expect(err.errorClass).toBe('auth');
      expect(err.message).toContain('closed the connection during authentication');
      expect(rude.stats.connections).toBe(1);
    } finally {
      await rude.close();
    }
  });

  it('opens a wide vt100 shell', async () => {
    const conn = await connected(options(server, { username: 'admin', password: 'pw1' }));
    const shell = await conn.openShell();
    let seen = '';
    await new Promise<void>((resolve) => {
      shell.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('you said hello')) resolve();
      });
      shell.write('hello\n');
    });
    expect(seen).toContain('test> ');
    shell.end();
  });

  it('times out a command that never finishes', async () => {
    const conn = await connected(options(server, { username: 'admin', password: 'pw1' }));
    const err = await sshFailure(conn.exec('hang', { timeoutMs: 150 }));
    expect(err.errorClass).toBe('timeout');
    expect(err.message).toContain('150 ms');
  });

  it('close() resolves once the connection is gone and refuses further use', async () => {
    const conn = await connectSsh(options(server, { username: 'admin', password: 'pw1' }));
    await conn.close();
    await expect(conn.exec('x')).rejects.toThrow(/closed/);
  });
});

describe('private keys', () => {
  const pair = generateKeyPair('ed25519', { passphrase: 'k3y-pass', cipher: 'aes256-ctr', rounds: 4 });
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ methods: ['publickey'], authorizedKey: pair.public });
  });
  afterAll(() => server.close());

  it('authenticates with an encrypted key and its passphrase', async () => {
    const conn = await connected(options(server, { username: 'admin', privateKey: pair.private, passphrase: 'k3y-pass' }));
    expect((await conn.exec('id')).code).toBe(0);
  });

  it('names a wrong passphrase as an auth error, without the key or passphrase', async () => {
    const err = await sshFailure(connectSsh(options(server, { username: 'admin', privateKey: pair.private, passphrase: 'nope-123' })));
    expect(err.errorClass).toBe('auth');
    expect(err.message).toMatch(/wrong passphrase/);
    expect(err.message).not.toContain('nope-123');
  });

  it('refuses a key the server does not know', async () => {
    const other = generateKeyPair('ed25519');
    const err = await sshFailure(connectSsh(options(server, { username: 'admin', privateKey: other.private })));
    expect(err.errorClass).toBe('auth');
    expect(err.message).toContain('tried publickey');
  });
});

describe.skipIf(!existsSync('/usr/bin/ssh-agent'))('ssh-agent (OpenSSH ssh-agent binary)', () => {
  it('authenticates with the key held by the agent', async () => {
    const pair = generateKeyPair('ed25519');
    const server = await startTestServer({ methods: ['publickey'], authorizedKey: pair.public });
    const agent = await startSshAgent(pair.private);
    try {
      const conn = await connected(options(server, { username: 'admin', agent: agent.socketPath }));
      expect((await conn.exec('id')).code).toBe(0);
      expect(server.stats.authAttempts).toBeGreaterThanOrEqual(1);
      // $SSH_AUTH_SOCK serves credentials without a password or key of their own, and only those
      const saved = process.env.SSH_AUTH_SOCK;
      process.env.SSH_AUTH_SOCK = agent.socketPath;
      try {
        await connected(options(server, { username: 'admin' }));
        const err = await sshFailure(connectSsh(options(server, { username: 'admin', password: 'not-the-key' })));
        expect(err.message).toContain('tried password');
        expect(err.message).not.toContain('agent');
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = saved;
      }
    } finally {
      await agent.stop();
      await server.close();
    }
  });
});

describe('known hosts file on success', () => {
  it('writes the key on first use in OpenSSH format', async () => {
    const server = await startTestServer({ password: 'pw' });
    try {
      const opts = options(server, { username: 'admin', password: 'pw' });
      await (await connectSsh(opts)).close();
      const text = readFileSync(opts.hostKeys.knownHostsFile, 'utf8');
      expect(text).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${server.port} ssh-ed25519 [A-Za-z0-9+/=]+\\n$`));
    } finally {
      await server.close();
    }
  });
});
