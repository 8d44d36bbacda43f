import { NotFoundError } from '../core/errors.js';
import { distance } from 'fastest-levenshtein';
import { nearest } from '../core/suggest.js';
import { aristaEos } from './arista_eos.js';
import { arubaAoscx } from './aruba_aoscx.js';
import { ciscoIos } from './cisco_ios.js';
import { ciscoNxos } from './cisco_nxos.js';
import { ciscoXr } from './cisco_xr.js';
import { fortinet } from './fortinet.js';
import { hpComware } from './hp_comware.js';
import { hpProcurve } from './hp_procurve.js';
import { juniperJunos } from './juniper_junos.js';
import { linux } from './linux.js';
import { paloaltoPanos } from './paloalto_panos.js';
import { vyos } from './vyos.js';
import type { PlatformDefinition } from './types.js';

export type * from './types.js';

const PLATFORMS: readonly PlatformDefinition[] = [
  ciscoIos,
  ciscoNxos,
  ciscoXr,
  aristaEos,
  juniperJunos,
  linux,
  fortinet,
  paloaltoPanos,
  hpProcurve,
  arubaAoscx,
  hpComware,
  vyos,
];

/**
 * Order in which autodetection tries platforms: the most specific banners first, because
 * 'Cisco IOS XR' and 'NX-OS' outputs would otherwise be claimed by looser patterns.
 */
const DETECT_ORDER = [
  'cisco_xr',
  'cisco_nxos',
  'cisco_ios',
  'arista_eos',
  'juniper_junos',
  'aruba_aoscx',
  'hp_procurve',
  'fortinet',
  'paloalto_panos',
  'hp_comware',
  'vyos',
  'linux',
];

const byName = new Map<string, PlatformDefinition>();
for (const platform of PLATFORMS) {
  byName.set(platform.name, platform);
  for (const alias of platform.aliases ?? []) byName.set(alias, platform);
}

/** The platform called `name` (or one of its aliases, e.g. cisco_xe → cisco_ios). */
export function getPlatform(name: string): PlatformDefinition {
  const platform = byName.get(name.trim().toLowerCase());
  if (!platform) throw new NotFoundError('platform', name, nearest(name, [...byName.keys()]));
  return platform;
}

export function listPlatforms(): PlatformDefinition[] {
  return [...PLATFORMS];
}

/** Every command autodetection needs the output of, most telling first. */
export function detectCommands(): string[] {
  const commands: string[] = [];
  for (const name of DETECT_ORDER) {
    for (const rule of getPlatform(name).detect) if (!commands.includes(rule.command)) commands.push(rule.command);
  }
  return commands;
}

/**
 * The platform whose detect rules match, given the outputs of detect commands keyed by command
 * (e.g. { 'show version': '...' }). Missing commands are skipped; undefined when nothing matches.
 */
export function detectPlatform(outputs: Record<string, string>): string | undefined {
  for (const name of DETECT_ORDER) {
    for (const rule of getPlatform(name).detect) {
      const output = outputs[rule.command];
      if (output !== undefined && new RegExp(rule.pattern, 'm').test(output)) return name;
    }
  }
  return undefined;
}

/** `platform: autodetect`: the platform is found at connect time from `show version` and friends. */
export const AUTODETECT = 'autodetect';

/** Every name a device may use: platform names, their aliases, and `autodetect`. */
export function platformNames(): string[] {
  return [...byName.keys(), AUTODETECT];
}

/** True when `name` is a platform, an alias of one, or `autodetect`. */
export function isKnownPlatform(name: string): boolean {
  const key = name.trim().toLowerCase();
  return key === AUTODETECT || byName.has(key);
}

/** Up to `count` known platform names nearest to `name` (prefix matches first, then edit distance). */
export function nearestPlatforms(name: string, count = 3): string[] {
  const key = name.trim().toLowerCase();
  const names = PLATFORMS.map((p) => p.name);
  const scored = names.map((candidate) => ({ candidate, score: candidate.startsWith(key) && key.length >= 2 ? -1 : distance(key, candidate) }));
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  const limit = Math.max(3, Math.ceil(key.length / 2));
  return scored.filter((s) => s.score <= limit).slice(0, count).map((s) => s.candidate);
}

/** The hint for an unknown platform: the nearest names, or where to see them all. */
export function unknownPlatformHint(name: string): string {
  const near = nearestPlatforms(name);
  const all = "run 'netstacks platform list' for every platform (or use autodetect)";
  return near.length > 0 ? `did you mean ${near.map((n) => `'${n}'`).join(', ')}? ${all}` : all;
}
