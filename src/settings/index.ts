import { NetstacksError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { nowIso } from '../core/time.js';
import type { Timeouts } from '../inventory/types.js';
import type { Db, Store } from '../store/store.js';
import { SETTING_KEYS, type SettingDefinition, settingDefinition } from './registry.js';

export { SETTINGS, SETTING_KEYS, type SettingDefinition, type SettingKey } from './registry.js';

/** Typed view of all settings with defaults applied. */
export interface Settings {
  timezone: string;
  /** seconds */
  timeouts: Timeouts;
  concurrency: number;
  backupRetentionDays: number;
  netboxUrl: string | null;
  netboxVerifyTls: boolean;
  /** NetBox slug → platform name, from `netbox.platform_map` */
  netboxPlatformMap: Record<string, string>;
  strictHostKeys: boolean;
  /** SSH keepalive: seconds between probes (0: off) and how many may go unanswered */
  keepalive: { intervalS: number; countMax: number };
  secretsBackend: 'auto' | 'keychain' | 'vault';
  /** template folders from the `templates` setting, absolute */
  templateFolders: string[];
  /** `templates.env` */
  templateEnv: 'jinja2' | 'trim' | 'ansible';
  /** `parse.templates`: the user's TextFSM folder (null: $NETSTACKS_HOME/textfsm) */
  parseTemplates: string | null;
  /** `parse.ntc_templates`: an ntc-templates folder (NET_TEXTFSM wins) */
  parseNtcTemplates: string | null;
  /** MOP folders from the `mops` setting, absolute (searched after ./mops) */
  mopsFolders: string[];
  /** `email.*`: the SMTP server of MOP email steps; the password lives in the credential's secret backend */
  email: { host: string | null; port: number; tls: 'starttls' | 'tls' | 'none'; from: string | null; credential: string | null };
  /** dotted keys set explicitly, e.g. `timeouts.connect` (explicit timeouts win over platform defaults) */
  explicit: Set<string>;
}

/** One setting as `settings list/get` show it. */
export interface SettingView {
  key: string;
  value: unknown;
  default: unknown;
  /** true when nothing is stored and the default applies */
  isDefault: boolean;
  description: string;
  allowed: string;
}

export class UnknownSettingError extends NetstacksError {
  constructor(key: string) {
    const guess = nearest(key, SETTING_KEYS);
    super('setting_not_found', `unknown setting '${key}'`, {
      exit: 'notFound',
      hint: guess ? `did you mean '${guess}'?` : "run 'netstacks settings list' to see all settings",
    });
  }
}

function definitionOf(key: string): SettingDefinition {
  const definition = settingDefinition(key);
  if (!definition) throw new UnknownSettingError(key);
  return definition;
}

/** Parses and checks a stored value; a bad one names the key and how to reset it. */
function storedValue(definition: SettingDefinition, json: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ValidationError(`stored value of setting '${definition.key}' is not valid JSON`, `reset it with 'netstacks settings unset ${definition.key}'`);
  }
  try {
    return definition.type.check(definition.key, raw);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`stored ${message}`, `fix it with 'netstacks settings set ${definition.key} VALUE' or 'netstacks settings unset ${definition.key}'`);
  }
}

function view(definition: SettingDefinition, json: string | undefined): SettingView {
  return {
    key: definition.key,
    value: json === undefined ? definition.default : storedValue(definition, json),
    default: definition.default,
    isDefault: json === undefined,
    description: definition.description,
    allowed: definition.type.allowed,
  };
}

async function storedRows(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function listSettings(db: Db): Promise<SettingView[]> {
  const stored = await storedRows(db);
  return SETTING_KEYS.map((key) => view(definitionOf(key), stored.get(key)));
}

export async function getSetting(db: Db, key: string): Promise<SettingView> {
  const definition = definitionOf(key);
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return view(definition, row?.value);
}

/** Parses `raw` as the command line gives it (`30`, `true`, `Europe/Paris`, JSON for maps). */
export async function setSetting(store: Store, key: string, raw: string): Promise<SettingView> {
  const definition = definitionOf(key);
  const value = definition.type.parse(key, raw);
  const json = JSON.stringify(value);
  const updatedAt = nowIso();
  await store.write((tx) =>
    tx
      .insertInto('settings')
      .values({ key, value: json, updated_at: updatedAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: updatedAt }))
      .execute(),
  );
  return view(definition, json);
}

export async function unsetSetting(store: Store, key: string): Promise<SettingView> {
  const definition = definitionOf(key);
  await store.write((tx) => tx.deleteFrom('settings').where('key', '=', key).execute());
  return view(definition, undefined);
}

export async function readSettings(db: Db): Promise<Settings> {
  const stored = await storedRows(db);
  const value = <T>(key: string): T => view(definitionOf(key), stored.get(key)).value as T;
  return {
    timezone: value('timezone'),
    timeouts: {
      connect: value('timeouts.connect'),
      auth: value('timeouts.auth'),
      banner: value('timeouts.banner'),
      prompt: value('timeouts.prompt'),
      command: value('timeouts.command'),
    },
    concurrency: value('concurrency'),
    backupRetentionDays: value('backup.retention_days'),
    netboxUrl: value('netbox.url'),
    netboxVerifyTls: value('netbox.verify_tls'),
    netboxPlatformMap: value('netbox.platform_map'),
    strictHostKeys: value('ssh.strict_host_keys'),
    keepalive: { intervalS: value('ssh.keepalive_interval'), countMax: value('ssh.keepalive_count_max') },
    secretsBackend: value('secrets.backend'),
    templateFolders: value('templates'),
    templateEnv: value('templates.env'),
    parseTemplates: value('parse.templates'),
    parseNtcTemplates: value('parse.ntc_templates'),
    mopsFolders: value('mops'),
    email: { host: value('email.smtp_host'), port: value('email.smtp_port'), tls: value('email.tls'), from: value('email.from'), credential: value('email.credential') },
    explicit: new Set(SETTING_KEYS.filter((key) => stored.has(key))),
  };
}
