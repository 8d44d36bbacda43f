import { homeFiles } from '../core/paths.js';
import { getDevice, resolveConnectionPlans } from '../inventory/index.js';
import { fetchHostKey } from '../ssh/fetch-host-key.js';
import { lookupHostKey, trustHostKey } from '../ssh/known-hosts.js';
import { InterruptedError } from '../core/errors.js';
import { CredentialCache } from './credentials-cache.js';
import { authFor } from './connect.js';
import { resolveJumpHosts } from './jump-hosts.js';
import { connectionDefaults } from './targets.js';
import type { OperationEnv } from './types.js';

export interface TrustReport {
  device: string;
  host: string;
  port: number;
  /** fingerprints stored before (empty when the host was unknown) */
  previous: string[];
  /** fingerprint of the key the device presents now, now trusted */
  current: string;
  keyType: string;
  /** false when exactly this key was already the trusted one */
  changed: boolean;
}

/**
 * `netstacks device trust NAME`: fetch the key the device presents now and make it the only one
 * trusted for its address. `confirm` is asked before replacing a different stored key.
 */
export async function trustDevice(
  env: OperationEnv,
  name: string,
  options: { confirm?: (previous: string[], current: string) => Promise<boolean>; signal?: AbortSignal } = {},
): Promise<TrustReport> {
  const device = await getDevice(env.db, name);
  const [plan] = await resolveConnectionPlans(env.db, [device], connectionDefaults(env));
  if (!plan) throw new Error(`no connection plan for ${name}`);
  const knownHostsFile = homeFiles.knownHosts(env.home);
  const previous = lookupHostKey(knownHostsFile, plan.host, plan.port).map((k) => k.fingerprint);

  let jumpHosts;
  if (plan.ssh.jumpHosts && plan.ssh.jumpHosts.length > 0) {
    const credentials = new CredentialCache(env);
    const hopPlans = new Map<string, typeof plan>();
    for (const hopName of plan.ssh.jumpHosts) {
      const hopDevice = await getDevice(env.db, hopName).catch(() => undefined);
      if (hopDevice) hopPlans.set(hopName, (await resolveConnectionPlans(env.db, [hopDevice], connectionDefaults(env)))[0]!);
    }
    const targetAuth = plan.credential ? authFor(await credentials.get(plan.credential), plan) : { username: process.env.USER ?? 'root' };
    jumpHosts = await resolveJumpHosts(plan.ssh.jumpHosts, targetAuth, {
      plan: (hop) => hopPlans.get(hop),
      auth: async (hop) => (hop.credential ? authFor(await credentials.get(hop.credential), hop) : { username: targetAuth.username }),
    });
  }

  const fetched = await fetchHostKey(plan.host, plan.port, {
    timeoutMs: (plan.timeouts.connect + plan.timeouts.banner) * 1000,
    legacyAlgorithms: plan.ssh.legacyAlgorithms ?? false,
    label: plan.device,
    ...(jumpHosts ? { jumpHosts, knownHostsFile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const changed = !(previous.length === 1 && previous[0] === fetched.fingerprint);
  if (changed && previous.length > 0 && options.confirm && !(await options.confirm(previous, fetched.fingerprint))) {
    throw new InterruptedError('host key not changed');
  }
  if (changed) trustHostKey(knownHostsFile, plan.host, plan.port, fetched.keyType, fetched.keyBase64);
  return { device: plan.device, host: plan.host, port: plan.port, previous, current: fetched.fingerprint, keyType: fetched.keyType, changed };
}
