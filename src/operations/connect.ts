import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { homeFiles } from '../core/paths.js';
import { connectSsh } from '../ssh/index.js';
import type { SshAuth, SshConnectOptions, SshConnection } from '../ssh/types.js';
import { getPlatform } from '../platforms/index.js';
import type { PlatformDefinition } from '../platforms/types.js';
import { createTranscript, openDeviceSession } from '../session/index.js';
import type { DeviceSession, TranscriptSink } from '../session/types.js';
import type { ConnectionPlan } from '../inventory/types.js';
import type { CredentialSecrets } from '../credentials/index.js';
import type { CredentialCache } from './credentials-cache.js';
import type { OperationEnv } from './types.js';
import { resolveJumpHosts } from './jump-hosts.js';
import { applyClientConfig } from './client-config.js';
import { detectPlatformOver } from './autodetect.js';
import { NoCredentialError } from './errors.js';

export interface ConnectDeps {
  env: OperationEnv;
  credentials: CredentialCache;
  /** connection plans of inventory devices, for jump hosts named by device */
  planFor(name: string): ConnectionPlan | undefined;
}

export interface OpenedSession {
  plan: ConnectionPlan;
  connection: SshConnection;
  session: DeviceSession;
  platform: PlatformDefinition;
  /** the platform came from `platform: autodetect` */
  detected: boolean;
  /** TCP connect to authenticated, ms */
  connectMs: number;
  /** authenticated to the first prompt (login screens, paging off), ms */
  sessionMs: number;
  /** leave politely: the platform's close commands, then disconnect */
  close(): Promise<void>;
  /** disconnect at once (Ctrl-C, timeout, failure) */
  abort(): Promise<void>;
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

export function authFor(secrets: CredentialSecrets, plan: ConnectionPlan): SshAuth {
  return {
    username: secrets.username,
    ...(secrets.password !== undefined ? { password: secrets.password, keyboardInteractive: true } : {}),
    ...(secrets.privateKey !== undefined ? { privateKey: secrets.privateKey } : {}),
    ...(secrets.passphrase !== undefined ? { passphrase: secrets.passphrase } : {}),
    ...(plan.platform === 'paloalto_panos' ? { keyboardInteractive: true } : {}),
  };
}

async function loadSecrets(plan: ConnectionPlan, deps: ConnectDeps): Promise<CredentialSecrets> {
  if (!plan.credential) throw new NoCredentialError(plan.device);
  return deps.credentials.get(plan.credential);
}

/** SSH options for a plan: address, credential, host-key policy, timeouts, jump hosts, ~/.ssh/config. */
export async function sshOptionsFor(plan: ConnectionPlan, deps: ConnectDeps, signal?: AbortSignal): Promise<SshConnectOptions> {
  const secrets = await loadSecrets(plan, deps);
  const client = await applyClientConfig(plan, authFor(secrets, plan), deps.env.sshConfigFile);
  const options: SshConnectOptions = {
    label: plan.device,
    host: client.host,
    port: client.port,
    auth: client.auth,
    legacyAlgorithms: plan.ssh.legacyAlgorithms ?? false,
    hostKeys: { knownHostsFile: homeFiles.knownHosts(deps.env.home), strict: deps.env.strictHostKeys },
    timeouts: { connect: ms(plan.timeouts.connect), auth: ms(plan.timeouts.auth), banner: ms(plan.timeouts.banner) },
    attempts: 2,
    ...(deps.env.settings.keepalive.intervalS > 0
      ? { keepalive: { intervalMs: ms(deps.env.settings.keepalive.intervalS), countMax: deps.env.settings.keepalive.countMax } }
      : {}),
    ...(signal ? { signal } : {}),
  };
  const chain = plan.ssh.jumpHosts && plan.ssh.jumpHosts.length > 0 ? plan.ssh.jumpHosts : client.proxyJump;
  if (chain.length > 0) {
    options.jumpHosts = await resolveJumpHosts(chain, client.auth, {
      plan: (name) => deps.planFor(name),
      auth: async (hop) => authFor(await loadSecrets(hop, deps), hop),
      ...(deps.env.sshConfigFile !== undefined ? { sshConfigFile: deps.env.sshConfigFile } : {}),
    });
  }
  return options;
}

async function transcriptFor(plan: ConnectionPlan, secrets: CredentialSecrets, logDir: string | undefined): Promise<TranscriptSink | undefined> {
  if (!logDir) return undefined;
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = join(logDir, `${plan.device.replace(/[^\w.@-]/g, '_')}.log`);
  return createTranscript(file, [secrets.password, secrets.enable, secrets.passphrase].filter((s): s is string => Boolean(s)));
}

/**
 * The one connect path of every device operation: credential, SSH (with jump hosts, host-key
 * policy and legacy algorithms), platform (autodetected when asked), session with transcript.
 * Aborting `signal` at any point disconnects and makes the pending step reject.
 */
export async function openSessionFor(
  plan: ConnectionPlan,
  deps: ConnectDeps,
  options: { signal?: AbortSignal; progress?: (message: string) => void } = {},
): Promise<OpenedSession> {
  const { signal, progress } = options;
  const secrets = await loadSecrets(plan, deps);
  const sshOptions = await sshOptionsFor(plan, deps, signal);
  progress?.('connecting');
  const connection = await connectSsh(sshOptions);
  let transcript: TranscriptSink | undefined;
  const abort = async (): Promise<void> => {
    await connection.close().catch(() => undefined);
    await transcript?.close().catch(() => undefined);
  };
  const onAbort = (): void => void abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw signal.reason;
    let platform: PlatformDefinition;
    let detected = false;
    if (plan.platform === 'autodetect') {
      progress?.('detecting platform');
      platform = await detectPlatformOver(connection, ms(plan.timeouts.command));
      detected = true;
    } else {
      platform = getPlatform(plan.platform);
    }
    transcript = await transcriptFor(plan, secrets, deps.env.logDir);
    progress?.('waiting for prompt');
    const t0 = performance.now();
    const session = await openDeviceSession(connection, {
      device: plan.device,
      platform,
      secrets: { username: secrets.username, password: secrets.password, enable: secrets.enable },
      commandTimeoutMs: ms(plan.timeouts.command),
      loginTimeoutMs: ms(plan.timeouts.prompt),
      ...(transcript ? { transcript } : {}),
    });
    const sessionMs = Math.round(performance.now() - t0);
    const closeTimeoutMs = Math.min(ms(plan.timeouts.command), 5000);
    return {
      plan,
      connection,
      session,
      platform,
      detected,
      connectMs: connection.connectMs,
      sessionMs,
      abort,
      close: async () => {
        signal?.removeEventListener('abort', onAbort);
        await withTimeout(session.close(), closeTimeoutMs).catch(() => undefined);
        await abort();
      },
    };
  } catch (error) {
    signal?.removeEventListener('abort', onAbort);
    await abort();
    throw signal?.aborted ? signal.reason : error;
  }
}

/**
 * Opens a session, runs `work`, and always disconnects: politely after success, at once after a
 * failure or when the signal aborts mid-work.
 */
export async function withDeviceSession<T>(
  plan: ConnectionPlan,
  deps: ConnectDeps,
  context: { signal?: AbortSignal; progress?: (message: string) => void },
  work: (opened: OpenedSession) => Promise<T>,
): Promise<T> {
  const opened = await openSessionFor(plan, deps, context);
  const onAbort = (): void => void opened.abort();
  context.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await work(opened);
    await opened.close();
    return result;
  } catch (error) {
    await opened.abort();
    throw context.signal?.aborted ? context.signal.reason : error;
  } finally {
    context.signal?.removeEventListener('abort', onAbort);
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('close timed out')), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}
