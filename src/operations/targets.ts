import { getDevice, listDevices, resolveConnectionPlans, type ConnectionDefaults } from '../inventory/index.js';
import { selectDevices } from '../inventory/selection/index.js';
import type { ConnectionPlan, Device } from '../inventory/types.js';
import { getPlatform } from '../platforms/index.js';
import { NoDevicesError } from './errors.js';
import type { OperationEnv } from './types.js';

/** The devices an operation runs on, with their connection plans, and those it must skip. */
export interface Targets {
  /** devices to run on, inventory order */
  plans: ConnectionPlan[];
  /** disabled devices and devices without a credential, with the reason */
  skipped: Array<{ device: string; reason: string }>;
  /** every selected device name (run and skipped), for progress displays */
  names: string[];
  /** plan of any inventory device a selected device uses as a jump host */
  planFor(name: string): ConnectionPlan | undefined;
}

export function connectionDefaults(env: OperationEnv): ConnectionDefaults {
  return {
    timeouts: env.settings.timeouts,
    explicitSettings: env.settings.explicit,
    platformTimeouts: (platform) => {
      try {
        return getPlatform(platform).timeouts;
      } catch {
        return undefined;
      }
    },
  };
}

async function selected(env: OperationEnv, request: { on?: string; names?: string[] }): Promise<{ devices: Device[]; all: Device[] }> {
  const all = await listDevices(env.db);
  if (request.names && request.names.length > 0) {
    const byName = new Map(all.map((d) => [d.name, d]));
    const devices: Device[] = [];
    for (const name of request.names) devices.push(byName.get(name) ?? (await getDevice(env.db, name)));
    return { devices, all };
  }
  // like every --on command: no selection means the whole inventory
  const devices = selectDevices(all, request.on);
  if (devices.length === 0) throw new NoDevicesError(request.on);
  return { devices, all };
}

export async function resolveTargets(env: OperationEnv, request: { on?: string; names?: string[] }): Promise<Targets> {
  const { devices, all } = await selected(env, request);
  const defaults = connectionDefaults(env);
  const plans = await resolveConnectionPlans(env.db, devices, defaults);

  const jumpNames = new Set(plans.flatMap((p) => p.ssh.jumpHosts ?? []));
  const known = new Map(plans.map((p) => [p.device, p]));
  const jumpDevices = all.filter((d) => jumpNames.has(d.name) && !known.has(d.name));
  for (const plan of await resolveConnectionPlans(env.db, jumpDevices, defaults)) known.set(plan.device, plan);

  const runnable: ConnectionPlan[] = [];
  const skipped: Targets['skipped'] = [];
  for (const plan of plans) {
    if (plan.skipReason) skipped.push({ device: plan.device, reason: plan.skipReason });
    else if (!plan.credential) skipped.push({ device: plan.device, reason: 'no credential (set one on the device, a group, or a default)' });
    else runnable.push(plan);
  }
  return { plans: runnable, skipped, names: plans.map((p) => p.device), planFor: (name) => known.get(name) };
}
