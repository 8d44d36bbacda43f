import { NotFoundError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import type { DeviceRowUpdate } from '../store/schema.js';
import type { Db } from '../store/store.js';
import type { DeviceInput } from './types.js';
import {
  optionalText, validHost, validName, validNetboxId, validPlatform, validPort, validSource, validSsh, validTags, validVariables,
} from './validate.js';

export const DEFAULT_PLATFORM = 'cisco_ios';
export const DEFAULT_PORT = 22;

/** Names of credentials and groups resolved to ids from maps loaded once, so bulk writes do no lookups per row. */
export interface NameResolver {
  credentialId(name: string): number;
  groupId(name: string): number;
}

export async function loadNameResolver(db: Db): Promise<NameResolver> {
  const [credentials, groups] = await Promise.all([
    db.selectFrom('credentials').select(['id', 'name']).execute(),
    db.selectFrom('groups').select(['id', 'name']).execute(),
  ]);
  const credentialIds = new Map(credentials.map((r) => [r.name, r.id]));
  const groupIds = new Map(groups.map((r) => [r.name, r.id]));
  return {
    credentialId(name) {
      const id = credentialIds.get(name);
      if (id === undefined) throw new NotFoundError('credential', name, nearest(name, [...credentialIds.keys()]));
      return id;
    },
    groupId(name) {
      const id = groupIds.get(name);
      if (id === undefined) throw new NotFoundError('group', name, nearest(name, [...groupIds.keys()]));
      return id;
    },
  };
}

/**
 * Validated column values for the fields present in `input` (undefined = leave alone, null or ''
 * = clear). `device` names the device in error messages.
 */
export function deviceColumns(device: string, input: Partial<DeviceInput>, names: NameResolver): DeviceRowUpdate {
  const columns: DeviceRowUpdate = {};
  if (input.name !== undefined) columns.name = validName('device', input.name);
  if (input.host !== undefined) columns.host = validHost(device, input.host);
  if (input.port !== undefined) columns.port = validPort(device, input.port);
  if (input.platform !== undefined) columns.platform = validPlatform(device, input.platform);
  if (input.site !== undefined) columns.site = optionalText(input.site);
  if (input.role !== undefined) columns.role = optionalText(input.role);
  if (input.vendor !== undefined) columns.vendor = optionalText(input.vendor);
  if (input.model !== undefined) columns.model = optionalText(input.model);
  if (input.description !== undefined) columns.description = optionalText(input.description);
  if (input.tags !== undefined) columns.tags = JSON.stringify(validTags(device, input.tags));
  if (input.variables !== undefined) columns.variables = JSON.stringify(validVariables(`device '${device}'`, input.variables));
  if (input.ssh !== undefined) columns.ssh = JSON.stringify(validSsh(`device '${device}'`, input.ssh));
  if (input.credential !== undefined) {
    const credential = optionalText(input.credential);
    columns.credential_id = credential === null ? null : names.credentialId(credential);
  }
  if (input.enabled !== undefined) columns.enabled = input.enabled ? 1 : 0;
  if (input.source !== undefined) columns.source = validSource(device, input.source);
  if (input.netboxId !== undefined) columns.netbox_id = validNetboxId(device, input.netboxId);
  return columns;
}

/** What an upsert needs: a name, plus the fields to set (host is required only for a new device). */
export type DeviceUpsert = Partial<DeviceInput> & { name: string };

/** Full column values for a new device, with defaults for everything not given. */
export function newDeviceColumns(input: DeviceUpsert, names: NameResolver, source: string, now: string) {
  const name = validName('device', input.name);
  const given = deviceColumns(name, input, names);
  return {
    name,
    host: validHost(name, input.host),
    port: given.port ?? DEFAULT_PORT,
    platform: given.platform ?? DEFAULT_PLATFORM,
    site: given.site ?? null,
    role: given.role ?? null,
    vendor: given.vendor ?? null,
    model: given.model ?? null,
    description: given.description ?? null,
    tags: given.tags ?? '[]',
    variables: given.variables ?? '{}',
    ssh: given.ssh ?? '{}',
    credential_id: given.credential_id ?? null,
    enabled: given.enabled ?? 1,
    source: given.source ?? source,
    netbox_id: given.netbox_id ?? null,
    missing_since: null,
    last_synced_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** Distinct group names, validated against the resolver, in the order given. */
export function groupIdsFor(groups: readonly string[], names: NameResolver): number[] {
  const ids: number[] = [];
  for (const group of groups) {
    const id = names.groupId(validName('group', group));
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
