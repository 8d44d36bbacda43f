import type { LabOperState } from './ops/model.js';
import type { LabPlatform, LabQuirk } from './types.js';

/** What a personality knows about the device it plays. */
export interface DeviceIdentity {
  name: string;
  /** the hostname shown in prompts and configs (the device name) */
  hostname: string;
  platform: LabPlatform;
  seed: number;
  /** position in the lab, used for addresses in generated configs */
  index: number;
  host: string;
  bigConfig: boolean;
  /** grow the config to about this many bytes (0 or absent: the platform's normal size) */
  configBytes?: number;
  /** run-time state hooks (`lab.setState`): BGP peers down, interface errors, removed prefixes, failing pings */
  ops?: LabOperState;
}

/** Bytes a generated config is padded to: 5 MB for a big config, else the lab's configBytes option. */
export function paddedBytes(id: DeviceIdentity, big: number): number {
  return id.bigConfig ? big : (id.configBytes ?? 0);
}

/** The shell a personality's session talks through. */
export interface Shell {
  readonly id: DeviceIdentity;
  readonly username: string;
  /** the device's quirks, for personalities that behave differently with one (junos-root-shell, fortios-vdoms) */
  readonly quirks: readonly LabQuirk[];
  /** true for an exec channel: no paging, no prompts, one command */
  readonly exec: boolean;
  /** the pager is on until the platform's paging-disable command runs */
  paging: boolean;
  /** how long a "minute" lasts for `commit confirmed` (shortened in tests) */
  readonly minuteMs: number;
  /** command output, paged when paging is on */
  print(text: string): Promise<void>;
  /** ask a question and read the answer; `secret` disables echo (passwords) */
  ask(question: string, options?: { secret?: boolean }): Promise<string | null>;
  /** end the session (exit, logout) */
  exit(code?: number): void;
  /** exit status of the command just run (exec channels report it) */
  status(code: number): void;
}

export interface DeviceSession {
  prompt(): string;
  /** runs one line as typed by the user */
  execute(line: string): Promise<void>;
}

export interface Personality<S = unknown> {
  platform: LabPlatform;
  /** software version string sent in the SSH identification line, e.g. `Cisco-1.25` */
  sshSoftware: string;
  /** shown right after the shell opens (MOTD / login banner) */
  motd(id: DeviceIdentity): string;
  /** the pager line; a function gets the first and last line numbers shown (PAN-OS: `lines 1-23 `) */
  pager: { prompt: string | ((first: number, last: number) => string); erase: string };
  /** always shows "press any key" after login (ProCurve), regardless of quirks */
  pressAnyKey?: string;
  initialState(id: DeviceIdentity): S;
  /** the running config as the platform prints it */
  runningConfig(state: S, id: DeviceIdentity): string;
  session(shell: Shell, state: S): DeviceSession;
}

/** Timestamps in the style of `! Last configuration change at 07:12:01 UTC Fri Nov 27 2026`. */
export function ciscoTime(date: Date): string {
  const day = date.toUTCString().slice(0, 3);
  const month = date.toUTCString().slice(8, 11);
  const time = date.toISOString().slice(11, 19);
  return `${time} UTC ${day} ${month} ${date.getUTCDate()} ${date.getUTCFullYear()}`;
}

export function isoTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}
