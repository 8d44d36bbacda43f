import { type BackupHook, backupHooksValue, booleanValue, credentialNameOrEmpty, emailAddressOrEmpty, hostOrEmpty, folderListValue, folderOrEmpty, httpUrlOrEmpty, numberRange, oneOf, platformMapValue, timezoneValue, type ValueType } from './value-types.js';

export interface SettingDefinition<T = unknown> {
  key: string;
  description: string;
  default: T;
  type: ValueType<T>;
}

function define<T>(key: string, defaultValue: T, type: ValueType<T>, description: string): SettingDefinition<T> {
  return { key, default: defaultValue, type, description };
}

const timeout = (min: number, max: number) => numberRange({ min, max, unit: 'seconds' });

/** Every setting NetStacks knows, in display order. Values are stored as JSON text in `settings`. */
export const SETTINGS = [
  define('timezone', 'UTC', timezoneValue, 'time zone for schedules and displayed times (IANA name)'),
  define('timeouts.connect', 10, timeout(0.1, 600), 'TCP connect timeout in seconds'),
  define('timeouts.auth', 10, timeout(0.1, 600), 'SSH authentication timeout in seconds'),
  define('timeouts.banner', 15, timeout(0.1, 600), 'seconds to wait for the SSH banner (server identification) after connecting'),
  define('timeouts.prompt', 20, timeout(0.1, 600), 'seconds from login to the first prompt (banners, login screens); a device that never prompts fails after it'),
  define('timeouts.command', 30, timeout(0.1, 86_400), 'seconds to wait for one command to finish'),
  define('concurrency', 20, numberRange({ min: 1, max: 1000, integer: true }), 'devices worked on at once by fan-out commands'),
  define('backup.retention_days', 30, numberRange({ min: 1, max: 3650, integer: true, unit: 'days' }), 'backup prune keeps versions newer than this many days'),
  define('backup.keep_versions', 10, numberRange({ min: 1, max: 100_000, integer: true }), 'backup prune keeps at least this many newest versions per device'),
  define('backup.full_every', 20, numberRange({ min: 1, max: 1000, integer: true }), 'store a full copy every N versions of a device (deltas between)'),
  define('backup.junos_format', 'set' as 'set' | 'native', oneOf(['set', 'native'] as const), "Junos backups as 'show configuration | display set' or native braces"),
  define('backup.mask_secrets', true, booleanValue, 'mask password hashes, SNMP communities and keys when backups are shown, diffed, searched, exported or sent to hooks'),
  define<BackupHook[]>('backup.hooks', [], backupHooksValue, 'run on a changed config: JSON list of {"command": "..."} or {"webhook": "http://..."}'),
  define<string | null>('netbox.url', null, httpUrlOrEmpty, 'NetBox base URL for netbox sync, e.g. https://netbox.example.com'),
  define('netbox.verify_tls', true, booleanValue, 'verify the NetBox TLS certificate'),
  define<Record<string, string>>('netbox.platform_map', {}, platformMapValue, 'NetBox platform/manufacturer slug → NetStacks platform (JSON object)'),
  define('ssh.keepalive_interval', 15, numberRange({ min: 0, max: 3600, unit: 'seconds' }), 'seconds between SSH keepalives on an idle connection (0: off)'),
  define('ssh.keepalive_count_max', 3, numberRange({ min: 1, max: 100, integer: true }), 'unanswered keepalives before the peer counts as dead'),
  define('ssh.strict_host_keys', false, booleanValue, 'refuse unknown SSH host keys instead of trusting on first use'),
  define('secrets.backend', 'auto' as 'auto' | 'keychain' | 'vault', oneOf(['auto', 'keychain', 'vault'] as const), 'where new secrets are stored: auto = OS keychain if it answers, else the encrypted vault'),
  define<string[]>('templates', [], folderListValue, 'template folders searched after --templates and before ./templates and $NETSTACKS_HOME/templates'),
  define('templates.env', 'ansible' as 'jinja2' | 'trim' | 'ansible', oneOf(['jinja2', 'trim', 'ansible'] as const), 'template environment when neither the template nor --env names one: jinja2, trim or ansible'),
  define<string | null>('parse.templates', null, folderOrEmpty, 'your own TextFSM templates (a folder with an index); default: $NETSTACKS_HOME/textfsm'),
  define<string | null>('parse.ntc_templates', null, folderOrEmpty, 'an ntc-templates folder for parse and run --parse (the NET_TEXTFSM variable wins)'),
  define<string[]>('mops', [], folderListValue, 'MOP folders searched after ./mops by mop list, mop show and mop run NAME'),
  define<string | null>('email.smtp_host', null, hostOrEmpty, 'SMTP server for MOP email steps (host name or address)'),
  define('email.smtp_port', 587, numberRange({ min: 1, max: 65_535, integer: true }), 'SMTP port (587 submission with STARTTLS, 465 TLS, 25 plain)'),
  define('email.tls', 'starttls' as 'starttls' | 'tls' | 'none', oneOf(['starttls', 'tls', 'none'] as const), 'SMTP encryption: starttls (required), tls (from the first byte, port 465) or none'),
  define<string | null>('email.from', null, emailAddressOrEmpty, 'sender address of MOP email steps, e.g. netstacks@example.com'),
  define<string | null>('email.credential', null, credentialNameOrEmpty, 'login credential whose username and password log in to the SMTP server (the password stays in the keychain or vault); empty: no login'),
] as const;

export type SettingKey = (typeof SETTINGS)[number]['key'];

const byKey = new Map<string, SettingDefinition>(SETTINGS.map((d) => [d.key, d as SettingDefinition]));

export function settingDefinition(key: string): SettingDefinition | undefined {
  return byKey.get(key);
}

export const SETTING_KEYS: readonly string[] = SETTINGS.map((d) => d.key);
