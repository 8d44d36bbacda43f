import {
  HOST,
  PRESS_ANY_KEY,
  SECRET_MARKER,
  VERSION_NOISE,
  candidateModes,
  candidateTransitions,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { JUNOS_MODEL } from './config-models.js';

export const juniperJunos: PlatformDefinition = {
  name: 'juniper_junos',
  aliases: ['junos'],
  vendor: 'Juniper',
  description: 'Juniper Junos (candidate configuration with commit)',
  transport: 'shell',
  // a root login lands in the FreeBSD shell ('root@host:RE:0%'): 'cli' starts the Junos CLI
  modes: [...candidateModes(HOST), { name: 'shell', prompt: '^[\\w.\\-]+@[\\w.\\-]+(:[\\w.\\-]+:\\d+)?%\\s*$' }],
  defaultMode: 'exec',
  configMode: 'configuration',
  transitions: [...candidateTransitions('exit configuration-mode', 'yes'), { from: 'shell', to: 'exec', send: 'cli' }],
  onOpen: ['set cli screen-length 0', 'set cli screen-width 1024'],
  onClose: ['exit'],
  pagers: [{ pattern: '---\\(more( \\d+%)?\\)---', respond: ' ', noNewline: true }],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [
    'syntax error',
    'unknown command',
    'missing argument',
    'invalid value',
    'is ambiguous',
    'error: commit failed',
    'error: configuration check-out failed',
    'error: shared configuration database modified',
    'load complete (',
  ],
  outputNoise: ['^\\[edit[^\\]]*\\]$', '^\\{(master|backup|primary|secondary|linecard)(:\\d+)?\\}$'],
  config: {
    style: 'candidate',
    commit: 'commit',
    commitConfirmed: 'commit confirmed {minutes}',
    confirm: 'commit',
    abort: 'rollback 0',
    rollback: 'rollback {n}',
    rollbackNeedsCommit: true,
    // `rollback 1` is loaded into the candidate, so it runs in configuration mode (then `commit`)
    verbModes: { confirm: 'configuration', abort: 'configuration', rollback: 'configuration' },
    model: JUNOS_MODEL,
    change: {
      net: 'commit-confirmed',
      // a private candidate: nobody else's uncommitted changes are committed with ours
      enter: 'configure private',
      compare: 'show | compare',
      commitConfirmed: 'commit confirmed {minutes}',
      commit: 'commit',
      confirm: { command: 'commit', mode: 'configuration' },
      abort: 'rollback 0',
      load: { merge: 'load merge terminal', replace: 'load replace terminal', end: '\x04' },
    },
  },
  runningConfig: {
    command: 'show configuration',
    cleanup: [{ pattern: '^## Last commit: .*$', replace: '', note: 'timestamp and user of the last commit' }],
  },
  backup: {
    formats: {
      set: { command: 'show configuration | display set', cleanup: [{ pattern: '^## Last commit: .*$', replace: '', note: 'timestamp and user of the last commit' }] },
    },
    facts: [
      { name: 'version', command: 'show version', cleanup: VERSION_NOISE },
      { name: 'inventory', command: 'show chassis hardware', cleanup: [] },
    ],
    secrets: [
      {
        pattern: '((?:encrypted-password|secret|authentication-key|pre-shared-key|ascii-text|simple-password)) "[^"]*"',
        replace: `$1 "${SECRET_MARKER}"`,
        note: 'password hashes and keys',
      },
      { pattern: '^(\\s*community|set snmp community) [^\\s{;]+', replace: `$1 ${SECRET_MARKER}`, note: 'SNMP community' },
    ],
  },
  detect: [{ command: 'show version', pattern: 'JUNOS|Junos:' }],
  timeouts: { command: 60 },
  nativeJson: { suffix: ' | display json' },
};
