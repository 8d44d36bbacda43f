import type { Duplex } from 'node:stream';
import type { Algorithms, Client } from 'ssh2';
import { algorithmOption, offersOnlyLegacy } from './algorithms.js';
import { buildAuthHandler, parsePrivateKey } from './auth.js';
import { SshError, classifyError } from './errors.js';
import { checkHostKey, type CheckedHostKey } from './host-key-check.js';
import { ServerHelloSniffer, type ServerHello } from './server-hello.js';
import type { Ssh2 } from './ssh2-module.js';
import { interrupted } from './tcp.js';
import type { HostKeyPolicy, NegotiatedAlgorithmNames, SshEndpoint } from './types.js';

export interface HandshakeParams {
  endpoint: SshEndpoint;
  label: string;
  hostKeys: HostKeyPolicy;
  /** banner: socket open → server identification line; auth: identification → authenticated */
  timeouts: { banner: number; auth: number };
  keepalive?: { intervalMs: number; countMax: number };
  signal?: AbortSignal;
  /** replaces the known_hosts policy (fetchHostKey): throw to stop the handshake */
  inspectHostKey?: (blob: Buffer) => CheckedHostKey;
}

export interface AuthenticatedHop {
  client: Client;
  label: string;
  hostKey: CheckedHostKey;
  negotiated?: NegotiatedAlgorithmNames;
  /** pre-login banner sent by the server */
  banner?: string;
}

const NEGOTIATION_CLASSES: Array<{ pattern: RegExp; what: string; list: keyof Omit<ServerHello, 'ident'> }> = [
  { pattern: /key exchange/i, what: 'key exchange algorithm', list: 'kex' },
  { pattern: /host key/i, what: 'host key algorithm', list: 'serverHostKey' },
  { pattern: /cipher/i, what: 'cipher', list: 'cipher' },
  { pattern: /mac/i, what: 'MAC algorithm', list: 'hmac' },
];

function negotiationError(err: Error, p: HandshakeParams, hello: ServerHello | undefined): SshError {
  const match = /no matching (.+)$/i.exec(err.message);
  const cls = match ? NEGOTIATION_CLASSES.find((c) => c.pattern.test(match[1] ?? '')) : undefined;
  if (!cls) return new SshError('protocol', `SSH handshake with ${p.label} failed: ${err.message}`, { cause: err });
  const offered = hello?.[cls.list] ?? [];
  const legacyOnly = !p.endpoint.legacyAlgorithms && offersOnlyLegacy(offered);
  return new SshError(
    'protocol',
    `SSH handshake with ${p.label} failed: no common ${cls.what}` +
      (offered.length ? ` (the server offers: ${offered.join(', ')})` : ''),
    {
      cause: err,
      hint: legacyOnly
        ? 'the server offers only legacy algorithms: enable legacy algorithms for this device (legacy_algorithms: true)'
        : undefined,
    },
  );
}

/**
 * An explicit agent is always used. $SSH_AUTH_SOCK only when the credential has no password or key
 * of its own: every agent key counts against the device's auth-try limit (3 on many IOS boxes), so
 * a few agent keys would lock out the credential's password before it was tried.
 */
function agentSocketFor(auth: SshEndpoint['auth']): string | undefined {
  if (auth.agent) return auth.agent;
  if (auth.password !== undefined || auth.privateKey !== undefined) return undefined;
  return process.env.SSH_AUTH_SOCK || undefined;
}

/**
 * Runs SSH over an already-open stream (a TCP socket, or a channel through a jump host): key
 * exchange, host key policy, authentication. ssh2's own readyTimeout is off; the banner and auth
 * phases get separate timers so the error says which one stalled.
 */
export async function handshakeOver(ssh2: Ssh2, sock: Duplex, p: HandshakeParams): Promise<AuthenticatedHop> {
  const { endpoint, label } = p;
  let algorithms: Algorithms;
  let auth: ReturnType<typeof buildAuthHandler>;
  try {
    const key = parsePrivateKey(ssh2, endpoint.auth, label);
    algorithms = await algorithmOption(endpoint.legacyAlgorithms === true);
    auth = buildAuthHandler(endpoint.auth, key, agentSocketFor(endpoint.auth));
  } catch (err) {
    sock.destroy();
    throw err;
  }

  return new Promise((resolve, reject) => {
    if (p.signal?.aborted) {
      sock.destroy();
      return reject(interrupted(label));
    }
    const client = new ssh2.Client();
    let settled = false;
    let hostKey: CheckedHostKey | undefined;
    let hostKeyError: SshError | undefined;
    let negotiated: NegotiatedAlgorithmNames | undefined;
    let banner: string | undefined;
    let timer: NodeJS.Timeout | undefined;

    const fail = (err: SshError) => {
      if (settled) return;
      settled = true;
      cleanup();
      client.destroy();
      sock.destroy();
      reject(err);
    };
    const startTimer = (ms: number, makeError: () => SshError) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(makeError()), ms);
    };
    const sniffer = new ServerHelloSniffer(() =>
      startTimer(
        p.timeouts.auth,
        () =>
          new SshError('timeout', `authentication with ${label} did not complete within ${p.timeouts.auth} ms`, {
            // a stall in key exchange is a connection problem; once credentials went out, it is not
            retryable: auth.methodsTried.length === 0,
          }),
      ),
    );
    const onData = (chunk: Buffer) => {
      sniffer.push(chunk);
      if (sniffer.done) sock.off('data', onData);
    };
    const onAbort = () => fail(interrupted(label));
    const cleanup = () => {
      clearTimeout(timer);
      sock.off('data', onData);
      p.signal?.removeEventListener('abort', onAbort);
    };

    const translate = (err: Error): SshError => {
      if (hostKeyError) return hostKeyError;
      const cls = classifyError(err);
      const credentialsSent = auth.methodsTried.length > 0;
      switch (cls) {
        case 'auth':
          return new SshError(
            'auth',
            auth.methodsTried.length
              ? `authentication failed for ${endpoint.auth.username}@${label} (tried ${auth.methodsTried.join(', ')})`
              : `no usable authentication method for ${endpoint.auth.username}@${label}: the credential has no password, key or agent the server accepts`,
            { cause: err, hint: 'check the credential attached to this device' },
          );
        case 'unreachable':
        case 'timeout':
          return new SshError(cls, `connection to ${label} (${endpoint.host}:${endpoint.port}) failed: ${err.message}`, {
            cause: err,
            retryable: !credentialsSent,
          });
        case 'protocol':
          return negotiationError(err, p, sniffer.hello);
        default:
          return new SshError(cls, `${label}: ${err.message}`, { cause: err });
      }
    };

    // A paused stream lets the sniffer listen without switching it to flowing mode before ssh2
    // has attached its own reader (ssh2 resumes it once ready): no byte reaches only one of us.
    sock.pause();
    sock.on('data', onData);
    startTimer(p.timeouts.banner, () =>
      new SshError('timeout', `${label} (${endpoint.host}:${endpoint.port}) sent no SSH banner within ${p.timeouts.banner} ms`, {
        retryable: true,
      }),
    );
    p.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({ client, label, hostKey: hostKey as CheckedHostKey, negotiated, ...(banner !== undefined ? { banner } : {}) });
    });
    client.on('banner', (message: string) => {
      banner = (banner ?? '') + message;
    });
    client.once('handshake', (n) => {
      negotiated = { kex: n.kex, hostKey: n.serverHostKey, cipher: n.cs.cipher, mac: n.cs.mac };
    });
    // stays attached after 'ready': an unhandled 'error' event would crash the process
    client.on('error', (err: Error) => fail(translate(err)));
    client.on('close', () => {
      if (auth.methodsTried.length > 0) {
        // devices commonly hang up on bad credentials instead of answering "failure"
        return fail(
          new SshError('auth', `${label} closed the connection during authentication of ${endpoint.auth.username} (tried ${auth.methodsTried.join(', ')})`, {
            hint: 'check the credential attached to this device',
          }),
        );
      }
      fail(
        new SshError('unreachable', `${label} (${endpoint.host}:${endpoint.port}) closed the connection before authentication`, {
          retryable: true,
        }),
      );
    });

    client.connect({
      sock,
      username: endpoint.auth.username,
      readyTimeout: 0,
      ...(p.keepalive && p.keepalive.intervalMs > 0 ? { keepaliveInterval: p.keepalive.intervalMs, keepaliveCountMax: p.keepalive.countMax } : {}),
      algorithms,
      authHandler: auth.handler,
      hostVerifier: (blob: Buffer): boolean => {
        try {
          hostKey = p.inspectHostKey
            ? p.inspectHostKey(blob)
            : checkHostKey(p.hostKeys, endpoint.host, endpoint.port, blob, label);
          return true;
        } catch (err) {
          hostKeyError =
            err instanceof SshError ? err : new SshError('host-key', `host key check for ${label} failed`, { cause: err });
          return false;
        }
      },
    });
  });
}
