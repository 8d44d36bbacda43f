import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { SshError } from './errors.js';
import type { ExecResult, NegotiatedAlgorithmNames, SshConnection } from './types.js';

export const DEFAULT_SHELL = { cols: 511, rows: 24, term: 'vt100' } as const;

const CLOSE_GRACE_MS = 2000;

function closedPromise(client: Client): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

/** Ends politely, and destroys the socket when the peer does not answer the disconnect. */
async function endAndWait(client: Client, closed: Promise<void>): Promise<void> {
  client.end();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, CLOSE_GRACE_MS);
  });
  await Promise.race([closed, grace]);
  clearTimeout(timer);
}

/** An authenticated SSH connection, possibly at the end of a chain of jump hosts. */
export class Ssh2Connection implements SshConnection {
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly channels = new Set<ClientChannel>();
  private readonly targetClosed: Promise<void>;
  private readonly hopsClosed: Promise<void>[];

  constructor(
    readonly label: string,
    readonly fingerprint: string,
    readonly connectMs: number,
    private readonly client: Client,
    /** jump hosts, first hop first */
    private readonly hops: Client[],
    signal?: AbortSignal,
    readonly negotiated?: NegotiatedAlgorithmNames,
    readonly loginBanner?: string,
  ) {
    this.targetClosed = closedPromise(client);
    this.hopsClosed = hops.map(closedPromise);
    const onAbort = () => void this.close();
    client.once('close', () => {
      this.closed = true;
      signal?.removeEventListener('abort', onAbort);
      // the chain exists only for the target: when it goes, the hops go too
      for (const hop of [...hops].reverse()) hop.end();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  }

  private closedError(): SshError | undefined {
    return this.closed || this.closing ? new SshError('unreachable', `connection to ${this.label} is closed`) : undefined;
  }

  openShell(options: { cols?: number; rows?: number; term?: string } = {}): Promise<Duplex> {
    const closed = this.closedError();
    if (closed) return Promise.reject(closed);
    const window = {
      term: options.term ?? DEFAULT_SHELL.term,
      cols: options.cols ?? DEFAULT_SHELL.cols,
      rows: options.rows ?? DEFAULT_SHELL.rows,
      width: 0,
      height: 0,
    };
    return new Promise((resolve, reject) => {
      try {
        this.client.shell(window, (err, channel) => {
          if (err) return reject(new SshError('protocol', `${this.label} refused an interactive shell: ${err.message}`, { cause: err }));
          this.track(channel);
          resolve(channel);
        });
      } catch (err) {
        reject(this.lostError(err));
      }
    });
  }

  exec(command: string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const closed = this.closedError();
    if (closed) return Promise.reject(closed);
    return new Promise((resolve, reject) => {
      try {
        this.runExec(command, options, resolve, reject);
      } catch (err) {
        reject(this.lostError(err));
      }
    });
  }

  /** ssh2 throws synchronously when the socket is already gone */
  private lostError(cause: unknown): SshError {
    return new SshError('unreachable', `connection to ${this.label} was lost`, { cause });
  }

  private runExec(
    command: string,
    options: { timeoutMs?: number },
    resolve: (result: ExecResult) => void,
    reject: (err: SshError) => void,
  ): void {
    this.client.exec(command, (err, channel) => {
      if (err) {
        const cls = this.closed ? 'unreachable' : 'protocol';
        return reject(new SshError(cls, `${this.label} refused to run a command: ${err.message}`, { cause: err }));
      }
      this.track(channel);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs && options.timeoutMs > 0) {
        const ms = options.timeoutMs;
        timer = setTimeout(() => {
          channel.destroy();
          reject(new SshError('timeout', `command on ${this.label} did not finish within ${ms} ms`));
        }, ms);
      }
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('exit', (exitCode: number | null) => {
        code = typeof exitCode === 'number' ? exitCode : null;
      });
      channel.on('close', () => {
        clearTimeout(timer);
        if (this.closed && code === null && stdout.length === 0) {
          return reject(new SshError('unreachable', `connection to ${this.label} was lost while a command ran`));
        }
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code });
      });
    });
  }

  private track(channel: ClientChannel): void {
    this.channels.add(channel);
    channel.once('close', () => this.channels.delete(channel));
  }

  /** Ends the target, then each jump host from the last to the first; resolves when all are closed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await endAndWait(this.client, this.targetClosed);
      for (let i = this.hops.length - 1; i >= 0; i--) {
        await endAndWait(this.hops[i] as Client, this.hopsClosed[i] as Promise<void>);
      }
      this.closed = true;
    })();
    return this.closing;
  }
}
