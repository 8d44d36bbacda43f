import type { Duplex } from 'node:stream';

/** How a device failed, for per-device results. Stable: scripts match on these. */
export type ErrorClass = 'unreachable' | 'auth' | 'timeout' | 'host-key' | 'command-error' | 'protocol' | 'interrupted' | 'no-parser';

export interface SshAuth {
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** path of an ssh-agent socket; defaults to $SSH_AUTH_SOCK when the credential has no password or key */
  agent?: string;
  /** answer keyboard-interactive prompts with the password */
  keyboardInteractive?: boolean;
}

export interface HostKeyPolicy {
  /** NetStacks' own known_hosts file */
  knownHostsFile: string;
  /** refuse unknown keys instead of trusting them on first use */
  strict: boolean;
}

export interface SshEndpoint {
  host: string;
  port: number;
  auth: SshAuth;
  legacyAlgorithms?: boolean;
}

export interface SshConnectOptions extends SshEndpoint {
  /** name used in errors and transcripts */
  label: string;
  hostKeys: HostKeyPolicy;
  /** ProxyJump chain, first hop first */
  jumpHosts?: SshEndpoint[];
  /** milliseconds */
  timeouts: { connect: number; auth: number; banner: number };
  /** SSH keepalives on every hop: a probe every intervalMs; after countMax unanswered the connection closes (0: off) */
  keepalive?: { intervalMs: number; countMax: number };
  /** connection attempts (only for connection failures, never after a command was sent); default 1 */
  attempts?: number;
  /** first retry delay in ms, doubled per attempt with jitter; default 200 */
  retryBaseMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface NegotiatedAlgorithmNames {
  kex: string;
  hostKey: string;
  cipher: string;
  mac: string;
}

export interface SshConnection {
  readonly label: string;
  /** host key fingerprint (SHA256:...) of the target */
  readonly fingerprint: string;
  /** milliseconds from TCP connect to authenticated */
  readonly connectMs: number;
  /** algorithms negotiated with the target (for `device test` and debugging) */
  readonly negotiated?: NegotiatedAlgorithmNames;
  /** the pre-login banner the target sent during authentication (SSH_MSG_USERAUTH_BANNER), if any */
  readonly loginBanner?: string;
  openShell(options?: { cols?: number; rows?: number; term?: string }): Promise<Duplex>;
  exec(command: string, options?: { timeoutMs?: number }): Promise<ExecResult>;
  close(): Promise<void>;
}
