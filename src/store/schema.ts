import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database described once. JSON columns are stored as text (portable to PostgreSQL later) and
 * parsed by the repositories in src/inventory and src/credentials. Booleans are 0/1 integers.
 * Timestamps are ISO-8601 UTC strings.
 */
type Timestamp = ColumnType<string, string, string>;
type JsonText = string;
type Flag = number;

export interface DevicesTable {
  id: Generated<number>;
  name: string;
  host: string;
  port: number;
  platform: string;
  site: string | null;
  role: string | null;
  vendor: string | null;
  model: string | null;
  description: string | null;
  /** JSON array of strings */
  tags: JsonText;
  /** JSON object: free-form template variables */
  variables: JsonText;
  /** JSON object: SshOptions (jump hosts, legacy algorithms) */
  ssh: JsonText;
  credential_id: number | null;
  enabled: Flag;
  /** manual | import | netbox | lab */
  source: string;
  netbox_id: number | null;
  /** set when a sync source (NetBox) no longer lists the device; never deleted automatically */
  missing_since: string | null;
  last_synced_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  /** groups apply in ascending priority (then name); a later group's variables win */
  priority: number;
  variables: JsonText;
  ssh: JsonText;
  credential_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  group_id: number;
  device_id: number;
}

export interface DeviceOverridesTable {
  device_id: number;
  host: string | null;
  port: number | null;
  platform: string | null;
  credential_id: number | null;
  connect_timeout: number | null;
  auth_timeout: number | null;
  banner_timeout: number | null;
  prompt_timeout: number | null;
  command_timeout: number | null;
  disabled: Flag;
  notes: string | null;
  updated_at: Timestamp;
}

export interface CredentialsTable {
  id: Generated<number>;
  name: string;
  username: string;
  description: string | null;
  /** where this credential's secrets live: keychain | vault */
  secret_backend: string;
  /** stable random id used to key secrets in the backend, so renames never orphan them */
  secret_ref: string;
  has_password: Flag;
  has_enable: Flag;
  has_private_key: Flag;
  has_passphrase: Flag;
  key_path: string | null;
  is_default: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  /** JSON-encoded value */
  value: string;
  updated_at: Timestamp;
}

export interface Database {
  devices: DevicesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  device_overrides: DeviceOverridesTable;
  credentials: CredentialsTable;
  settings: SettingsTable;
}

export type DeviceRow = Selectable<DevicesTable>;
export type NewDeviceRow = Insertable<DevicesTable>;
export type DeviceRowUpdate = Updateable<DevicesTable>;
export type GroupRow = Selectable<GroupsTable>;
export type OverrideRow = Selectable<DeviceOverridesTable>;
export type CredentialRow = Selectable<CredentialsTable>;
