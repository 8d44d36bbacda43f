import { ValidationError } from '../core/errors.js';
import type { DeviceInput } from '../inventory/types.js';
import type { NetboxDevice, NetboxRef } from './types.js';

/** NetBox platform or manufacturer slug (or a word in it) → NetStacks platform. */
export type PlatformMap = Record<string, string>;

export const FALLBACK_PLATFORM = 'cisco_ios';

/** What the original tool mapped, plus the other platforms NetStacks drives. */
export const DEFAULT_PLATFORM_MAP: PlatformMap = {
  juniper: 'juniper_junos',
  junos: 'juniper_junos',
  ios: 'cisco_ios',
  iosxe: 'cisco_ios',
  catalyst: 'cisco_ios',
  iosxr: 'cisco_xr',
  nxos: 'cisco_nxos',
  nexus: 'cisco_nxos',
  eos: 'arista_eos',
  arista: 'arista_eos',
  hpe: 'hp_procurve',
  procurve: 'hp_procurve',
  dell: 'dell_os10',
  os10: 'dell_os10',
  panos: 'paloalto_panos',
  paloalto: 'paloalto_panos',
  fortios: 'fortinet',
  fortinet: 'fortinet',
  aoscx: 'aruba_aoscx',
  aruba: 'aruba_aoscx',
  linux: 'linux',
};

/**
 * Finds the platform for slugs, most specific first: an exact key, then the longest key contained
 * in the slug with punctuation removed (`cisco-ios-xr` contains `iosxr` before `ios`). Keys of
 * `overrides` win over the defaults.
 */
export class PlatformResolver {
  private readonly layers: Array<{ exact: Map<string, string>; words: Array<[string, string]> }>;

  constructor(overrides: PlatformMap = {}, defaults: PlatformMap = DEFAULT_PLATFORM_MAP) {
    this.layers = [overrides, defaults].map((map) => ({
      exact: new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v])),
      words: Object.entries(map)
        .map(([k, v]): [string, string] => [squash(k), v])
        .filter(([k]) => k !== '')
        .sort((a, b) => b[0].length - a[0].length),
    }));
  }

  /** The platform for the first slug that maps, or undefined. */
  resolve(slugs: ReadonlyArray<string | null | undefined>): string | undefined {
    for (const layer of this.layers) {
      for (const slug of slugs) {
        if (!slug) continue;
        const exact = layer.exact.get(slug.toLowerCase());
        if (exact) return exact;
        const squashed = squash(slug);
        const word = layer.words.find(([key]) => squashed.includes(key));
        if (word) return word[1];
      }
    }
    return undefined;
  }
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface MappedDevice {
  input: DeviceInput & { name: string; host: string; platform: string; netboxId: number };
  /** set when neither the platform nor the manufacturer mapped and the fallback was used */
  unmappedPlatform?: string;
  /** set when the NetBox name had to be changed to be a valid NetStacks name */
  renamedFrom?: string;
}

/**
 * One NetBox device as NetStacks device fields. Only the fields NetBox owns are set, so a sync
 * never touches a device's port, credential, variables, groups or SSH options.
 */
export function mapNetboxDevice(device: NetboxDevice, platforms: PlatformResolver): MappedDevice | undefined {
  const rawName = device.name?.trim();
  if (!rawName) return undefined;
  const name = rawName.replace(/\s+/g, '-');
  const manufacturer = device.device_type?.manufacturer ?? null;
  const platformSlug = device.platform?.slug ?? device.platform?.name ?? null;
  const manufacturerSlug = manufacturer?.slug ?? manufacturer?.name ?? null;
  const platform = platforms.resolve([platformSlug, manufacturerSlug]);
  const role = device.role ?? device.device_role ?? null;
  const mapped: MappedDevice = {
    input: {
      name,
      host: primaryAddress(device) ?? name,
      platform: platform ?? FALLBACK_PLATFORM,
      site: refText(device.site),
      role: refText(role),
      vendor: manufacturer?.name?.trim() || null,
      model: device.device_type?.model?.trim() || null,
      tags: (device.tags ?? []).map((t) => (typeof t === 'string' ? t : (t.slug ?? t.name ?? ''))).filter((t) => t !== '').map((t) => t.replace(/[\s,]+/g, '-')),
      netboxId: device.id,
      source: 'netbox',
    },
  };
  if (!platform) mapped.unmappedPlatform = [platformSlug, manufacturerSlug].filter(Boolean).join('/') || '(none)';
  if (name !== rawName) mapped.renamedFrom = rawName;
  return mapped;
}

/** primary_ip4, else primary_ip, else primary_ip6, without the prefix length. */
function primaryAddress(device: NetboxDevice): string | undefined {
  const address = device.primary_ip4?.address ?? device.primary_ip?.address ?? device.primary_ip6?.address;
  const host = address?.split('/')[0]?.trim();
  return host || undefined;
}

function refText(ref: NetboxRef | null | undefined): string | null {
  return ref?.slug?.trim() || ref?.name?.trim() || null;
}

/**
 * Reads a platform map: a YAML or JSON mapping of slug → platform. Every platform must be one
 * NetStacks knows (`isKnown`), so a typo fails here rather than at connect time.
 */
export function parsePlatformMap(origin: string, value: unknown, isKnown: (platform: string) => string | true): PlatformMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`${origin}: the platform map must be a mapping of NetBox slugs to platforms`, 'e.g. {"cisco-ios-xe": "cisco_ios", "eos": "arista_eos"}');
  }
  const map: PlatformMap = {};
  for (const [slug, platform] of Object.entries(value as Record<string, unknown>)) {
    if (typeof platform !== 'string' || platform.trim() === '') {
      throw new ValidationError(`${origin}: the platform for '${slug}' must be a platform name`);
    }
    const known = isKnown(platform.trim());
    if (known !== true) throw new ValidationError(`${origin}: '${slug}' maps to unknown platform '${platform}'`, known);
    map[slug] = platform.trim();
  }
  return map;
}
