import type { Device } from '../../inventory/types.js';
import type { Db } from '../../store/store.js';

/**
 * The render context, lowest layer first (a later layer wins, key by key at the top level, as
 * Ansible's extra vars do):
 *   1. the device's merged inventory variables (defaults < groups < device, as `device show --vars`)
 *   2. the device's facts (inventory_hostname, platform, …, and Ansible's names for them)
 *   3. --vars files, in the order given
 *   4. --var key=value
 */

/** The facts a device contributes, under NetStacks' and Ansible's names. */
export function deviceFacts(device: Device): Record<string, unknown> {
  return {
    inventory_hostname: device.name,
    inventory_hostname_short: device.name.split('.')[0] ?? device.name,
    name: device.name,
    host: device.host,
    platform: device.platform,
    site: device.site,
    role: device.role,
    vendor: device.vendor,
    model: device.model,
    tags: [...device.tags],
    groups: [...device.groups],
    ansible_host: device.host,
    ansible_network_os: device.platform,
    group_names: [...device.groups].sort(),
  };
}

/** Names `--device` puts in the context besides the device's own variables. */
export const DEVICE_FACT_NAMES: readonly string[] = [
  'inventory_hostname', 'inventory_hostname_short', 'name', 'host', 'platform', 'site', 'role', 'vendor', 'model', 'tags', 'groups',
  'ansible_host', 'ansible_network_os', 'group_names', 'hostvars',
];

/** One device's layer: its merged variables, then its facts. */
export function deviceLayer(device: Device, variables: Record<string, unknown>): Record<string, unknown> {
  return { ...variables, ...deviceFacts(device) };
}

/**
 * `hostvars`: every inventory device's variables and facts by name. Each entry is built on first
 * access, so a template reading one neighbour does not pay for the whole inventory.
 */
export function lazyHostvars(devices: readonly Device[], variablesOf: (device: Device) => Record<string, unknown>): Record<string, Record<string, unknown>> {
  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const device of devices) {
    let built: Record<string, unknown> | undefined;
    Object.defineProperty(hostvars, device.name, {
      enumerable: true,
      configurable: true,
      get: () => (built ??= deviceLayer(device, variablesOf(device))),
    });
  }
  return hostvars;
}

export interface DeviceContextOptions {
  /** include `hostvars` (the whole inventory); only worth it when the template reads it */
  hostvars?: boolean;
}

/** The context layer for rendering against `device` (layers 1 and 2 above, plus hostvars). */
export async function deviceContext(db: Db, device: Device, options: DeviceContextOptions = {}): Promise<Record<string, unknown>> {
  const [layer] = await deviceContexts(db, [device], options);
  return layer as Record<string, unknown>;
}

/**
 * The same for many devices (a stack over a fleet): groups and the inventory are loaded once, and
 * one `hostvars` object, built entry by entry as templates read it, is shared by all of them.
 */
export async function deviceContexts(db: Db, devices: readonly Device[], options: DeviceContextOptions = {}): Promise<Record<string, unknown>[]> {
  const { variableMerger, listDevices } = await import('../../inventory/index.js');
  const merge = await variableMerger(db);
  const hostvars = options.hostvars ? lazyHostvars(await listDevices(db), (d) => merge(d).variables) : undefined;
  return devices.map((device) => {
    const layer = deviceLayer(device, merge(device).variables);
    if (hostvars) layer.hostvars = hostvars;
    return layer;
  });
}

/** Merges context layers, lowest first; a later layer's top-level keys replace earlier ones. */
export function mergeContext(layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      const descriptor = Object.getOwnPropertyDescriptor(layer, key);
      if (descriptor) Object.defineProperty(context, key, { ...descriptor, configurable: true, enumerable: true });
    }
  }
  return context;
}
