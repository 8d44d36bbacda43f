import type { Db } from '../store/store.js';
import type { Device } from './types.js';
import { DEFAULTS_GROUP } from './groups.js';
import { byPrecedence, parseObject } from './rows.js';

/**
 * Variable inheritance, lowest layer first (a later layer wins):
 *   1. the `defaults` group's variables (it applies to every device; membership is not needed)
 *   2. the device's groups, in ascending priority, then name
 *   3. the device's own variables
 * Mappings merge key by key, at any depth; any other value (lists included) replaces the lower one.
 */

export interface VariableLayer {
  /** 'defaults', 'group:NAME' or 'device' */
  name: string;
  variables: Record<string, unknown>;
}

export interface MergedVariables {
  variables: Record<string, unknown>;
  /** for each top-level key, the last layer that set it */
  origin: Record<string, string>;
}

export async function mergedVariables(db: Db, device: Device): Promise<MergedVariables> {
  const [merged] = await mergedVariablesFor(db, [device]);
  return merged as MergedVariables;
}

/** The same for many devices, loading the groups once. */
export async function mergedVariablesFor(db: Db, devices: readonly Device[]): Promise<MergedVariables[]> {
  const merge = await variableMerger(db);
  return devices.map(merge);
}

/**
 * Loads the groups once and returns a synchronous merge for one device, for callers that merge
 * only the devices they end up needing (template `hostvars` over a large inventory).
 */
export async function variableMerger(db: Db): Promise<(device: Device) => MergedVariables> {
  const rows = await db.selectFrom('groups').select(['name', 'priority', 'variables']).execute();
  const groups = new Map(rows.map((r) => [r.name, { name: r.name, priority: r.priority, variables: parseObject(r.variables) }]));
  const defaults = groups.get(DEFAULTS_GROUP);
  return (device) => {
    const layers: VariableLayer[] = [];
    if (defaults) layers.push({ name: DEFAULTS_GROUP, variables: defaults.variables });
    const memberOf = device.groups
      .filter((name) => name !== DEFAULTS_GROUP)
      .map((name) => groups.get(name))
      .filter((g) => g !== undefined)
      .sort(byPrecedence);
    for (const group of memberOf) layers.push({ name: `group:${group.name}`, variables: group.variables });
    layers.push({ name: 'device', variables: device.variables });
    return mergeLayers(layers);
  };
}

export function mergeLayers(layers: readonly VariableLayer[]): MergedVariables {
  let variables: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const layer of layers) {
    variables = deepMerge(variables, layer.variables);
    for (const key of Object.keys(layer.variables)) origin[key] = layer.name;
  }
  return { variables, origin };
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] = isMapping(current) && isMapping(value) ? deepMerge(current, value) : value;
  }
  return result;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
