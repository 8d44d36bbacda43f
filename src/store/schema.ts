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
  /** login (username + password/enable/key) | token (bearer token or API key); migration 0007 */
  kind: ColumnType<string, string | undefined, string>;
  has_token: ColumnType<Flag, Flag | undefined, Flag>;
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

export interface LocksTable {
  key: string;
  /** random per acquisition, so a release never removes a lock someone else took over */
  token: string;
  pid: number;
  hostname: string;
  user: string;
  /** /proc/<pid>/stat starttime (Linux), so a recycled pid is not mistaken for the holder */
  process_start: string | null;
  purpose: string;
  acquired_at: Timestamp;
}

export interface SchedulesTable {
  id: Generated<number>;
  name: string;
  /** cron | once */
  kind: string;
  /** a cron expression, or for `once` a local date-time YYYY-MM-DDTHH:MM */
  spec: string;
  /** how the user wrote it, e.g. `--daily 02:00` */
  form: string;
  timezone: string;
  /** skip | run-once */
  missed: string;
  /** JSON array: netstacks CLI arguments of the job */
  job: JsonText;
  enabled: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ScheduleRunsTable {
  id: Generated<number>;
  schedule_id: number | null;
  schedule_name: string;
  /** scheduled | missed | manual */
  trigger: string;
  scheduled_for: string;
  started_at: Timestamp;
  ended_at: string | null;
  /** running | ok | failed | skipped | aborted | interrupted */
  outcome: string;
  exit_code: number | null;
  summary: string | null;
  job: JsonText;
  child_pid: number | null;
  daemon_pid: number | null;
  daemon_hostname: string | null;
  daemon_process_start: string | null;
}

export interface DaemonStateTable {
  id: number;
  pid: number;
  hostname: string;
  process_start: string | null;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  stopped_at: string | null;
  /** JSON array of { schedule, runId, pid, startedAt } */
  running: JsonText;
}

export interface BackupContentsTable {
  id: Generated<number>;
  /** sha256 (hex) of the text */
  hash: string;
  /** bytes of the text */
  size: number;
  lines: number;
  /** the content this one is a line delta against; null for a full copy */
  base_id: number | null;
  /** deltas since the last full copy (0 for a full copy) */
  depth: number;
  /** br-full | br-delta */
  encoding: string;
  data: Buffer;
  created_at: Timestamp;
}

export interface BackupSnapshotsTable {
  id: Generated<number>;
  /** manual | scheduled | snapshot */
  type: string;
  /** the --on expression, if any */
  selection: string | null;
  /** running | complete | partial | interrupted */
  status: string;
  total: number;
  success: number;
  failed: number;
  skipped: number;
  changed: number;
  pid: number;
  hostname: string;
  process_start: string | null;
  started_at: Timestamp;
  finished_at: string | null;
}

export interface BackupsTable {
  id: Generated<number>;
  device_id: number | null;
  /** kept by name too, so history outlives a removed device */
  device: string;
  platform: string | null;
  snapshot_id: number | null;
  /** manual | scheduled | snapshot */
  type: string;
  /** ok | failed | skipped */
  status: string;
  error: string | null;
  content_id: number | null;
  /** the content differs from the device's previous good backup */
  changed: Flag;
  /** native | set */
  format: string;
  /** show version / inventory, cleaned */
  facts_id: number | null;
  /** running differs from startup (IOS family); null when not checked */
  unsaved: Flag | null;
  duration_ms: number | null;
  created_at: Timestamp;
}

/** A stack registered by name with `stack add FILE` (the file stays the truth). */
export interface StacksTable {
  id: Generated<number>;
  name: string;
  path: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeploymentsTable {
  id: Generated<number>;
  stack: string;
  stack_path: string;
  /** deploy | destroy */
  action: string;
  os_user: string;
  hostname: string;
  pid: number;
  process_start: string | null;
  /** sha256 of the stack file's text and its inputs */
  content_hash: string;
  /** JSON object: the --var/--vars inputs, secrets masked */
  variables: JsonText;
  /** continue | stop | rollback-all */
  on_error: string;
  /** deploying | deployed | partial | failed | interrupted | unchanged */
  status: string;
  /** JSON: counts */
  summary: JsonText | null;
  started_at: Timestamp;
  finished_at: string | null;
}

/** One row per device and service of a deployment (service '*' for device-level failures). */
export interface DeploymentResultsTable {
  id: Generated<number>;
  deployment_id: number;
  device: string;
  service: string;
  template: string | null;
  /** all text columns below are masked through the session secret masker */
  rendered: string | null;
  /** JSON array of commands */
  remediation: JsonText | null;
  /** JSON array of commands */
  rollback: JsonText | null;
  diff: string | null;
  device_compare: string | null;
  /** pending | applied | unchanged | failed | rolled-back | skipped | not-pushed */
  result: string;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

/** A line (or a section it created) a stack deployed on a device: the path in the config tree. */
export interface StackLinesTable {
  stack: string;
  device: string;
  /** JSON array of lines from the top level down, secrets masked */
  path: JsonText;
  service: string;
  /** 1: a section the stack created (removed with the stack's last line in it) */
  section: Flag;
  deployment_id: number;
  updated_at: Timestamp;
}

/** A line a stack's first deploy overwrote or removed: what destroy puts back. */
export interface StackPreviousTable {
  stack: string;
  device: string;
  /** JSON array, secrets masked */
  path: JsonText;
  /** JSON array: the stack's line that replaced it (null when it was removed by an owned section) */
  replaced_by: JsonText | null;
  service: string;
  deployment_id: number;
  recorded_at: Timestamp;
}

/** One MOP run (src/mops/records.ts); migration 0006. */
export interface MopExecutionsTable {
  /** short random id, as typed in `mop show-execution ID` */
  id: string;
  /** the execution that ran this one as a sub-MOP */
  parent_id: string | null;
  mop_name: string;
  mop_path: string | null;
  /** sha256 of the MOP file */
  content_hash: string;
  /** running | passed | failed | rollback-failed | interrupted */
  status: string;
  exit_code: number | null;
  dry_run: Flag;
  /** OS user */
  user: string;
  /** CI job (GITHUB_RUN_ID, CI_JOB_ID, …) when run in CI */
  ci_job: string | null;
  /** JSON object, secrets masked */
  inputs: JsonText;
  /** JSON array of target device names */
  devices: JsonText;
  pid: number;
  hostname: string;
  process_start: string | null;
  started_at: Timestamp;
  ended_at: string | null;
  message: string | null;
}

export interface MopExecutionDevicesTable {
  execution_id: string;
  device: string;
  /** running | passed | failed | rolled-back | rollback-failed | skipped | interrupted */
  status: string;
  message: string | null;
  started_at: Timestamp;
  ended_at: string | null;
}

/** One step on one device (device null: a run_once step); output and captures masked. */
export interface MopStepResultsTable {
  id: Generated<number>;
  execution_id: string;
  device: string | null;
  step_id: string;
  step_name: string;
  step_type: string;
  /** main | rollback */
  phase: string;
  visit: number;
  attempts: number;
  /** passed | failed | skipped | error */
  status: string;
  message: string | null;
  output: string | null;
  /** JSON */
  captures: JsonText | null;
  items: JsonText | null;
  changed: Flag;
  pushed: JsonText | null;
  /** JSON array of config lines undoing this step's change (mop rollback EXECUTION) */
  undo: JsonText | null;
  ignored_failure: Flag;
  handled: Flag;
  started_at: Timestamp;
  ended_at: string;
  duration_ms: number;
}

export interface Database {
  devices: DevicesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  device_overrides: DeviceOverridesTable;
  credentials: CredentialsTable;
  settings: SettingsTable;
  backup_contents: BackupContentsTable;
  backup_snapshots: BackupSnapshotsTable;
  backups: BackupsTable;
  locks: LocksTable;
  schedules: SchedulesTable;
  schedule_runs: ScheduleRunsTable;
  daemon_state: DaemonStateTable;
  mop_executions: MopExecutionsTable;
  mop_execution_devices: MopExecutionDevicesTable;
  mop_step_results: MopStepResultsTable;
  stacks: StacksTable;
  deployments: DeploymentsTable;
  deployment_results: DeploymentResultsTable;
  stack_lines: StackLinesTable;
  stack_previous: StackPreviousTable;
}

export type DeviceRow = Selectable<DevicesTable>;
export type NewDeviceRow = Insertable<DevicesTable>;
export type DeviceRowUpdate = Updateable<DevicesTable>;
export type GroupRow = Selectable<GroupsTable>;
export type OverrideRow = Selectable<DeviceOverridesTable>;
export type CredentialRow = Selectable<CredentialsTable>;
export type LockRow = Selectable<LocksTable>;
export type ScheduleRow = Selectable<SchedulesTable>;
export type ScheduleRunRow = Selectable<ScheduleRunsTable>;
export type BackupRow = Selectable<BackupsTable>;
export type BackupContentRow = Selectable<BackupContentsTable>;
export type BackupSnapshotRow = Selectable<BackupSnapshotsTable>;
export type StackRow = Selectable<StacksTable>;
export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentResultRow = Selectable<DeploymentResultsTable>;
export type MopExecutionRow = Selectable<MopExecutionsTable>;
export type MopStepResultRow = Selectable<MopStepResultsTable>;
