import { connect as netConnect, type AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Algorithms, AuthContext, Connection, ParsedKey, ServerChannel } from 'ssh2';
import { fingerprintOf } from '../../src/ssh/known-hosts.js';

/**
 * A minimal SSH server on 127.0.0.1 for transport tests: configurable auth methods, algorithms
 * and direct-tcpip forwarding (so it can serve as a jump host). Exec answers `echo <cmd>`;
 * `fail` exits 3 with stderr; `hang` never answers. The device simulator proper lives in src/lab.
 */
export interface TestServerOptions {
  username?: string;
  password?: string;
  /** OpenSSH public key line or blob accepted for publickey auth */
  authorizedKey?: string;
  methods?: Array<'password' | 'keyboard-interactive' | 'publickey'>;
  /** host private key (OpenSSH/PEM); a fresh ed25519 key when omitted */
  hostKey?: string;
  algorithms?: Algorithms;
  allowForwarding?: boolean;
  /** drop the TCP connection on a wrong credential instead of answering "failure", as many devices do */
  hangUpOnAuthFailure?: boolean;
  /** bind address, default 127.0.0.1 */
  host?: string;
  port?: number;
}

export interface TestServer {
  host: string;
  port: number;
  hostKeyPrivate: string;
  /** SHA256 fingerprint of the host key */
  fingerprint: string;
  stats: { connections: number; closed: number; authAttempts: number; forwards: number; execs: string[] };
  close(): Promise<void>;
}

/**
 * ssh2's key generator, retried until ssh2 can parse both halves: about 1 ed25519 key in 256 comes
 * out malformed (ssh2 issue #1513, leading zero bytes stripped from the public key).
 */
export function generateKeyPair(
  type: 'ed25519' | 'rsa' = 'ed25519',
  encryption?: { passphrase: string; cipher: string; rounds: number },
): { private: string; public: string } {
  for (;;) {
    const pair = type === 'rsa'
      ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048, ...encryption })
      : encryption
        ? ssh2.utils.generateKeyPairSync('ed25519', encryption)
        : ssh2.utils.generateKeyPairSync('ed25519');
    const parsedPrivate = ssh2.utils.parseKey(pair.private, encryption?.passphrase);
    if (!(parsedPrivate instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

export function generateHostKey(type: 'ed25519' | 'rsa' = 'ed25519'): string {
  return generateKeyPair(type).private;
}

function publicBlobOf(privateKey: string): Buffer {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  const key = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
  return key.getPublicSSH();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkAuth(ctx: AuthContext, options: TestServerOptions, allowedKey: ParsedKey | undefined): void {
  const methods = options.methods ?? ['password'];
  const username = options.username ?? 'admin';
  const password = options.password ?? 'secret';
  const rest = methods as Array<'password' | 'keyboard-interactive' | 'publickey'>;
  if (ctx.method === 'password' && methods.includes('password')) {
    if (ctx.username === username && sameSecret(ctx.password, password)) return ctx.accept();
    return ctx.reject(rest);
  }
  if (ctx.method === 'keyboard-interactive' && methods.includes('keyboard-interactive')) {
    ctx.prompt([{ prompt: 'Password: ', echo: false }], 'Login', 'Authenticate', (answers) => {
      if (ctx.username === username && sameSecret(answers[0] ?? '', password)) ctx.accept();
      else ctx.reject(rest);
    });
    return;
  }
  if (ctx.method === 'publickey' && methods.includes('publickey') && allowedKey) {
    const matches =
      ctx.username === username &&
      ctx.key.algo === allowedKey.type &&
      ctx.key.data.equals(allowedKey.getPublicSSH());
    if (!matches) return ctx.reject(rest);
    if (!ctx.signature) return ctx.accept(); // key is acceptable: the client will now sign
    if (ctx.blob && allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
    return ctx.reject(rest);
  }
  ctx.reject(rest);
}

function serveSession(accept: () => ServerChannel | undefined, stats: TestServer['stats'], kind: 'exec' | 'shell', command?: string): void {
  const channel = accept();
  if (!channel) return;
  if (kind === 'exec') {
    stats.execs.push(command ?? '');
    if (command === 'hang') return;
    if (command === 'fail') {
      channel.stderr.write('failure\n');
      channel.exit(3);
      channel.end();
      return;
    }
    channel.write(`echo ${command}\n`);
    channel.exit(0);
    channel.end();
    return;
  }
  channel.write('test> ');
  channel.on('data', (data: Buffer) => {
    const text = data.toString();
    if (text.includes('exit')) {
      channel.exit(0);
      channel.end();
      return;
    }
    channel.write(`${text.replace(/\r?\n$/, '')}\r\nyou said ${text.trim()}\r\ntest> `);
  });
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const hostKeyPrivate = options.hostKey ?? generateHostKey();
  const fingerprint = fingerprintOf(publicBlobOf(hostKeyPrivate));
  let allowedKey: ParsedKey | undefined;
  if (options.authorizedKey) {
    const parsed = ssh2.utils.parseKey(options.authorizedKey);
    if (parsed instanceof Error) throw parsed;
    allowedKey = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
  }
  const stats: TestServer['stats'] = { connections: 0, closed: 0, authAttempts: 0, forwards: 0, execs: [] };
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKeyPrivate], algorithms: options.algorithms }, (client) => {
    stats.connections++;
    clients.add(client);
    // present at runtime, missing from @types/ssh2's Connection
    (client as unknown as { setNoDelay(v: boolean): void }).setNoDelay(true);
    client.on('error', () => undefined);
    client.on('close', () => {
      stats.closed++;
      clients.delete(client);
    });
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'none') stats.authAttempts++;
      if (options.hangUpOnAuthFailure) ctx.reject = () => client.end();
      checkAuth(ctx, options, allowedKey);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('exec', (accept, _reject, info) => serveSession(accept, stats, 'exec', info.command));
        session.on('shell', (accept) => serveSession(accept, stats, 'shell'));
      });
      client.on('tcpip', (accept, reject, info) => {
        if (!options.allowForwarding) return reject();
        const upstream = netConnect({ host: info.destIP, port: info.destPort });
        upstream.setNoDelay(true);
        upstream.once('error', () => reject());
        upstream.once('connect', () => {
          stats.forwards++;
          const channel = accept();
          channel.pipe(upstream).pipe(channel);
          upstream.on('error', () => channel.destroy());
          channel.on('error', () => upstream.destroy());
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    host: options.host ?? '127.0.0.1',
    port: address.port,
    hostKeyPrivate,
    fingerprint,
    stats,
    close: () =>
      new Promise((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
