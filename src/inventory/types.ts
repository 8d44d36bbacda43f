/** Inventory objects as the rest of NetStacks sees them (parsed, not raw rows). */

export type DeviceSource = 'manual' | 'import' | 'netbox' | 'lab';

/** Per device or group SSH options; a device's values win over its groups'. */
export interface SshOptions {
  /** ProxyJump chain, first hop first: inventory device names or `user@host:port` specs */
  jumpHosts?: string[];
  /** opt in to legacy KEX, ciphers, host key types and MACs for old devices */
  legacyAlgorithms?: boolean;
}

export interface Device {
  id: number;
  name: string;
  host: string;
  port: number;
  platform: string;
  site: string | null;
  role: string | null;
  vendor: string | null;
  model: string | null;
  description: string | null;
  tags: string[];
  variables: Record<string, unknown>;
  ssh: SshOptions;
  credential: string | null;
  enabled: boolean;
  source: DeviceSource;
  netboxId: number | null;
  missingSince: string | null;
  lastSyncedAt: string | null;
  /** names of the groups the device belongs to, in precedence order */
  groups: string[];
  createdAt: string;
  updatedAt: string;
}

/** Fields a caller may set when adding or editing a device. */
export interface DeviceInput {
  name: string;
  host: string;
  port?: number;
  platform?: string;
  site?: string | null;
  role?: string | null;
  vendor?: string | null;
  model?: string | null;
  description?: string | null;
  tags?: string[];
  variables?: Record<string, unknown>;
  ssh?: SshOptions;
  credential?: string | null;
  enabled?: boolean;
  source?: DeviceSource;
  netboxId?: number | null;
  groups?: string[];
}

export interface Group {
  id: number;
  name: string;
  description: string | null;
  priority: number;
  variables: Record<string, unknown>;
  ssh: SshOptions;
  credential: string | null;
  members: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DeviceOverride {
  device: string;
  host: string | null;
  port: number | null;
  platform: string | null;
  credential: string | null;
  /** seconds */
  connectTimeout: number | null;
  authTimeout: number | null;
  bannerTimeout: number | null;
  promptTimeout: number | null;
  commandTimeout: number | null;
  disabled: boolean;
  notes: string | null;
  updatedAt: string;
}

/** Timeouts in seconds. */
export interface Timeouts {
  connect: number;
  auth: number;
  /** SSH banner only */
  banner: number;
  /** shell open → first prompt (login screens, banners) */
  prompt: number;
  command: number;
}

/**
 * Everything needed to reach a device, with overrides, groups and settings applied, but no secrets:
 * those are fetched from the secret backend by credential name at connect time.
 */
export interface ConnectionPlan {
  device: string;
  host: string;
  port: number;
  platform: string;
  /** credential name after resolution, and which rule chose it */
  credential: string | null;
  credentialSource: 'override' | 'device' | 'group' | 'default' | 'none';
  timeouts: Timeouts;
  ssh: SshOptions;
  /** set when the device must be skipped: disabled flag or override */
  skipReason: string | null;
}
