import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { Db } from '../../store/store.js';
import { listDevices } from '../devices.js';
import { listGroups } from '../groups.js';
import { selectDevices } from '../selection/index.js';
import type { Device, Group } from '../types.js';
import { canonicalJson } from './compare.js';
import { CSV_COLUMNS, DEVICE_DEFAULTS, DEVICE_FIELDS, GROUP_DEFAULTS, GROUP_FIELDS, type InventoryFormat } from './document.js';
import { dump } from 'js-yaml';

export interface ExportOptions {
  /** a selection expression: export only the devices it selects (and the groups they are in) */
  on?: string;
}

/**
 * The inventory as YAML or CSV text, devices sorted by name. Fields holding their default are left
 * out of YAML for readability; importing the output back changes nothing.
 */
export async function exportInventory(db: Db, format: InventoryFormat, options: ExportOptions = {}): Promise<string> {
  if (format === 'csv') return devicesToCsv(selectDevices(await listDevices(db), options.on));
  return dump(await exportDocument(db, options), { lineWidth: -1, noRefs: true });
}

/** The YAML export as data: `{devices: [...], groups: [...]}` (for --json, or callers). */
export async function exportDocument(db: Db, options: ExportOptions = {}): Promise<{ devices: Array<Record<string, unknown>>; groups?: Array<Record<string, unknown>> }> {
  const [allDevices, allGroups] = await Promise.all([listDevices(db), listGroups(db)]);
  const devices = selectDevices(allDevices, options.on);
  const used = options.on ? new Set(devices.flatMap((d) => d.groups)) : undefined;
  const groups = used ? allGroups.filter((g) => used.has(g.name)) : allGroups;
  return { devices: devices.map(deviceToEntry), ...(groups.length > 0 ? { groups: groups.map(groupToEntry) } : {}) };
}

export function deviceToEntry(device: Device): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const field of DEVICE_FIELDS) {
    const value = device[field];
    if (field === 'name' || field === 'host' || field === 'platform' || !isDefault(value, DEVICE_DEFAULTS[field])) entry[field] = value;
  }
  return entry;
}

export function groupToEntry(group: Group): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const field of GROUP_FIELDS) {
    const value = group[field];
    if (field === 'name' || !isDefault(value, GROUP_DEFAULTS[field])) entry[field] = value;
  }
  return entry;
}

function isDefault(value: unknown, fallback: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'object') return canonicalJson(value) === canonicalJson(fallback);
  return value === fallback;
}

function devicesToCsv(devices: Device[]): string {
  const rows = devices.map((d) => [
    d.name,
    d.host,
    d.port,
    d.platform,
    d.site ?? '',
    d.role ?? '',
    d.vendor ?? '',
    d.model ?? '',
    d.description ?? '',
    d.tags.join(';'),
    d.groups.join(';'),
    d.credential ?? '',
    d.enabled ? 'true' : 'false',
    Object.keys(d.variables).length === 0 ? '' : JSON.stringify(d.variables),
  ]);
  return stringifyCsv([[...CSV_COLUMNS], ...rows]);
}
