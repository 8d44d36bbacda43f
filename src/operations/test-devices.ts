import { connect as tcpConnect } from 'node:net';
import type { RunSummary } from '../runner/types.js';
import { withDeviceSession } from './connect.js';
import { fanOutOverTargets } from './fan-out.js';
import { resolveTargets } from './targets.js';
import type { FanOutRequest, OperationEnv } from './types.js';
import { NetstacksError } from '../core/errors.js';

export interface DeviceTestReport {
  host: string;
  port: number;
  /** TCP handshake alone, ms; absent behind jump hosts */
  tcpMs?: number;
  /** TCP connect to authenticated, ms */
  connectMs: number;
  /** authenticated to a usable prompt, ms */
  promptMs: number;
  prompt: 'ok';
  platform: string;
  /** true when the platform was autodetected */
  detected: boolean;
  /** the pre-login banner the device sent during SSH authentication, if any */
  banner?: string;
  /** round trip of one short command in the session, ms */
  latencyMs: number;
  latencyCommand: string;
  fingerprint: string;
}

class TcpError extends NetstacksError {
  constructor(readonly errorClass: 'unreachable' | 'timeout', message: string) {
    super(`tcp_${errorClass}`, message, { exit: 'network' });
  }
}

/** Plain TCP connect time: tells "port closed" from "SSH failed" and measures the network alone. */
function measureTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = tcpConnect({ host, port, noDelay: true });
    const done = (error?: Error): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(Math.round((performance.now() - t0) * 10) / 10);
    };
    const onAbort = (): void => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => done(new TcpError('timeout', `TCP connect to ${host}:${port} timed out`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (error: NodeJS.ErrnoException) => done(new TcpError('unreachable', `TCP connect to ${host}:${port} failed: ${error.code ?? error.message}`)));
  });
}

/** `netstacks device test`: TCP, SSH auth, prompt, platform and latency per device. */
export async function testDevices(env: OperationEnv, request: FanOutRequest<DeviceTestReport>): Promise<RunSummary<DeviceTestReport>> {
  const targets = request.targets ?? (await resolveTargets(env, request));
  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const direct = !plan.ssh.jumpHosts || plan.ssh.jumpHosts.length === 0;
    context.progress('tcp');
    const tcpMs = direct ? await measureTcp(plan.host, plan.port, plan.timeouts.connect * 1000, context.signal) : undefined;
    return withDeviceSession(plan, deps, context, async (opened) => {
      const latencyCommand = opened.platform.detect[0]?.command ?? '';
      context.progress('latency');
      const t0 = performance.now();
      await opened.session.send(latencyCommand);
      const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      return {
        host: plan.host,
        port: plan.port,
        ...(tcpMs !== undefined ? { tcpMs } : {}),
        connectMs: Math.round(opened.connectMs * 10) / 10,
        promptMs: opened.sessionMs,
        prompt: 'ok' as const,
        platform: opened.platform.name,
        detected: opened.detected,
        latencyMs,
        latencyCommand,
        fingerprint: opened.connection.fingerprint,
        ...(opened.connection.loginBanner?.trim() ? { banner: opened.connection.loginBanner.replace(/\r\n?/g, '\n').trimEnd() } : {}),
      };
    });
  }, 3);
}
