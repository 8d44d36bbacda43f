import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { SshError } from './errors.js';
import { handshakeOver, type AuthenticatedHop, type HandshakeParams } from './handshake.js';
import type { Ssh2 } from './ssh2-module.js';
import { forwardThrough, interrupted, tcpConnect } from './tcp.js';
import type { SshConnectOptions, SshEndpoint } from './types.js';

export interface OpenedChain {
  target: AuthenticatedHop;
  /** jump hosts, first hop first */
  hops: Client[];
  connectMs: number;
}

export function hopLabel(endpoint: SshEndpoint): string {
  return `jump host ${endpoint.host}:${endpoint.port}`;
}

/**
 * One attempt: TCP to the first endpoint, then each jump host forwards a channel to the next.
 * Each hop authenticates and checks its host key on its own. On failure, everything opened so
 * far is closed.
 */
export async function openChain(
  ssh2: Ssh2,
  options: SshConnectOptions,
  inspectTargetKey?: HandshakeParams['inspectHostKey'],
): Promise<OpenedChain> {
  const endpoints: SshEndpoint[] = [...(options.jumpHosts ?? []), options];
  const labels = endpoints.map((e, i) => (i === endpoints.length - 1 ? options.label : hopLabel(e)));
  const opened: Client[] = [];
  const started = performance.now();
  try {
    let stream: Duplex | undefined;
    for (let i = 0; i < endpoints.length; i++) {
      const endpoint = endpoints[i] as SshEndpoint;
      const label = labels[i] as string;
      const previous = opened[i - 1];
      stream = previous
        ? await forwardThrough(previous, labels[i - 1] as string, endpoint.host, endpoint.port, options.timeouts.connect, label, options.signal)
        : await tcpConnect(endpoint.host, endpoint.port, options.timeouts.connect, label, options.signal);
      const isTarget = i === endpoints.length - 1;
      const hop = await handshakeOver(ssh2, stream, {
        endpoint,
        label,
        hostKeys: options.hostKeys,
        timeouts: options.timeouts,
        ...(options.keepalive ? { keepalive: options.keepalive } : {}),
        signal: options.signal,
        inspectHostKey: isTarget ? inspectTargetKey : undefined,
      });
      if (isTarget) {
        return { target: hop, hops: opened, connectMs: performance.now() - started };
      }
      opened.push(hop.client);
    }
    throw new Error('unreachable: the endpoint list always ends with the target');
  } catch (err) {
    for (const client of opened.reverse()) client.destroy();
    throw err;
  }
}

const RETRY_CAP_MS = 5000;

/** 200 ms × 2^(n-1), ±25 % jitter so a fleet of retries does not arrive in lockstep. */
export function backoffMs(attempt: number, baseMs = 200): number {
  const plain = Math.min(baseMs * 2 ** (attempt - 1), RETRY_CAP_MS);
  return Math.round(plain * (0.75 + Math.random() * 0.5));
}

function sleep(ms: number, label: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted(label));
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted(label));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Retries connection failures only (refused, unreachable, reset or silent before any credential
 * was sent). Auth, host-key and protocol failures fail at once: repeating them would only lock
 * accounts or hide an attack.
 */
export async function openChainWithRetries(ssh2: Ssh2, options: SshConnectOptions): Promise<OpenedChain> {
  const attempts = Math.max(1, options.attempts ?? 1);
  for (let attempt = 1; ; attempt++) {
    try {
      return await openChain(ssh2, options);
    } catch (err) {
      const retryable = err instanceof SshError && err.retryable;
      if (!retryable || attempt >= attempts || options.signal?.aborted) {
        if (retryable && attempts > 1 && err instanceof SshError) {
          throw new SshError(err.errorClass, `${err.message} (after ${attempt} attempts)`, { hint: err.hint, cause: err.cause });
        }
        throw err;
      }
      await sleep(backoffMs(attempt, options.retryBaseMs), options.label, options.signal);
    }
  }
}
