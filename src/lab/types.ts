import type { LabOperState } from './ops/model.js';

/** Public shapes of the embedded lab: options, devices, faults and quirks. */

export const LAB_PLATFORMS = [
  'cisco_ios',
  'arista_eos',
  'juniper_junos',
  'cisco_nxos',
  'cisco_xr',
  'linux',
  'fortinet',
  'paloalto_panos',
  'hp_procurve',
  'aruba_aoscx',
  'cisco_xe',
] as const;
export type LabPlatform = (typeof LAB_PLATFORMS)[number];

/** Platforms a default lab spreads its devices over (cisco_xe only when asked for). */
export const DEFAULT_LAB_PLATFORMS: readonly LabPlatform[] = LAB_PLATFORMS.filter((p) => p !== 'cisco_xe');

/** Things that go wrong on purpose. `latency` takes milliseconds: `latency:500` (default 300). */
export const LAB_FAULTS = [
  'latency',
  'drop-mid-command',
  'hang-after-login',
  'auth-failure',
  'changed-host-key',
  'legacy-only',
  'refused',
] as const;
export type LabFaultName = (typeof LAB_FAULTS)[number];

/** Behaviours real devices have that trip up naive screen scrapers. */
export const LAB_QUIRKS = [
  'chunked-output',
  'split-prompt',
  'delayed-prompt',
  'cr-before-prompt',
  'ansi-codes',
  'press-any-key',
  // only when asked for (deviceQuirks / --quirk): never chosen from the seed
  'login-banner',
  'junos-root-shell',
  'procurve-enable-username',
  'fortios-vdoms',
] as const;
export type LabQuirk = (typeof LAB_QUIRKS)[number];

/**
 * Quirks a lab only gives a device when asked: a pre-login SSH banner, a Junos login that lands
 * in the root shell (`root@host:RE:0%`, `cli` to continue), ProCurve asking `Username:` during
 * enable, and FortiOS with VDOMs (`config global` / `config vdom` + `edit VDOM`).
 */
export const LAB_EXPLICIT_QUIRKS: readonly LabQuirk[] = ['login-banner', 'junos-root-shell', 'procurve-enable-username', 'fortios-vdoms'];

export interface LabOptions {
  /** NetStacks home: host keys are cached in <home>/lab; without it keys live in memory only */
  home?: string;
  /** number of devices (default 10) */
  devices?: number;
  /** platforms to spread devices over, round-robin (default: all ten) */
  platforms?: string[];
  /** per device (`{'ios-1': ['auth-failure']}`), or spec strings (`['ios-1=auth-failure', 'random:10%']`) */
  faults?: Record<string, string[]> | string[];
  /** quirks chosen from the seed (default true); false turns them all off */
  quirks?: boolean;
  /** exact quirks for some devices, overriding the seed's choice */
  deviceQuirks?: Record<string, string[]>;
  seed?: number;
  /** shared TCP port (default 2022); 0 picks a free one */
  port?: number;
  /** every device gets a running config of 5 MB or more */
  bigConfig?: boolean;
  /** devices that get a big config even without bigConfig */
  bigConfigDevices?: string[];
  /** grow every device's config to about this many bytes (IOS-like and Junos platforms), e.g. 50_000 for backup benches */
  configBytes?: number;
  /** first loopback address (default 127.0.1.1) */
  firstAddress?: string;
  /** unix socket for `lab reset`/`lab stop` from other processes (default <home>/lab/control.sock) */
  controlSocket?: string | false;
}

export type { LabOperState };

export interface LabDevice {
  name: string;
  host: string;
  port: number;
  platform: LabPlatform;
  /** fault names with their parameters, e.g. `latency:300` */
  faults: string[];
  quirks: LabQuirk[];
}

export interface LabHostKey {
  /** `ssh-ed25519 AAAA...` as in a known_hosts line */
  publicKey: string;
  /** `SHA256:...` like OpenSSH prints it */
  fingerprint: string;
}

export interface LabHandle {
  readonly port: number;
  readonly devices: LabDevice[];
  /** the running config text as `show running-config` (or the platform's equivalent) prints it */
  runningConfig(name: string): string;
  /** restore every device's default config (or only the named ones) */
  reset(names?: string[]): void;
  /**
   * bend the device's operational state (merged into what is set already; `reset` clears it):
   * `{ bgpDown: ['10.0.0.2'], interfaceErrors: { 'GigabitEthernet0/1': 120 }, removedPrefixes: ['172.16.0.0/24'], pingFail: true }`
   */
  setState(name: string, state: LabOperState): void;
  /** the state hooks now in force on a device */
  operState(name: string): LabOperState;
  /** change a device's faults at run time (e.g. to present a changed host key after a first trust) */
  setFaults(name: string, faults: string[]): Promise<void>;
  /** the key the device normally presents, and the one it presents now */
  hostKey(name: string): { normal: LabHostKey; presented: LabHostKey };
  /**
   * the one-shot drop fault: the next session that sends config lines to this device loses its
   * TCP connection right after the Nth one (applied, unanswered); later connections are not dropped,
   * so a reconnect for the rollback succeeds
   */
  dropOnce(name: string, options: { afterConfigLines: number }): void;
  /** connections accepted so far, per device */
  connections(name: string): number;
  stop(): Promise<void>;
}
