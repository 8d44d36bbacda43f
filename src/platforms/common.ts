import type { CleanupRule, Interaction, ModeTransition, PlatformMode } from './types.js';

/** Data shared by several platform files: prompts, pagers and screens that many OSes have in common. */

/** a hostname as it appears in prompts */
export const HOST = '[\\w.\\-@/:]{1,63}';

/** a configuration context after the hostname: '(config)', '(config-if)', '(cfg-crypto-trans)', '(ca-trustpoint)' */
export const CONTEXT = '\\([\\w.\\-@/:+]{1,48}\\)';

/** '--More--', ' -- MORE -- ' and friends; answered with a space */
export const MORE_PAGER: Interaction = { pattern: '-- ?[Mm][Oo][Rr][Ee] ?--', respond: ' ', noNewline: true };

/** ProCurve and AOS-CX: '-- MORE --, next page: Space, next line: Enter, quit: Control-C' */
export const MORE_NEXT_PAGE_PAGER: Interaction = { pattern: '-- MORE --, next page: Space', respond: ' ', noNewline: true };

/** shown by some boxes (ProCurve, AAA banners) before the first prompt */
export const PRESS_ANY_KEY: Interaction = { pattern: '[Pp]ress any key to continue', respond: '' };

/** IOS-style enable: 'Password:' answered with the enable secret */
export const ENABLE_PASSWORD: Interaction = { pattern: '[Pp]assword: ?$', respond: { secret: 'enable' } };

/** the IOS family's complaints */
export const IOS_FAILURES = ['% Invalid input', '% Ambiguous command', '% Incomplete command', '% Unknown command', '% Invalid command'];

export const IOS_CLEANUP: CleanupRule[] = [
  { pattern: '^Building configuration\\.\\.\\.$', replace: '', note: 'progress message' },
  { pattern: '^Current configuration : \\d+ bytes$', replace: '', note: 'size changes with every edit' },
  { pattern: '^! Last configuration change at .*$', replace: '', note: 'timestamp' },
  { pattern: '^! NVRAM config last updated at .*$', replace: '', note: 'timestamp' },
  { pattern: '^! No configuration change since last restart$', replace: '', note: 'state, not configuration' },
  { pattern: '^ntp clock-period \\d+$', replace: '', note: 'drifts on its own' },
];

/** IOS-style questions some config lines ask ('no username x' → '[confirm]'): accept the default */
export const IOS_CONFIG_QUESTIONS: Interaction[] = [{ pattern: '\\[confirm\\]\\s*$', respond: '' }];

/** IOS-style prompts: 'host>' (exec), 'host#' (privileged), 'host(config-if)#' (configuration) */
export const IOS_EXEC_MODE: PlatformMode = { name: 'exec', prompt: `^${HOST}>\\s*$` };
export const IOS_PRIVILEGED_MODE: PlatformMode = { name: 'privileged', prompt: `^${HOST}#\\s*$`, notContains: ['(config'] };
export const IOS_CONFIGURATION_MODE: PlatformMode = { name: 'configuration', prompt: `^${HOST}${CONTEXT}#\\s*$` };

/** IOS-style moves between those modes */
export const ENABLE: ModeTransition = { from: 'exec', to: 'privileged', send: 'enable', interactions: [ENABLE_PASSWORD] };
export const DISABLE: ModeTransition = { from: 'privileged', to: 'exec', send: 'disable' };
export const CONFIGURE_TERMINAL: ModeTransition = { from: 'privileged', to: 'configuration', send: 'configure terminal' };
export const END_CONFIGURATION: ModeTransition = { from: 'configuration', to: 'privileged', send: 'end' };

/** IOS-style paging off and wide lines, sent after login */
export const IOS_TERMINAL_SETUP = ['terminal length 0', 'terminal width 511'];

/** Junos and PAN-OS: 'host>' is operational mode, 'host#' the candidate configuration */
export function candidateModes(host: string): PlatformMode[] {
  return [
    { name: 'exec', prompt: `^${host}>\\s*$` },
    { name: 'configuration', prompt: `^${host}#\\s*$` },
  ];
}

/**
 * Junos and PAN-OS: 'configure' enters the candidate; `exit` leaves it, and the question asked
 * when uncommitted changes remain is answered with `confirm` (that OS's word for yes).
 */
export function candidateTransitions(exit: string, confirm: string): ModeTransition[] {
  return [
    { from: 'exec', to: 'configuration', send: 'configure' },
    {
      from: 'configuration',
      to: 'exec',
      send: exit,
      interactions: [{ pattern: '[Uu]ncommitted changes.*\\?', respond: confirm }],
    },
  ];
}

/** What masked secrets are replaced with when a backup is shown, diffed, searched or exported. */
export const SECRET_MARKER = '<secret masked>';

const mask = (pattern: string, note: string): CleanupRule => ({ pattern, replace: `$1 ${SECRET_MARKER}`, note });

/** Password hashes, SNMP communities and keys in the IOS family's configs. */
export const IOS_SECRETS: CleanupRule[] = [
  mask('^(enable (?:secret|password)(?: level \\d+)?(?: \\d+| sha512)?) \\S+', 'enable secret or password'),
  mask('^(username \\S+.*? (?:secret|password)(?: \\d+| sha512)?) \\S+', 'user password hash'),
  mask('^(snmp-server community) \\S+', 'SNMP community'),
  mask('^(snmp-server host \\S+(?: vrf \\S+)?(?: informs| traps)?(?: version (?:1|2c|3 \\w+))?) \\S+', 'SNMP community of a trap host'),
  mask('^(\\s+(?:password|secret)(?: \\d+)?) \\S+$', 'line or user password'),
  mask('^(\\s*(?:tacacs-server|radius-server)(?: host \\S+)?.*? key(?: \\d+)?) \\S+', 'AAA server key'),
  mask('((?:pre-shared-key|key-string|authentication-key|md5)(?: \\d+)?) \\S+$', 'routing and VPN keys'),
  mask('(neighbor \\S+ password(?: \\d+)?) \\S+$', 'BGP neighbour password'),
  mask('(password ciphertext) \\S+', 'AOS-CX password'),
];

/** `show version` lines that change on their own (uptime, clocks, reload counters). */
export const VERSION_NOISE: CleanupRule[] = [
  { pattern: '^.*\\b[Uu]ptime\\b.*$', replace: '', note: 'uptime' },
  { pattern: '^.*\\bUp Time\\b.*$', replace: '', note: 'uptime' },
  { pattern: '^(?:System time|time|Current time|CPU Util|Free)\\b.*$', replace: '', note: 'clock and load' },
  {
    pattern: '^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d+ \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? \\S+$',
    replace: '',
    note: 'the timestamp IOS XR prints before the output of every command',
  },
];
