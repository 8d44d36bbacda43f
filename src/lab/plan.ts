import { ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { pick, randInt, randomFor } from './rng.js';
import {
  DEFAULT_LAB_PLATFORMS,
  LAB_FAULTS,
  LAB_PLATFORMS,
  LAB_EXPLICIT_QUIRKS,
  LAB_QUIRKS,
  type LabDevice,
  type LabOptions,
  type LabPlatform,
  type LabQuirk,
} from './types.js';

/** Short name prefix per platform: devices are `ios-1`, `eos-2`, ... */
export const PLATFORM_PREFIX: Record<LabPlatform, string> = {
  cisco_ios: 'ios',
  cisco_xe: 'xe',
  arista_eos: 'eos',
  juniper_junos: 'junos',
  cisco_nxos: 'nxos',
  cisco_xr: 'xr',
  linux: 'linux',
  fortinet: 'fgt',
  paloalto_panos: 'panos',
  hp_procurve: 'procurve',
  aruba_aoscx: 'cx',
};

export const DEFAULT_PORT = 2022;
export const DEFAULT_DEVICE_COUNT = 10;
export const DEFAULT_SEED = 1;

export function parsePlatforms(platforms: string[] | undefined): LabPlatform[] {
  if (!platforms || platforms.length === 0) return [...DEFAULT_LAB_PLATFORMS];
  return platforms.map((name) => {
    const known = LAB_PLATFORMS.find((p) => p === name || PLATFORM_PREFIX[p] === name);
    if (!known) {
      const hint = nearest(name, [...LAB_PLATFORMS]);
      throw new ValidationError(`unknown lab platform '${name}'`, hint ? `did you mean '${hint}'?` : `known: ${LAB_PLATFORMS.join(', ')}`);
    }
    return known;
  });
}

/** Deterministic names, round-robin over the platforms: ios-1, eos-2, junos-3, ... */
export function labDeviceNames(count: number, platforms: readonly LabPlatform[] = DEFAULT_LAB_PLATFORMS): { name: string; platform: LabPlatform }[] {
  const out: { name: string; platform: LabPlatform }[] = [];
  for (let i = 0; i < count; i++) {
    const platform = platforms[i % platforms.length] as LabPlatform;
    out.push({ name: `${PLATFORM_PREFIX[platform]}-${i + 1}`, platform });
  }
  return out;
}

/** 127.0.1.1, 127.0.1.2, ... skipping .0 and .255 in the last octet. */
export function labAddress(index: number, first = '127.0.1.1'): string {
  const [a, b, c, d] = first.split('.').map(Number) as [number, number, number, number];
  const start = (c * 254) + (d - 1) + index;
  const third = Math.floor(start / 254);
  const fourth = (start % 254) + 1;
  if (third > 255) throw new ValidationError(`too many lab devices for addresses from ${first}`);
  return `${a}.${b}.${third}.${fourth}`;
}

export function validateFault(fault: string, where: string): string {
  const [name, parameter] = fault.split(':', 2);
  if (!(LAB_FAULTS as readonly string[]).includes(name ?? '')) {
    const hint = nearest(name ?? '', [...LAB_FAULTS]);
    throw new ValidationError(`unknown lab fault '${name}' in ${where}`, hint ? `did you mean '${hint}'?` : `known faults: ${LAB_FAULTS.join(', ')}`);
  }
  if (parameter !== undefined && !/^\d+$/.test(parameter)) {
    throw new ValidationError(`fault parameter '${parameter}' in ${where} must be a number of milliseconds`);
  }
  return fault;
}

/**
 * Faults spec: `ios-3=auth-failure,eos-1=drop-mid-command,eos-1=latency:500` and/or `random:10%`
 * (10% of devices, each with one fault picked from the seed; `random:10%=latency` fixes the fault).
 */
export function parseFaultSpec(specs: string[] | Record<string, string[]> | undefined, names: string[], seed: number): Map<string, string[]> {
  const faults = new Map<string, string[]>();
  const add = (device: string, fault: string, where: string) => {
    if (!names.includes(device)) {
      const hint = nearest(device, names);
      throw new ValidationError(`fault for unknown lab device '${device}' in ${where}`, hint ? `did you mean '${hint}'?` : undefined);
    }
    const list = faults.get(device) ?? [];
    if (!list.includes(fault)) list.push(validateFault(fault, where));
    faults.set(device, list);
  };
  if (!specs) return faults;
  if (!Array.isArray(specs)) {
    for (const [device, list] of Object.entries(specs)) for (const fault of list) add(device, fault, `faults for ${device}`);
    return faults;
  }
  for (const spec of specs) {
    for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
      const random = /^random:(\d+(?:\.\d+)?)%(?:=(.+))?$/.exec(item);
      if (random) {
        const share = Number(random[1]) / 100;
        const fixed = random[2] ? validateFault(random[2], item) : undefined;
        const rng = randomFor(seed, 'random-faults', item);
        // Refused devices would look like a misconfigured inventory, so random picks leave them out.
        const pool = LAB_FAULTS.filter((f) => f !== 'refused');
        for (const name of names) if (rng() < share) add(name, fixed ?? pick(rng, pool), item);
        continue;
      }
      const eq = item.indexOf('=');
      if (eq <= 0) throw new ValidationError(`bad fault spec '${item}'`, "use DEVICE=FAULT (e.g. 'ios-1=auth-failure') or 'random:10%'");
      add(item.slice(0, eq), item.slice(eq + 1), item);
    }
  }
  return faults;
}

export function parseQuirks(list: string[], where: string): LabQuirk[] {
  return list.map((q) => {
    if (!(LAB_QUIRKS as readonly string[]).includes(q)) {
      const hint = nearest(q, [...LAB_QUIRKS]);
      throw new ValidationError(`unknown lab quirk '${q}' in ${where}`, hint ? `did you mean '${hint}'?` : `known quirks: ${LAB_QUIRKS.join(', ')}`);
    }
    return q as LabQuirk;
  });
}

/** Each quirk is on for roughly a third of the devices, chosen from the seed and the name. */
export function chooseQuirks(seed: number, name: string): LabQuirk[] {
  const rng = randomFor(seed, 'quirks', name);
  const pool = LAB_QUIRKS.filter((q) => !LAB_EXPLICIT_QUIRKS.includes(q));
  const chosen = pool.filter(() => rng() < 0.3);
  if (chosen.length === 0) chosen.push(pool[randInt(rng, 0, pool.length - 1)] as LabQuirk);
  return chosen;
}

export function planLab(options: LabOptions): LabDevice[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.devices ?? DEFAULT_DEVICE_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > 20_000) throw new ValidationError(`lab device count must be 1..20000, got ${count}`);
  const port = options.port ?? DEFAULT_PORT;
  const named = labDeviceNames(count, parsePlatforms(options.platforms));
  const names = named.map((d) => d.name);
  const faults = parseFaultSpec(options.faults, names, seed);
  const forced = options.deviceQuirks ?? {};
  for (const device of Object.keys(forced)) {
    if (!names.includes(device)) throw new ValidationError(`quirks for unknown lab device '${device}'`);
  }
  return named.map(({ name, platform }, index) => ({
    name,
    platform,
    host: labAddress(index, options.firstAddress),
    port,
    faults: faults.get(name) ?? [],
    quirks: forced[name] ? parseQuirks(forced[name], `quirks for ${name}`) : options.quirks === false ? [] : chooseQuirks(seed, name),
  }));
}
