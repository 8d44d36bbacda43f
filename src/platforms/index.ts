import { NotFoundError } from '../core/errors.js';
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
