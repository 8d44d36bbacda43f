import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UsageError, ValidationError } from '../core/errors.js';
import type { Db } from '../store/store.js';
import type { SecretStore } from '../secrets/types.js';
import { parsePlatformMap, type PlatformMap } from './mapping.js';

/** Where `netbox set-token` keeps the token in the secret store. */
export const NETBOX_TOKEN_KEY = 'netbox/token';

export interface NetboxSettings {
  url: string | null;
  platformMap: PlatformMap;
  /** `netbox.verify_tls`: false accepts a self-signed certificate (with a warning) */
  verifyTls: boolean;
}

/**
 * `netbox.url`, `netbox.verify_tls` and `netbox.platform_map` straight from the settings table (JSON values), so sync
 * works whatever else the settings hold.
 */
export async function readNetboxSettings(db: Db, isKnown: (platform: string) => string | true): Promise<NetboxSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['netbox.url', 'netbox.platform_map', 'netbox.verify_tls']).execute();
  const settings: NetboxSettings = { url: null, platformMap: {}, verifyTls: true };
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      throw new ValidationError(`setting '${row.key}' holds invalid JSON`, `set it again with 'netstacks settings set ${row.key} …'`);
    }
    if (row.key === 'netbox.url' && typeof value === 'string' && value.trim() !== '') settings.url = value.trim();
    if (row.key === 'netbox.verify_tls') settings.verifyTls = value !== false;
    if (row.key === 'netbox.platform_map' && value !== null) settings.platformMap = parsePlatformMap(`setting 'netbox.platform_map'`, value, isKnown);
  }
  return settings;
}

/** A YAML or JSON file mapping NetBox slugs to platforms (`--platform-map FILE`). */
export async function readPlatformMapFile(path: string, isKnown: (platform: string) => string | true): Promise<PlatformMap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read platform map ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const pos = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ValidationError(`${path}${pos ? `:${pos.line}:${pos.col}` : ''}: ${(error as Error).message.split('\n')[0]}`);
  }
  return parsePlatformMap(path, value, isKnown);
}

/** Platform names a map may use: the ones NetStacks drives; anything else fails with a hint naming the nearest. */
export function platformChecker(known: (platform: string) => boolean, suggest: (platform: string) => string | undefined): (platform: string) => string | true {
  return (platform) => {
    if (known(platform)) return true;
    return suggest(platform) ?? "run 'netstacks platform list' for the platform names";
  };
}

export interface TokenSources {
  /** from --token-stdin */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** opens the secret store; a failure to open it is not fatal when no token is stored there */
  secrets?: () => Promise<SecretStore>;
}

/** The NetBox token: --token-stdin, else NETBOX_TOKEN, else the secret store. */
export async function resolveNetboxToken(sources: TokenSources): Promise<{ token: string; from: string }> {
  const fromStdin = sources.stdin?.trim();
  if (fromStdin) return { token: fromStdin, from: '--token-stdin' };
  const fromEnv = (sources.env ?? process.env).NETBOX_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, from: 'NETBOX_TOKEN' };
  let storeProblem = '';
  if (sources.secrets) {
    try {
      const secrets = await sources.secrets();
      const stored = (await secrets.primary.get(NETBOX_TOKEN_KEY))?.trim();
      if (stored) return { token: stored, from: `secret store (${secrets.primary.name})` };
    } catch (error) {
      storeProblem = ` (the secret store could not be read: ${(error as Error).message})`;
    }
  }
  throw new UsageError(
    `no NetBox token${storeProblem}`,
    "store one with 'netstacks netbox set-token', or pass it with --token-stdin or the NETBOX_TOKEN environment variable",
  );
}
