import type { ConfigModelRules } from '../config/types.js';

/**
 * A platform is data (after Scrapli): modes with prompt patterns, transitions between them,
 * failure indicators, and the few commands NetStacks needs. The session engine in src/session
 * interprets it; adding a platform means adding a file here, never touching the engine.
 * Patterns are regular-expression source strings, matched against normalised text (\n line ends,
 * no ANSI codes). Prompt patterns are matched against the last line of output only.
 */
export interface PlatformMode {
  name: string;
  /** e.g. '^[\\w.\\-@/:]{1,63}#\\s?$' */
  prompt: string;
  /** substrings that must not occur in the prompt line for it to count as this mode, e.g. '(config' */
  notContains?: string[];
}

export interface Interaction {
  /** a pattern in the output that asks for something */
  pattern: string;
  /** what to answer: literal text, or a credential field resolved at run time ('username' is the login name, not masked) */
  respond: string | { secret: 'password' | 'enable' | 'username' };
  /** do not add a newline after the answer (for "press any key") */
  noNewline?: boolean;
}

export interface ModeTransition {
  from: string;
  to: string;
  send: string;
  /** prompts to answer on the way, e.g. enable's 'Password:' */
  interactions?: Interaction[];
}

export interface CleanupRule {
  /** pattern, applied with the 'gm' flags */
  pattern: string;
  replace: string;
  /** why the rule exists, shown in `platform show` */
  note?: string;
}

export interface PlatformDefinition {
  name: string;
  aliases?: string[];
  vendor: string;
  description: string;
  /** what ends a line we send on the shell: '\n' unless the OS wants '\r' (AOS-CX) */
  newline?: '\n' | '\r';
  /** 'shell' for an interactive PTY session (all network OSes); 'exec' for one channel per command */
  transport: 'shell' | 'exec';
  modes: PlatformMode[];
  /** the mode commands run in; the engine moves there after login */
  defaultMode: string;
  /** the configuration mode, if any */
  configMode?: string;
  transitions: ModeTransition[];
  /** sent once after login in the default mode: paging off, terminal width */
  onOpen: string[];
  /** sent before disconnecting */
  onClose: string[];
  /** pager prompts answered while a command's output is still coming */
  pagers: Interaction[];
  /** screens shown after login before the first prompt ("Press any key to continue") */
  loginInteractions?: Interaction[];
  /** substrings in a command's output that make it fail with the device's own message */
  failurePatterns: string[];
  /** patterns of whole lines removed from every command's output (Junos' '[edit]' before the prompt) */
  outputNoise?: string[];
  config: {
    /** 'lines': each line applies at once (IOS-like); 'candidate': changes apply on commit */
    style: 'lines' | 'candidate';
    commit?: string;
    /** commit that reverts itself unless confirmed; '{minutes}' is replaced */
    commitConfirmed?: string;
    /** keeps a commit confirmed (Junos/XR: a plain `commit`) */
    confirm?: string;
    /** throws the uncommitted candidate away */
    abort?: string;
    /** undoes the last commits; '{n}' is how many */
    rollback?: string;
    /** the mode each verb runs in, where it is not the config mode (IOS-XR rolls back from privileged mode) */
    verbModes?: Partial<Record<'confirm' | 'abort' | 'rollback', string>>;
    /** the rollback only loads an older config into the candidate, which must then be committed (Junos) */
    rollbackNeedsCommit?: boolean;
    /** save the running config to startup (IOS: 'write memory') */
    save?: string;
    /** questions a config line may ask ('[confirm]'), answered during a push */
    interactions?: Interaction[];
    /** questions the save command may ask ("Destination filename [startup-config]?") */
    saveInteractions?: Interaction[];
    /** how configs are structured and changed (src/config); none for Linux */
    model?: ConfigModelRules;
    /** how a change is made safely (src/config/transaction.ts): the device's own safety net, if any */
    change?: ChangePath;
  };
  runningConfig: {
    command: string;
    /** lines that change on every fetch or carry no meaning: removed before storing or diffing */
    cleanup: CleanupRule[];
  };
  /** what a backup fetches and keeps beyond the running config (after Oxidized and RANCID) */
  backup?: BackupSpec;
  /** how `platform: autodetect` recognises this platform from the output of `command` */
  detect: { command: string; pattern: string }[];
  /** per-platform default timeouts (seconds), below settings and overrides */
  timeouts?: Partial<{ connect: number; auth: number; banner: number; prompt: number; command: number }>;
  /** the platform needs keyboard-interactive auth (PAN-OS, AAA-backed) */
  keyboardInteractive?: boolean;
  /**
   * the OS gives structured output when `suffix` follows a show command (EOS/NX-OS ' | json',
   * Junos ' | display json'); `run --parse` prefers it over TextFSM templates
   */
  nativeJson?: { suffix: string };
}

/** A command whose output a backup keeps beside the config, cleaned of clocks and counters. */
export interface BackupFact {
  /** key in the stored facts, e.g. 'version', 'inventory' */
  name: string;
  command: string;
  cleanup: CleanupRule[];
}

export interface BackupSpec {
  /** other ways to print the config, chosen by a setting (Junos: 'set' for `| display set`) */
  formats?: Record<string, { command: string; cleanup: CleanupRule[] }>;
  /** prints the saved config; compared (cleaned) with the running one to flag unsaved changes */
  startupConfig?: string;
  facts?: BackupFact[];
  /** secrets masked when a stored config leaves the store (show, diff, search, export, hooks) */
  secrets: CleanupRule[];
}

/**
 * The path one configuration change takes on a platform (after NAPALM's load/compare/commit
 * contract): how config mode is entered for a change, where the device's own safety net is and how
 * it is confirmed or fired. Commands are run in the mode named beside them; placeholders:
 * `{minutes}`, `{seconds}`, `{hms}` (hh:mm:ss) and `{name}` (a per-change session or checkpoint name).
 */
export interface ChangePath {
  /**
   * 'commit-confirmed': a candidate committed with a timer (Junos, IOS-XR, VyOS);
   * 'revert-timer': lines apply at once, the device reverts unless confirmed (IOS `configure terminal revert timer`);
   * 'config-session': lines go to a named session committed with a timer (EOS);
   * 'checkpoint': a named checkpoint before, rolled back to on failure (NX-OS);
   * 'candidate': a candidate committed without a timer (PAN-OS);
   * 'lines': no safety net: lines apply at once, rollback pushes the computed rollback lines
   */
  net: 'commit-confirmed' | 'revert-timer' | 'config-session' | 'checkpoint' | 'candidate' | 'lines';
  /** sent in the default mode before a change (PAN-OS: set-format output for the compare) */
  prepare?: string[];
  /** enters config mode for a change from the default mode ('configure private', 'configure session {name}') */
  enter?: string;
  /** the same when no timer is wanted (IOS: a plain 'configure terminal') */
  enterWithoutTimer?: string;
  /** the device's own compare of the candidate, in config mode (Junos 'show | compare') */
  compare?: string;
  /** commit with the safety net armed, in config mode */
  commitConfirmed?: string;
  /** commit without a timer, in config mode */
  commit?: string;
  /** keeps the change: the command and the mode it runs in */
  confirm?: { command: string; mode: string };
  /** throws an uncommitted change away, in config mode (leaves config mode where the device does) */
  abort?: string;
  /** fires the safety net at once (IOS 'configure revert now', EOS 'configure session {name} abort') */
  revertNow?: { command: string; mode: string };
  /** a named checkpoint taken before the change (NX-OS) */
  checkpoint?: { create: string; restore: string; remove: string; mode: string };
  /** whole blocks of config text (Junos braces): the command per load mode, ended by `end` on a line of its own */
  load?: { merge: string; replace: string; end: string };
}
