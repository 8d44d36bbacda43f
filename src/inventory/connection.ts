import type { Db } from '../store/store.js';
import type { OverrideRow } from '../store/schema.js';
import type { ConnectionPlan, Device, SshOptions, Timeouts } from './types.js';
import { DEFAULTS_GROUP } from './groups.js';
import { byPrecedence, parseObject } from './rows.js';

/**
 * How to reach a device, with everything applied. Precedence, lowest first:
 * - credential: default credential < highest-precedence group with one < device < override
 * - timeouts: settings defaults < platform defaults < settings set explicitly < override
 * - SSH options: `defaults` group < groups (ascending priority, then name) < device
 * A disabled device, or one disabled by its override, gets a skipReason instead of being dropped,
 * so every operation can report why it skipped it.
 */

export interface ConnectionDefaults {
  /** the settings' timeouts (built-in defaults or set by the user) */
  timeouts: Timeouts;
  /** the platform's own defaults: one set, or a lookup by platform name for mixed inventories */
  platformTimeouts?: Partial<Timeouts> | ((platform: string) => Partial<Timeouts> | undefined);
  /** settings the user set explicitly ('timeouts.connect' or 'connect'): they beat platform defaults */
  explicitSettings?: ReadonlySet<string>;
}

export type CredentialSource = ConnectionPlan['credentialSource'];

export interface ResolvedCredential {
  credential: string | null;
  source: CredentialSource;
}

const TIMEOUT_KEYS = ['connect', 'auth', 'banner', 'prompt', 'command'] as const;
/** Above this many devices, overrides are read in one full scan rather than by id list. */
const ID_LIST_LIMIT = 500;

export async function resolveConnectionPlan(db: Db, device: Device, defaults: ConnectionDefaults): Promise<ConnectionPlan> {
  const [plan] = await resolveConnectionPlans(db, [device], defaults);
  return plan as ConnectionPlan;
}

/** Plans for many devices with a fixed number of queries. */
export async function resolveConnectionPlans(db: Db, devices: readonly Device[], defaults: ConnectionDefaults): Promise<ConnectionPlan[]> {
  const context = await loadContext(db, devices);
  return devices.map((device) => planFor(device, context, defaults));
}

/** Only the credential part of the plan, with the rule that chose it (for `device show`). */
export async function resolveCredential(db: Db, device: Device): Promise<ResolvedCredential> {
  const context = await loadContext(db, [device]);
  return credentialFor(device, context.overrides.get(device.id), context);
}

interface GroupInfo {
  name: string;
  priority: number;
  ssh: SshOptions;
  credentialId: number | null;
}

/** An override row as the plan reads it. */
type OverrideInfo = Omit<OverrideRow, 'device_id' | 'updated_at'>;

interface PlanContext {
  groups: Map<string, GroupInfo>;
  credentials: Map<number, string>;
  defaultCredential: string | null;
  overrides: Map<number, OverrideInfo>;
}

async function loadContext(db: Db, devices: readonly Device[]): Promise<PlanContext> {
  const ids = devices.map((d) => d.id);
  let overrideQuery = db.selectFrom('device_overrides').selectAll();
  if (ids.length <= ID_LIST_LIMIT) overrideQuery = overrideQuery.where('device_id', 'in', ids.length > 0 ? ids : [-1]);
  const [groupRows, credentialRows, overrideRows] = await Promise.all([
    db.selectFrom('groups').select(['name', 'priority', 'ssh', 'credential_id']).execute(),
    db.selectFrom('credentials').select(['id', 'name', 'is_default']).orderBy('name').execute(),
    overrideQuery.execute(),
  ]);
  return {
    groups: new Map(groupRows.map((r) => [r.name, { name: r.name, priority: r.priority, ssh: parseObject(r.ssh) as SshOptions, credentialId: r.credential_id }])),
    credentials: new Map(credentialRows.map((r) => [r.id, r.name])),
    defaultCredential: credentialRows.find((r) => r.is_default === 1)?.name ?? null,
    overrides: new Map(overrideRows.map((r) => [r.device_id, r])),
  };
}

function planFor(device: Device, context: PlanContext, defaults: ConnectionDefaults): ConnectionPlan {
  const override = context.overrides.get(device.id);
  const platform = override?.platform ?? device.platform;
  const { credential, source } = credentialFor(device, override, context);
  return {
    device: device.name,
    host: override?.host ?? device.host,
    port: override?.port ?? device.port,
    platform,
    credential,
    credentialSource: source,
    timeouts: timeoutsFor(platform, override, defaults),
    ssh: sshFor(device, context),
    skipReason: skipReasonFor(device, override),
  };
}

function credentialFor(device: Device, override: OverrideInfo | undefined, context: PlanContext): ResolvedCredential {
  const overrideCredential = override?.credential_id == null ? undefined : context.credentials.get(override.credential_id);
  if (overrideCredential) return { credential: overrideCredential, source: 'override' };
  if (device.credential) return { credential: device.credential, source: 'device' };
  const groups = memberGroups(device, context);
  for (let i = groups.length - 1; i >= 0; i--) {
    const id = groups[i]?.credentialId;
    const name = id == null ? undefined : context.credentials.get(id);
    if (name) return { credential: name, source: 'group' };
  }
  if (context.defaultCredential) return { credential: context.defaultCredential, source: 'default' };
  return { credential: null, source: 'none' };
}

function timeoutsFor(platform: string, override: OverrideInfo | undefined, defaults: ConnectionDefaults): Timeouts {
  const platformTimeouts = typeof defaults.platformTimeouts === 'function' ? defaults.platformTimeouts(platform) : defaults.platformTimeouts;
  const explicit = defaults.explicitSettings ?? new Set<string>();
  const timeouts = { ...defaults.timeouts };
  for (const key of TIMEOUT_KEYS) {
    const fromPlatform = platformTimeouts?.[key];
    const setExplicitly = explicit.has(`timeouts.${key}`) || explicit.has(key);
    if (fromPlatform !== undefined && !setExplicitly) timeouts[key] = fromPlatform;
    const fromOverride = override?.[`${key}_timeout`];
    if (fromOverride !== null && fromOverride !== undefined) timeouts[key] = fromOverride;
  }
  return timeouts;
}

function sshFor(device: Device, context: PlanContext): SshOptions {
  let ssh: SshOptions = { ...context.groups.get(DEFAULTS_GROUP)?.ssh };
  for (const group of memberGroups(device, context)) ssh = { ...ssh, ...group.ssh };
  return { ...ssh, ...device.ssh };
}

/** Why every operation must skip this device, or null. Takes an override row or a DeviceOverride. */
export function skipReasonFor(device: Pick<Device, 'enabled'>, override: { disabled: number | boolean; notes: string | null } | undefined): string | null {
  if (override?.disabled) return override.notes ? `disabled by override: ${override.notes}` : 'disabled by override';
  if (!device.enabled) return 'device disabled';
  return null;
}

/** The device's groups in precedence order, without the `defaults` group. */
function memberGroups(device: Device, context: PlanContext): GroupInfo[] {
  return device.groups
    .filter((name) => name !== DEFAULTS_GROUP)
    .map((name) => context.groups.get(name))
    .filter((g) => g !== undefined)
    .sort(byPrecedence);
}
