import { ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { nowIso } from '../core/time.js';
import type { DeviceOverridesTable, OverrideRow } from '../store/schema.js';
import type { Db, Store } from '../store/store.js';
import type { DeviceOverride } from './types.js';
import { credentialIdByName, credentialName, deviceIdByName } from './lookup.js';
import { rowToOverride } from './rows.js';
import { optionalText, validHost, validPlatform, validPort, validTimeout } from './validate.js';

/**
 * Per-device connection overrides: they win over the device, its groups and settings when
 * connecting, without touching the inventory record (which an import or NetBox sync may rewrite).
 * `notes` doubles as the reason shown when the override disables the device.
 */

export interface OverridePatch {
  host?: string | null;
  port?: number | null;
  platform?: string | null;
  credential?: string | null;
  /** seconds */
  connectTimeout?: number | null;
  authTimeout?: number | null;
  bannerTimeout?: number | null;
  promptTimeout?: number | null;
  commandTimeout?: number | null;
  disabled?: boolean;
  notes?: string | null;
}

type OverrideColumn = Exclude<keyof DeviceOverridesTable, 'device_id' | 'updated_at'>;

/** Field names as users write them, with the column each clears. */
const FIELD_COLUMNS: Record<string, OverrideColumn> = {
  host: 'host',
  port: 'port',
  platform: 'platform',
  credential: 'credential_id',
  'connect-timeout': 'connect_timeout',
  'auth-timeout': 'auth_timeout',
  'banner-timeout': 'banner_timeout',
  'prompt-timeout': 'prompt_timeout',
  'command-timeout': 'command_timeout',
  disabled: 'disabled',
  notes: 'notes',
};
export const OVERRIDE_FIELDS = Object.keys(FIELD_COLUMNS);

const EMPTY: Omit<OverrideRow, 'device_id' | 'updated_at'> = {
  host: null, port: null, platform: null, credential_id: null, connect_timeout: null, auth_timeout: null,
  banner_timeout: null, prompt_timeout: null, command_timeout: null, disabled: 0, notes: null,
};

/** The device's override, or undefined when it has none. Unknown device: NotFoundError. */
export async function getOverride(db: Db, device: string): Promise<DeviceOverride | undefined> {
  const deviceId = await deviceIdByName(db, device);
  const row = await db.selectFrom('device_overrides').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
  return row ? rowToOverride(row, device, await credentialName(db, row.credential_id)) : undefined;
}

/**
 * Sets the fields present in `patch` (null clears one), creating the override when needed.
 * Returns undefined when nothing is left set (e.g. only `disabled: false`): no empty rows linger.
 */
export async function setOverride(store: Store, device: string, patch: OverridePatch): Promise<DeviceOverride | undefined> {
  return store.write(async (tx) => {
    const deviceId = await deviceIdByName(tx, device);
    const columns: Partial<Omit<OverrideRow, 'device_id' | 'updated_at'>> = {};
    if (patch.host !== undefined) columns.host = patch.host === null ? null : validHost(device, patch.host);
    if (patch.port !== undefined) columns.port = patch.port === null ? null : validPort(device, patch.port);
    if (patch.platform !== undefined) columns.platform = patch.platform === null ? null : validPlatform(device, patch.platform);
    if (patch.credential !== undefined) {
      const credential = optionalText(patch.credential);
      columns.credential_id = credential === null ? null : await credentialIdByName(tx, credential);
    }
    if (patch.connectTimeout !== undefined) columns.connect_timeout = timeout('connect timeout', patch.connectTimeout);
    if (patch.authTimeout !== undefined) columns.auth_timeout = timeout('auth timeout', patch.authTimeout);
    if (patch.bannerTimeout !== undefined) columns.banner_timeout = timeout('banner timeout', patch.bannerTimeout);
    if (patch.promptTimeout !== undefined) columns.prompt_timeout = timeout('prompt timeout', patch.promptTimeout);
    if (patch.commandTimeout !== undefined) columns.command_timeout = timeout('command timeout', patch.commandTimeout);
    if (patch.disabled !== undefined) columns.disabled = patch.disabled ? 1 : 0;
    if (patch.notes !== undefined) columns.notes = optionalText(patch.notes);
    const updated_at = nowIso();
    await tx
      .insertInto('device_overrides')
      .values({ ...EMPTY, ...columns, device_id: deviceId, updated_at })
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ ...columns, updated_at }))
      .execute();
    const row = await tx.selectFrom('device_overrides').selectAll().where('device_id', '=', deviceId).executeTakeFirstOrThrow();
    if (isEmpty(row)) {
      await tx.deleteFrom('device_overrides').where('device_id', '=', deviceId).execute();
      return undefined;
    }
    return rowToOverride(row, device, await credentialName(tx, row.credential_id));
  });
}

/**
 * Clears the named fields (all of them when none are named). An override left with nothing set
 * is removed. Returns what remains, or undefined.
 */
export async function unsetOverride(store: Store, device: string, fields?: readonly string[]): Promise<DeviceOverride | undefined> {
  const columns = (fields ?? []).map(fieldColumn);
  return store.write(async (tx) => {
    const deviceId = await deviceIdByName(tx, device);
    if (columns.length === 0) {
      await tx.deleteFrom('device_overrides').where('device_id', '=', deviceId).execute();
      return undefined;
    }
    const cleared = Object.fromEntries(columns.map((c) => [c, EMPTY[c]]));
    await tx.updateTable('device_overrides').set({ ...cleared, updated_at: nowIso() }).where('device_id', '=', deviceId).execute();
    const row = await tx.selectFrom('device_overrides').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
    if (!row) return undefined;
    if (isEmpty(row)) {
      await tx.deleteFrom('device_overrides').where('device_id', '=', deviceId).execute();
      return undefined;
    }
    return rowToOverride(row, device, await credentialName(tx, row.credential_id));
  });
}

/** A one-line summary such as "host=10.0.0.9 port=2222 disabled (maintenance)", or '' for none. */
export function describeOverride(override: DeviceOverride | undefined): string {
  if (!override) return '';
  const parts: string[] = [];
  if (override.host !== null) parts.push(`host=${override.host}`);
  if (override.port !== null) parts.push(`port=${override.port}`);
  if (override.platform !== null) parts.push(`platform=${override.platform}`);
  if (override.credential !== null) parts.push(`credential=${override.credential}`);
  if (override.connectTimeout !== null) parts.push(`connect-timeout=${override.connectTimeout}s`);
  if (override.authTimeout !== null) parts.push(`auth-timeout=${override.authTimeout}s`);
  if (override.bannerTimeout !== null) parts.push(`banner-timeout=${override.bannerTimeout}s`);
  if (override.promptTimeout !== null) parts.push(`prompt-timeout=${override.promptTimeout}s`);
  if (override.commandTimeout !== null) parts.push(`command-timeout=${override.commandTimeout}s`);
  if (override.disabled) parts.push(override.notes ? `disabled (${override.notes})` : 'disabled');
  else if (override.notes) parts.push(`notes: ${override.notes}`);
  return parts.join(' ');
}

function fieldColumn(field: string): OverrideColumn {
  const key = field.trim().replace(/_/g, '-').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const column = FIELD_COLUMNS[key] ?? FIELD_COLUMNS[`${key}-timeout`];
  if (column) return column;
  const suggestion = nearest(key, OVERRIDE_FIELDS);
  throw new ValidationError(`unknown override field '${field}'`, suggestion ? `did you mean '${suggestion}'? fields: ${OVERRIDE_FIELDS.join(', ')}` : `fields: ${OVERRIDE_FIELDS.join(', ')}`);
}

function timeout(field: string, value: number | null): number | null {
  return value === null ? null : validTimeout(field, value);
}

function isEmpty(row: OverrideRow): boolean {
  return (Object.keys(EMPTY) as OverrideColumn[]).every((c) => row[c] === EMPTY[c]);
}
