import { runFanOut, type RunSummary } from '../runner/index.js';
import type { ConnectionPlan } from '../inventory/types.js';
import { CredentialCache } from './credentials-cache.js';
import type { ConnectDeps } from './connect.js';
import type { Targets } from './targets.js';
import type { FanOutRequest, OperationEnv } from './types.js';

export type DeviceTask<T> = (plan: ConnectionPlan, deps: ConnectDeps, context: { signal: AbortSignal; progress: (message: string) => void }) => Promise<T>;

/**
 * Runs a device task over resolved targets with the shared runner: concurrency from the request
 * or settings, a per-device timeout (given, or the device's own timeouts times the work it does),
 * skipped devices reported up front, messages masked with every credential secret loaded.
 */
export async function fanOutOverTargets<T>(
  env: OperationEnv,
  targets: Targets,
  request: FanOutRequest<T>,
  task: DeviceTask<T>,
  /** how many command timeouts one device may use, beyond connecting */
  commandBudget: number,
): Promise<RunSummary<T>> {
  const credentials = new CredentialCache(env);
  const deps: ConnectDeps = { env, credentials, planFor: targets.planFor };
  const plans = new Map(targets.plans.map((p) => [p.device, p]));
  const timeoutFor = (device: string): number => {
    if (request.timeoutS !== undefined) return Math.round(request.timeoutS * 1000);
    const t = plans.get(device)!.timeouts;
    const hops = 1 + (plans.get(device)!.ssh.jumpHosts?.length ?? 0);
    return Math.round((hops * (t.connect + t.auth + t.banner) + t.prompt + commandBudget * t.command) * 1000);
  };
  return runFanOut(targets.plans.map((p) => p.device), ({ device, signal, progress }) => task(plans.get(device)!, deps, { signal, progress }), {
    concurrency: request.concurrency ?? env.settings.concurrency,
    deviceTimeoutMs: timeoutFor,
    skipped: targets.skipped,
    redact: (message) => credentials.redact(message),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
  });
}
