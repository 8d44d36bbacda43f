import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, fetchHostKey, lookupHostKey, type SshConnectOptions, type SshEndpoint } from '../src/ssh/index.js';
import { generateHostKey, startTestServer, type TestServer } from './helpers/ssh-server.js';
import { sshFailure } from './helpers/ssh-failure.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-ssh-net-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(host: string, port: number, extra: Partial<SshConnectOptions> = {}): SshConnectOptions {
  return {
    label: 'sw1',
    host,
    port,
    auth: { username: 'admin', password: 'secret' },
    hostKeys: { knownHostsFile: join(dir, `kh_${port}`), strict: false },
    timeouts: { connect: 2000, banner: 2000, auth: 2000 },
    retryBaseMs: 20,
    ...extra,
  };
}

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP and then says nothing, or says something that is not SSH. */
async function silentServer(reply?: string): Promise<{ server: Server; port: number; accepted: () => number }> {
  let accepted = 0;
  const sockets: Socket[] = [];
  const server = createServer((sock) => {
    accepted++;
    sockets.push(sock);
    if (reply) sock.end(reply);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, accepted: () => accepted };
}

describe('connection failures', () => {
  it('a refused port is unreachable, and is retried with backoff', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await sshFailure(connectSsh(options('127.0.0.1', port, { attempts: 3 })));
    expect(err.errorClass).toBe('unreachable');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain('after 3 attempts');
    // two backoffs of ~20 and ~40 ms (±25 %)
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('a server that never speaks SSH is a banner timeout, retried as a connection failure', async () => {
    const silent = await silentServer();
    try {
      const err = await sshFailure(
        connectSsh(options('127.0.0.1', silent.port, { attempts: 2, timeouts: { connect: 1000, banner: 150, auth: 1000 } })),
      );
      expect(err.errorClass).toBe('timeout');
      expect(err.message).toMatch(/no SSH banner within 150 ms/);
      expect(silent.accepted()).toBe(2);
    } finally {
      silent.server.close();
    }
  });

  it('a server that stalls after its banner is an auth-phase timeout, retried while no credential was sent', async () => {
    const stalled = await silentServer();
    stalled.server.removeAllListeners('connection');
    let accepted = 0;
    stalled.server.on('connection', (sock: Socket) => {
      accepted++;
      sock.write('SSH-2.0-Stalled_1.0\r\n');
      stalled.server.once('close', () => sock.destroy());
    });
    try {
      const err = await sshFailure(
        connectSsh(options('127.0.0.1', stalled.port, { attempts: 2, timeouts: { connect: 1000, banner: 1000, auth: 150 } })),
      );
      expect(err.errorClass).toBe('timeout');
      expect(err.message).toMatch(/authentication with sw1 did not complete within 150 ms/);
      expect(accepted).toBe(2);
    } finally {
      stalled.server.close();
    }
  });

  it('a connection closed before the handshake is unreachable', async () => {
    const rude = await silentServer('HTTP/1.0 400 Bad Request\r\n\r\n');
    try {
      const err = await sshFailure(connectSsh(options('127.0.0.1', rude.port)));
      expect(err.errorClass).toBe('unreachable');
    } finally {
      rude.server.close();
    }
  });

  it('an unroutable address times out at the TCP connect stage', async () => {
    // TEST-NET-1 is never routed; on hosts without a default route this is EHOSTUNREACH/ENETUNREACH instead
    const err = await sshFailure(connectSsh(options('192.0.2.1', 22, { timeouts: { connect: 100, banner: 1000, auth: 1000 } })));
    expect(['timeout', 'unreachable']).toContain(err.errorClass);
    if (err.errorClass === 'timeout') expect(err.message).toContain('TCP connect');
  });

  it('does not retry an authentication failure', async () => {
    const server = await startTestServer({ password: 'right' });
    try {
      const err = await sshFailure(
        connectSsh(options(server.host, server.port, { attempts: 4, auth: { username: 'admin', password: 'wrong' } })),
      );
      expect(err.errorClass).toBe('auth');
      expect(server.stats.connections).toBe(1);
      // one password try, one keyboard-interactive try (the server offers only password, so it is skipped)
      expect(server.stats.authAttempts).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('an aborted signal rejects with interrupted and leaves no connection open', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const pending = connectSsh(options('127.0.0.1', silent.port, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 50);
      const err = await sshFailure(pending);
      expect(err.errorClass).toBe('interrupted');
      expect(err.exitCode).toBe(130);
    } finally {
      silent.server.close();
    }
  });
});

describe('many connections', () => {
  it('30 concurrent connections share one signal without listener warnings, and abort closes them', async () => {
    const server = await startTestServer();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const conns = await Promise.all(
        Array.from({ length: 30 }, () => connectSsh(options(server.host, server.port, { signal: controller.signal }))),
      );
      expect(new Set(conns.map((c) => c.fingerprint))).toEqual(new Set([server.fingerprint]));
      controller.abort();
      await expect.poll(() => server.stats.closed, { timeout: 3000 }).toBe(30);
      await expect(conns[0]?.exec('x')).rejects.toThrow(/closed/);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await server.close();
    }
  });
});

describe('legacy algorithms', () => {
  let legacy: TestServer;
  beforeAll(async () => {
    legacy = await startTestServer({
      hostKey: generateHostKey('rsa'),
      algorithms: {
        kex: ['diffie-hellman-group1-sha1'],
        cipher: ['aes128-cbc', '3des-cbc'],
        serverHostKey: ['ssh-rsa'],
        hmac: ['hmac-sha1'],
      },
    });
  });
  afterAll(() => legacy.close());

  it('fails with a hint naming the missing class when legacy algorithms are off', async () => {
    const err = await sshFailure(connectSsh(options(legacy.host, legacy.port)));
    expect(err.errorClass).toBe('protocol');
    expect(err.message).toContain('no common key exchange algorithm');
    expect(err.message).toContain('diffie-hellman-group1-sha1');
    expect(err.hint).toContain('enable legacy algorithms for this device');
  });

  it('connects when legacy algorithms are on', async () => {
    const conn = await connectSsh(options(legacy.host, legacy.port, { legacyAlgorithms: true }));
    expect(conn.fingerprint).toBe(legacy.fingerprint);
    expect((await conn.exec('show ver')).stdout).toBe('echo show ver\n');
    await conn.close();
  });

  it('a modern server still negotiates modern algorithms with legacy on', async () => {
    const modern = await startTestServer({ algorithms: { cipher: ['aes128-gcm@openssh.com', 'aes128-cbc'] } });
    try {
      const conn = await connectSsh(options(modern.host, modern.port, { legacyAlgorithms: true }));
      await conn.close();
    } finally {
      await modern.close();
    }
  });
});

describe('jump hosts', () => {
  let jump1: TestServer;
  let jump2: TestServer;
  let target: TestServer;
  beforeAll(async () => {
    jump1 = await startTestServer({ username: 'j1', password: 'p1', allowForwarding: true });
    jump2 = await startTestServer({ username: 'j2', password: 'p2', allowForwarding: true });
    target = await startTestServer({ username: 'admin', password: 'secret' });
  });
  afterAll(async () => {
    await Promise.all([jump1.close(), jump2.close(), target.close()]);
  });

  const hop = (server: TestServer, username: string, password: string): SshEndpoint => ({
    host: server.host,
    port: server.port,
    auth: { username, password },
  });

  it('reaches the target through two hops, each authenticated and host-key checked', async () => {
    const opts = options(target.host, target.port, { jumpHosts: [hop(jump1, 'j1', 'p1'), hop(jump2, 'j2', 'p2')] });
    const conn = await connectSsh(opts);
    expect(conn.fingerprint).toBe(target.fingerprint);
    expect((await conn.exec('show clock')).stdout).toBe('echo show clock\n');
    expect(jump1.stats.forwards).toBe(1);
    expect(jump2.stats.forwards).toBe(1);
    const file = opts.hostKeys.knownHostsFile;
    expect(lookupHostKey(file, jump1.host, jump1.port)[0]?.fingerprint).toBe(jump1.fingerprint);
    expect(lookupHostKey(file, jump2.host, jump2.port)[0]?.fingerprint).toBe(jump2.fingerprint);
    await conn.close();
    // closing the target closes the chain: every server sees its client leave
    await expect.poll(() => jump1.stats.connections > 0 && openClients(jump1) === 0).toBe(true);
  });

  it('fetchHostKey reads the target key through the chain', async () => {
    const file = join(dir, 'fetch_via_jump');
    const attemptsBefore = target.stats.authAttempts;
    const key = await fetchHostKey(target.host, target.port, { jumpHosts: [hop(jump1, 'j1', 'p1')], knownHostsFile: file });
    expect(key.fingerprint).toBe(target.fingerprint);
    expect(target.stats.authAttempts).toBe(attemptsBefore);
    expect(lookupHostKey(file, jump1.host, jump1.port)).toHaveLength(1);
  });

  it('an auth failure on a hop names the hop', async () => {
    const opts = options(target.host, target.port, { jumpHosts: [hop(jump1, 'j1', 'bad')] });
    const err = await sshFailure(connectSsh(opts));
    expect(err.errorClass).toBe('auth');
    expect(err.message).toContain(`jump host ${jump1.host}:${jump1.port}`);
  });

  it('a target the last hop cannot reach is unreachable', async () => {
    const port = await closedPort();
    const err = await sshFailure(connectSsh(options('127.0.0.1', port, { jumpHosts: [hop(jump1, 'j1', 'p1')] })));
    expect(err.errorClass).toBe('unreachable');
    expect(err.message).toContain('cannot reach sw1');
  });
});

function openClients(server: TestServer): number {
  return server.stats.connections - server.stats.closed;
}
