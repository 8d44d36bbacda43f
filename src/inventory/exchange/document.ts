import type { DeviceInput, SshOptions } from '../types.js';
import type { GroupInput } from '../groups.js';

export type InventoryFormat = 'yaml' | 'csv';

/** A group as an inventory file declares it. Undefined fields are not declared by the file. */
export type GroupEntry = GroupInput;

/** A device as a file declares it; only a CSV file without a host column leaves out the host. */
export type DeviceEntry = Omit<DeviceInput, 'host'> & { host?: string };

/**
 * A parsed, validated inventory file. Each device entry holds the fields the file declares: a YAML
 * entry declares every field (absent keys mean the default), a CSV file declares its header's
 * columns only, so the fields it has no column for stay as they are.
 */
export interface InventoryDocument {
  file: string;
  format: InventoryFormat;
  devices: DeviceEntry[];
  groups: GroupEntry[];
  /** `file:line:column` of the device entry at `index`, for later messages (may be computed lazily) */
  deviceOrigin(index: number): string;
}

/** Defaults a YAML entry gets for the fields it leaves out (export omits exactly these). */
export const DEVICE_DEFAULTS = {
  port: 22,
  platform: 'cisco_ios',
  site: null,
  role: null,
  vendor: null,
  model: null,
  description: null,
  tags: [] as string[],
  groups: [] as string[],
  credential: null,
  enabled: true,
  variables: {} as Record<string, unknown>,
  ssh: {} as SshOptions,
} satisfies Omit<Required<DeviceInput>, 'name' | 'host' | 'source' | 'netboxId'>;

export const GROUP_DEFAULTS = {
  description: null,
  priority: 0,
  variables: {} as Record<string, unknown>,
  ssh: {} as SshOptions,
  credential: null,
} satisfies Omit<Required<GroupEntry>, 'name'>;

/** The device fields an inventory file can carry, in file order. */
export const DEVICE_FIELDS = [
  'name', 'host', 'port', 'platform', 'site', 'role', 'vendor', 'model', 'description',
  'tags', 'groups', 'credential', 'enabled', 'variables', 'ssh',
] as const;
export type DeviceField = (typeof DEVICE_FIELDS)[number];

export const GROUP_FIELDS = ['name', 'description', 'priority', 'credential', 'variables', 'ssh'] as const;

/** CSV columns, in export order; `ssh` has no column. */
export const CSV_COLUMNS = [
  'name', 'host', 'port', 'platform', 'site', 'role', 'vendor', 'model', 'description',
  'tags', 'groups', 'credential', 'enabled', 'variables',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
