import type { Interaction, PlatformDefinition } from '../platforms/types.js';

/** Secrets a session may need to answer prompts (enable). Never logged: transcripts mask them. */
export interface SessionSecrets {
  /** the login name, for devices that ask for it again (ProCurve's enable) */
  username?: string;
  password?: string;
  enable?: string;
}

/** Where a session writes what went over the wire, already masked. */
export interface TranscriptSink {
  write(direction: 'in' | 'out', text: string): void;
  close(): Promise<void>;
}

export interface CommandResult {
  command: string;
  output: string;
  /** milliseconds */
  elapsed: number;
}

export interface ConfigPushResult {
  /** lines sent in config mode */
  sent: string[];
  /** the device's answer to each line, where it said anything */
  output: string;
  committed: boolean;
  saved: boolean;
}

export interface SendInModeOptions {
  timeoutMs?: number;
  /** answer the platform's config-line questions ('[confirm]') */
  config?: boolean;
  /** text typed after the command without prompts, then `end` on a line of its own */
  block?: { lines: string[]; end: string };
  /**
   * the command is a block of lines pasted at once (a whole config), read until this matches a
   * line of the answer (ShellChannel.paste); errors and the result name its first line
   */
  until?: RegExp;
  /** 1-based line number reported in a CommandError */
  line?: number;
}

/**
 * A logged-in session on one device, driven by its platform definition. Implemented in
 * src/session; the fan-out runner and every later feature (stacks, MOPs, backups) use only this.
 */
export interface DeviceSession {
  readonly device: string;
  readonly platform: PlatformDefinition;
  readonly mode: string;
  /** the device's prompt as last seen (shell platforms; absent on exec platforms) */
  readonly prompt?: string;
  /** run one command in the default (privileged when available) mode; throws CommandError on a failure pattern */
  send(command: string, options?: { timeoutMs?: number }): Promise<CommandResult>;
  /**
   * a command that asks questions (reload's confirmations), answered from `interactions`; with
   * `expectClose` the device hanging up ends it without an error (`closed: true`). Shell sessions only.
   */
  sendInteractive?(command: string, options: { interactions: Interaction[]; timeoutMs?: number; expectClose?: boolean }): Promise<CommandResult & { closed: boolean }>;
  /** enter config mode, send lines, commit where the platform has a candidate config, leave config mode */
  pushConfig(lines: string[], options?: { save?: boolean; commitConfirmedMinutes?: number }): Promise<ConfigPushResult>;
  /** keeps a commit confirmed (candidate platforms); without it the device reverts by itself */
  confirm(): Promise<void>;
  /** throws an uncommitted candidate away */
  discard(): Promise<void>;
  /** undoes the last `steps` commits (Junos `rollback N` + commit, IOS-XR `rollback configuration last N`) */
  rollback(steps?: number): Promise<void>;
  /**
   * One command run from `mode` (undefined: wherever the session is), the session then following the
   * prompt the device ends at (`configure session x` lands in config mode). `config` answers the
   * platform's config-line questions; `block` lines are typed after the command without waiting for
   * prompts and ended by `block.end` (Junos `load merge terminal` … Ctrl-D). Throws CommandError on
   * a failure pattern. Used by config transactions (src/config/transaction.ts) and full-config
   * restore (src/backups/restore.ts, with `until`).
   */
  sendInMode?(mode: string | undefined, command: string, options?: SendInModeOptions): Promise<CommandResult & { mode: string }>;
  /** moves through the platform's modes to `mode` (config transactions) */
  moveToMode?(mode: string): Promise<void>;
  /** running config with the platform's cleanup rules applied */
  runningConfig(): Promise<string>;
  close(): Promise<void>;
}
