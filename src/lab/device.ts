import { sign as cryptoSign, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AuthContext, Connection, ParsedKey, Server, ServerConfig } from 'ssh2';
import { loadSsh2, type Ssh2 } from '../ssh/ssh2-module.js';
import { LAB_PASSWORD, LAB_USERNAME, labClientKey } from './credentials.js';
import type { DeviceHostKey, HostKeyStore } from './hostkeys.js';
import type { DeviceIdentity, Personality, Shell } from './personality.js';
import { acceptDirectTcpip } from './forwarding.js';
import { ExecShell, InteractiveShell, type ShellFaults } from './shell.js';
import { labReload } from './reload.js';
import type { LabDevice, LabHostKey } from './types.js';

/** the pre-login banner of the login-banner quirk: prompt lookalikes included, as real ones have */
export const LOGIN_BANNER = '*** Authorized access only: activity is logged ***\r\nrouter# and switch> are not prompts here\r\n';

/** Algorithms an old IOS box offers, and nothing newer. */
export const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa'],
  hmac: ['hmac-sha1'],
};

export interface RuntimeContext {
  hostKeys: HostKeyStore;
  minuteMs: number;
  pageLines: number;
  /** how long a reloading device drops new connections */
  reloadMs: number;
  control: (device: DeviceRuntime, line: string) => string | undefined;
}

export function faultParameter(faults: readonly string[], name: string): number | undefined {
  const fault = faults.find((f) => f === name || f.startsWith(name + ':'));
  if (fault === undefined) return undefined;
  const value = fault.split(':')[1];
  return value === undefined ? NaN : Number(value);
}

export const hasFault = (faults: readonly string[], name: string) => faultParameter(faults, name) !== undefined;

let ssh2: Ssh2;

/**
 * Loads ssh2 the way the client does (with its fast Curve25519/Ed25519 key handling, see
 * src/ssh/ssh2-module.ts) before any device takes a connection: the lab's side of every
 * handshake is as cheap as the client's.
 */
export async function prepareLabSsh2(): Promise<void> {
  ssh2 ??= await loadSsh2();
}

/** One simulated device: its identity, config state (created at start, or on first use), and SSH server. */
export class DeviceRuntime {
  connectionCount = 0;
  /** the one-shot drop fault: the next shell to reach this many config lines loses its connection */
  pendingDrop?: { afterConfigLines: number };
  /** while reloading (a `reload` answered yes): new connections are dropped until this time */
  private downUntil = 0;
  private stateValue: unknown;
  private server?: Server;
  private readonly openSockets = new Set<Socket>();

  constructor(
    readonly device: LabDevice,
    readonly id: DeviceIdentity,
    readonly personality: Personality,
    private readonly context: RuntimeContext,
  ) {
  }

  private get clientPublicKey(): ParsedKey {
    return labClientPublicKey();
  }

  state(): unknown {
    this.stateValue ??= this.personality.initialState(this.id);
    return this.stateValue;
  }

  runningConfig(): string {
    return this.personality.runningConfig(this.state(), this.id);
  }

  /**
   * Builds what the first connection would otherwise build (the config state, the SSH server with
   * its imported host key), so a device answers its first session as fast as its later ones, as a
   * real device does. The state is a pure function of the identity, so building it early changes
   * nothing else. Multi-megabyte big configs stay lazy: most labs never read them.
   */
  prepare(): void {
    if (!this.id.bigConfig) this.state();
    try {
      this.server ??= this.createServer();
    } catch {
      // accept() tries again and turns the failure into a reset for that connection
    }
  }

  /** Back to the default config; open sessions see it too, since they hold the same object. */
  reset(): void {
    this.id.ops = {};
    if (this.stateValue === undefined || this.stateValue === null || typeof this.stateValue !== 'object') return;
    const current = this.stateValue as Record<string, unknown>;
    const timer = current.confirmTimer;
    if (timer) clearTimeout(timer as NodeJS.Timeout);
    // the device-side safety nets' timers (IOS revert timer, EOS commit timers) die with the state
    const revert = current.revert as { timer?: NodeJS.Timeout } | undefined;
    if (revert?.timer) clearTimeout(revert.timer);
    const sessions = current.sessions as Map<string, { pending?: { timer: NodeJS.Timeout } }> | undefined;
    sessions?.forEach((entry) => entry.pending && clearTimeout(entry.pending.timer));
    this.pendingDrop = undefined;
    for (const key of Object.keys(current)) delete current[key];
    Object.assign(current, this.personality.initialState(this.id));
  }

  setFaults(faults: string[]): void {
    this.device.faults = faults;
    this.server = undefined;
  }

  private legacyOnly(): boolean {
    return hasFault(this.device.faults, 'legacy-only');
  }

  private currentHostKey(): DeviceHostKey {
    if (this.legacyOnly()) return this.context.hostKeys.rsa(this.device.name);
    return this.context.hostKeys.ed25519(this.device.name, hasFault(this.device.faults, 'changed-host-key') ? 'changed' : '');
  }

  hostKeys(): { normal: LabHostKey; presented: LabHostKey } {
    const normal = this.legacyOnly() ? this.context.hostKeys.rsa(this.device.name) : this.context.hostKeys.ed25519(this.device.name);
    return { normal: normal.info, presented: this.currentHostKey().info };
  }

  /** Hands an accepted TCP connection to this device's SSH server. */
  accept(socket: Socket): void {
    socket.setNoDelay(true);
    if (Date.now() < this.downUntil) {
      socket.destroy();
      return;
    }
    this.connectionCount++;
    this.track(socket);
    this.coalesceWrites(socket);
    try {
      this.server ??= this.createServer();
      this.server.injectSocket(socket);
    } catch {
      // A broken device must not take the lab down; its client sees a reset.
      socket.destroy();
    }
  }

  /**
   * A clean device (no quirks, no faults) answers a line with its echo, the output and the next
   * prompt in three SSH packets; corking the socket from the client's packet until the event loop
   * turns sends them in one TCP write, which halves the lab's (and its client's) per-command
   * system calls. The bytes are the same; only their segmentation changes. Quirky or faulty
   * devices keep one write per packet: their chunking and mid-output drops are the point.
   */
  private coalesceWrites(socket: Socket): void {
    let corked = false;
    const flush = () => {
      corked = false;
      if (!socket.destroyed) socket.uncork();
    };
    socket.on('data', () => {
      if (corked || this.device.quirks.length > 0 || this.device.faults.length > 0) return;
      corked = true;
      socket.cork();
      setImmediate(flush);
    });
  }

  private track(socket: Socket): void {
    this.openSockets.add(socket);
    socket.once('close', () => this.openSockets.delete(socket));
  }

  closeConnections(): void {
    for (const socket of this.openSockets) socket.destroy();
    this.openSockets.clear();
  }

  private createServer(): Server {
    const config: ServerConfig = {
      hostKeys: [{ key: fastSigningKey(this.currentHostKey()) } as unknown as ServerConfig['hostKeys'][number]],
      ident: `SSH-2.0-${this.personality.sshSoftware}`,
    };
    // sent during authentication, before any shell: what `device test` shows as the pre-login banner
    if (this.device.quirks.includes('login-banner')) config.banner = LOGIN_BANNER;
    if (this.legacyOnly()) config.algorithms = { ...LEGACY_ALGORITHMS, compress: ['none'] } as ServerConfig['algorithms'];
    const server = new ssh2.Server(config, (connection) => this.onConnection(connection));
    server.on('error', () => undefined);
    return server;
  }

  private onConnection(connection: Connection): void {
    let username = LAB_USERNAME;
    connection.on('error', () => undefined);
    connection.on('authentication', (ctx) => {
      if (this.authenticate(ctx)) {
        username = ctx.username;
      }
    });
    connection.on('ready', () => {
      // Linux boxes are the bastions of a network: they forward, network OSes do not.
      if (this.device.platform === 'linux') acceptDirectTcpip(connection, (socket) => this.track(socket));
      connection.on('session', (accept) => {
        const session = accept();
        let pty: { cols: number; rows: number } | undefined;
        session.on('pty', (acceptPty, _reject, info) => {
          pty = { cols: info.cols, rows: info.rows };
          acceptPty?.();
        });
        session.on('window-change', (acceptChange) => acceptChange?.());
        session.on('env', (acceptEnv) => acceptEnv?.());
        session.on('shell', (acceptShell) => {
          const channel = acceptShell();
          try {
            const shell = new InteractiveShell(channel, this.shellOptions(username, connection, pty?.rows));
            shell.run().catch(() => channel.close());
          } catch {
            channel.close();
          }
        });
        session.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          if (!channel) return;
          const shell = new ExecShell(this.shellOptions(username, connection), /^(% |bash: |syntax error|unknown command|Unknown |Invalid |Command fail)/m);
          void shell.run(channel, info.command).catch(() => channel.close());
        });
      });
    });
  }

  private shellOptions(username: string, connection: Connection, _rows?: number) {
    const faults = this.device.faults;
    const shellFaults: ShellFaults = {
      latencyMs: hasFault(faults, 'latency') ? faultParameter(faults, 'latency') || 300 : 0,
      dropMidCommand: hasFault(faults, 'drop-mid-command'),
      hangAfterLogin: hasFault(faults, 'hang-after-login'),
    };
    return {
      id: this.id,
      personality: this.personality,
      state: () => this.state(),
      username,
      quirks: this.device.quirks,
      faults: shellFaults,
      minuteMs: this.context.minuteMs,
      // Devices page at 24 lines whatever the client's window says, like a default vty.
      pageLines: this.context.pageLines,
      dropConnection: () => socketOf(connection)?.destroy(),
      control: (line: string) => this.context.control(this, line),
      // one shell takes the pending drop: the reconnect that follows is not dropped
      takeDrop: () => {
        const drop = this.pendingDrop;
        this.pendingDrop = undefined;
        return drop;
      },
      reload: (line: string, shell: Shell) =>
        labReload(this.device.platform, line, shell, () => {
          this.downUntil = Date.now() + this.context.reloadMs;
          // let the goodbye reach the client before the line goes dead
          setTimeout(() => this.closeConnections(), 20);
        }),
    };
  }

  private authenticate(ctx: AuthContext): boolean {
    const rejectAll = hasFault(this.device.faults, 'auth-failure');
    const methods: AuthContext['method'][] = ['password', 'keyboard-interactive', 'publickey'];
    const reject = () => {
      ctx.reject(methods as never);
      return false;
    };
    if (ctx.username !== LAB_USERNAME) {
      if (ctx.method === 'keyboard-interactive') {
        ctx.prompt([{ prompt: 'Password: ', echo: false }], () => ctx.reject());
        return false;
      }
      return reject();
    }
    switch (ctx.method) {
      case 'password':
        if (!rejectAll && safeEqual(ctx.password, LAB_PASSWORD)) {
          ctx.accept();
          return true;
        }
        return reject();
      case 'keyboard-interactive':
        ctx.prompt([{ prompt: 'Password: ', echo: false }], 'Keyboard-interactive authentication', (answers) => {
          if (!rejectAll && safeEqual(answers[0] ?? '', LAB_PASSWORD)) ctx.accept();
          else ctx.reject(methods as never);
        });
        return true;
      case 'publickey': {
        const key = this.clientPublicKey;
        if (rejectAll || ctx.key.algo !== key.type || !ctx.key.data.equals(key.getPublicSSH())) return reject();
        if (!ctx.signature || !ctx.blob) {
          ctx.accept();
          return true;
        }
        if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) {
          ctx.accept();
          return true;
        }
        return reject();
      }
      default:
        return reject();
    }
  }
}

let clientPublicKey: ParsedKey | undefined;
function labClientPublicKey(): ParsedKey {
  if (!clientPublicKey) {
    const parsed = ssh2.utils.parseKey(labClientKey().publicKey);
    if (parsed instanceof Error) throw parsed;
    clientPublicKey = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  }
  return clientPublicKey;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * ssh2 signs with the PEM text, which OpenSSL re-imports on every handshake (~1 ms each); signing
 * with a KeyObject imported once makes the handshake cheap enough for hundreds of devices.
 */
function fastSigningKey(hostKey: DeviceHostKey): ParsedKey {
  const parsed = ssh2.utils.parseKey(hostKey.privateKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  const keyObject = hostKey.keyObject();
  const original = key.sign.bind(key);
  const defaultHash = key.type === 'ssh-rsa' ? 'sha1' : null;
  (key as { sign: ParsedKey['sign'] }).sign = (data: Buffer, algo?: string) => {
    try {
      return cryptoSign(algo ?? defaultHash, data, keyObject);
    } catch {
      return original(data, algo);
    }
  };
  return key;
}

function socketOf(connection: Connection): Socket | undefined {
  return (connection as unknown as { _sock?: Socket })._sock;
}
