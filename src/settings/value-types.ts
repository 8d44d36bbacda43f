import { isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { resolve as resolvePath } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { describeNumber, parseNumber } from '../core/numbers.js';
import { nearest } from '../core/suggest.js';
import { isKnownPlatform, unknownPlatformHint } from '../platforms/index.js';

/**
 * How one kind of setting value is read from the command line and checked when loaded from the
 * database (a stored value may predate a tighter rule, or be edited by hand).
 */
export interface ValueType<T> {
  /** what is allowed, for help text and error hints: "1–1000", "auto, keychain, vault" */
  readonly allowed: string;
  parse(key: string, raw: string): T;
  check(key: string, value: unknown): T;
}

function invalid(key: string, shown: string, allowed: string, hint?: string): ValidationError {
  return new ValidationError(`invalid value ${shown} for setting '${key}': expected ${allowed}`, hint);
}

export function numberRange(options: { min: number; max: number; integer?: boolean; unit?: string }): ValueType<number> {
  const allowed = describeNumber(options);
  const check = (key: string, value: unknown): number => parseNumber(value, `setting '${key}'`, options, 'value');
  return { allowed, parse: check, check };
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

export const booleanValue: ValueType<boolean> = {
  allowed: 'true or false (yes/no, on/off, 1/0)',
  parse: (key, raw) => {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    throw invalid(key, `'${raw}'`, booleanValue.allowed);
  },
  check: (key, value) => {
    if (typeof value !== 'boolean') throw invalid(key, JSON.stringify(value), booleanValue.allowed);
    return value;
  },
};

export function oneOf<T extends string>(choices: readonly T[]): ValueType<T> {
  const allowed = `one of: ${choices.join(', ')}`;
  const check = (key: string, value: unknown): T => {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      const guess = typeof value === 'string' ? nearest(value, choices) : undefined;
      throw invalid(key, JSON.stringify(value), allowed, guess ? `did you mean '${guess}'?` : undefined);
    }
    return value as T;
  };
  return { allowed, parse: (key, raw) => check(key, raw.trim()), check };
}

/** IANA names only ("Europe/Amsterdam", "UTC"); offsets such as "+01:00" are refused. */
export const timezoneValue: ValueType<string> = {
  allowed: 'an IANA time zone such as UTC or Europe/Amsterdam',
  parse: (key, raw) => timezoneValue.check(key, raw.trim()),
  check: (key, value) => {
    if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) {
      throw invalid(key, JSON.stringify(value), timezoneValue.allowed);
    }
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      const guess = nearest(value, [...Intl.supportedValuesOf('timeZone'), 'UTC']);
      throw new ValidationError(
        `unknown time zone '${value}' for setting '${key}'`,
        guess ? `did you mean '${guess}'? (IANA names, as listed by 'timedatectl list-timezones')` : `expected ${timezoneValue.allowed}`,
      );
    }
  },
};

/** An http(s) base URL without a trailing slash; empty clears it (stored as null). */
export const httpUrlOrEmpty: ValueType<string | null> = {
  allowed: 'an http:// or https:// URL, or an empty string to clear it',
  parse: (key, raw) => httpUrlOrEmpty.check(key, raw.trim() === '' ? null : raw.trim()),
  check: (key, value) => {
    if (value === null || value === '') return null;
    if (typeof value !== 'string') throw invalid(key, JSON.stringify(value), httpUrlOrEmpty.allowed);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid(key, `'${value}'`, httpUrlOrEmpty.allowed);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(key, `'${value}'`, httpUrlOrEmpty.allowed);
    if (url.username || url.password) {
      throw new ValidationError(`the URL for setting '${key}' must not contain a user name or password`, "store the NetBox token with 'netstacks netbox set-token'");
    }
    return value.replace(/\/+$/, '');
  },
};

/** A folder path (made absolute when set), or an empty string to clear it. */
export const folderOrEmpty: ValueType<string | null> = {
  allowed: 'a folder path, or an empty string to clear it',
  parse: (key, raw) => folderOrEmpty.check(key, raw.trim() === '' ? null : resolvePath(raw.trim())),
  check: (key, value) => {
    if (value === null || value === '') return null;
    if (typeof value !== 'string') throw invalid(key, JSON.stringify(value), folderOrEmpty.allowed);
    return value;
  },
};

/** A JSON object mapping names to lower-case platform names, e.g. {"ios": "cisco_ios"}. */
export const platformMapValue: ValueType<Record<string, string>> = {
  allowed: 'a JSON object mapping NetBox slugs to platform names, e.g. {"ios": "cisco_ios"}',
  parse: (key, raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ValidationError(`setting '${key}' is not valid JSON: ${(error as Error).message}`, `expected ${platformMapValue.allowed}`);
    }
    const map = platformMapValue.check(key, value);
    // checked when set, not when read back: a stored map naming a since-removed platform must not break every command
    for (const [slug, platform] of Object.entries(map)) {
      if (!isKnownPlatform(platform)) throw new ValidationError(`setting '${key}': '${slug}' maps to unknown platform '${platform}'`, unknownPlatformHint(platform));
    }
    return map;
  },
  check: (key, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(key, JSON.stringify(value), platformMapValue.allowed);
    const map: Record<string, string> = {};
    for (const [slug, platform] of Object.entries(value)) {
      if (slug.trim() === '' || typeof platform !== 'string' || !/^[a-z0-9_]+$/.test(platform)) {
        throw new ValidationError(
          `setting '${key}': entry ${JSON.stringify(slug)} → ${JSON.stringify(platform)} is not a valid mapping`,
          'map each slug to a platform name such as cisco_ios (lower case, digits, underscores)',
        );
      }
      map[slug] = platform;
    }
    return map;
  },
};

/**
 * A list of folders: a JSON array, or names separated by commas. `~` is the home folder and
 * relative folders are made absolute when set, so the value does not depend on where NetStacks runs.
 */
export const folderListValue: ValueType<string[]> = {
  allowed: 'folders as a JSON array or separated by commas, e.g. ~/net/templates,/srv/templates (empty clears it)',
  parse: (key, raw) => {
    const text = raw.trim();
    let items: unknown;
    if (text.startsWith('[')) {
      try {
        items = JSON.parse(text);
      } catch (error) {
        throw new ValidationError(`setting '${key}' is not valid JSON: ${(error as Error).message}`, `expected ${folderListValue.allowed}`);
      }
    } else {
      items = text === '' ? [] : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    }
    const folders = folderListValue.check(key, items);
    return folders.map((folder) => {
      const expanded = folder === '~' ? homedir() : folder.startsWith('~/') ? homedir() + folder.slice(1) : folder;
      return isAbsolute(expanded) ? expanded : resolve(expanded);
    });
  },
  check: (key, value) => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
      throw invalid(key, JSON.stringify(value), folderListValue.allowed);
    }
    return value as string[];
  },
};
/** A change hook of `backup.hooks`: a shell command, or a URL to POST JSON to. */
export type BackupHook = { command: string } | { webhook: string };

/** `backup.hooks`: a JSON list of {"command": "..."} or {"webhook": "http(s)://..."}. */
export const backupHooksValue: ValueType<BackupHook[]> = {
  allowed: 'a JSON list of {"command": "..."} or {"webhook": "http://..."} objects',
  parse: (key, raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ValidationError(`setting '${key}' is not valid JSON: ${(error as Error).message}`, `expected ${backupHooksValue.allowed}`);
    }
    const hooks = backupHooksValue.check(key, value);
    for (const hook of hooks) {
      if (!('command' in hook)) continue;
      const program = hook.command.trim().split(/\s+/)[0] ?? '';
      if (!commandExists(program)) {
        throw new ValidationError(`setting '${key}': hook command '${program}' not found`, 'give a program on the PATH or an absolute path to an executable');
      }
    }
    return hooks;
  },
  check: (key, value) => {
    if (!Array.isArray(value)) throw invalid(key, JSON.stringify(value), backupHooksValue.allowed);
    return value.map((entry: unknown, index): BackupHook => {
      const where = `setting '${key}', entry ${index + 1}`;
      if (typeof entry !== 'object' || entry === null) throw new ValidationError(`${where} is not an object`, `expected ${backupHooksValue.allowed}`);
      const { command, webhook } = entry as { command?: unknown; webhook?: unknown };
      if (typeof command === 'string' && command.trim() !== '' && webhook === undefined) return { command };
      if (typeof webhook === 'string' && command === undefined) {
        let url: URL;
        try {
          url = new URL(webhook);
        } catch {
          throw new ValidationError(`${where}: '${webhook}' is not a URL`, 'use an http:// or https:// URL');
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`${where}: '${webhook}' is not an http(s) URL`);
        return { webhook };
      }
      throw new ValidationError(`${where} needs exactly one of "command" (non-empty) or "webhook"`, `expected ${backupHooksValue.allowed}`);
    });
  },
};

/** true when `program` (a name looked up on PATH, or a path) is an executable file */
function commandExists(program: string): boolean {
  const candidates = program.includes('/') ? [program] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, program));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** A text setting checked by a pattern; empty clears it (stored as null). */
function patternOrEmpty(allowed: string, pattern: RegExp): ValueType<string | null> {
  const check = (key: string, value: unknown): string | null => {
    if (value === null || value === '') return null;
    if (typeof value !== 'string' || !pattern.test(value)) throw invalid(key, JSON.stringify(value), allowed);
    return value;
  };
  return { allowed, parse: (key, raw) => check(key, raw.trim()), check };
}

/** A host name, IPv4 or IPv6 address. */
export const hostOrEmpty = patternOrEmpty('a host name or IP address, or an empty string to clear it', /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.?|[0-9A-Fa-f:.]+)$/);

/** `name@domain`, optionally as `Display Name <name@domain>`. */
export const emailAddressOrEmpty = patternOrEmpty('an e-mail address such as netstacks@example.com or "NetStacks <netstacks@example.com>", or empty', /^(?:[^<>@\r\n]+<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/);

/** A credential name (checked against the store when used, not when set). */
export const credentialNameOrEmpty = patternOrEmpty('a credential name, or an empty string for none', /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/);
