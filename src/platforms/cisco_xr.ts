import {
  CONFIGURE_TERMINAL,
  HOST,
  IOS_CONFIG_QUESTIONS,
  IOS_FAILURES,
  IOS_SECRETS,
  IOS_TERMINAL_SETUP,
  MORE_PAGER,
  PRESS_ANY_KEY,
  VERSION_NOISE,
} from './common.js';
import { XR_MODEL } from './config-models.js';
import type { PlatformDefinition } from './types.js';

export const ciscoXr: PlatformDefinition = {
  name: 'cisco_xr',
  aliases: ['iosxr'],
  vendor: 'Cisco',
  description: 'Cisco IOS XR (candidate configuration with commit)',
  transport: 'shell',
  modes: [
    { name: 'privileged', prompt: `^${HOST}#\\s*$`, notContains: ['(config', '(admin'] },
    { name: 'configuration', prompt: `^${HOST}\\(config[\\w.\\-@/:+]{0,32}\\)#\\s*$` },
  ],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [
    CONFIGURE_TERMINAL,
    {
      from: 'configuration',
      to: 'privileged',
      send: 'end',
      // after a failed line the candidate was aborted; never commit on the way out
      interactions: [{ pattern: 'Uncommitted changes found', respond: 'no' }],
    },
  ],
  onOpen: IOS_TERMINAL_SETUP,
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Failed to commit', '% This command is not', '% Invalid'],
  config: {
    style: 'candidate',
    interactions: IOS_CONFIG_QUESTIONS,
    commit: 'commit',
    commitConfirmed: 'commit confirmed minutes {minutes}',
    confirm: 'commit',
    abort: 'abort',
    rollback: 'rollback configuration last {n}',
    // `rollback configuration last N` is an exec command: it commits by itself
    verbModes: { confirm: 'configuration', abort: 'configuration', rollback: 'privileged' },
    model: XR_MODEL,
    change: {
      net: 'commit-confirmed',
      // the configuration is locked while we change it: nobody else can commit in between
      enter: 'configure exclusive',
      compare: 'show commit changes diff',
      commitConfirmed: 'commit confirmed minutes {minutes}',
      commit: 'commit',
      confirm: { command: 'commit', mode: 'configuration' },
      abort: 'abort',
    },
  },
  runningConfig: {
    command: 'show running-config',
    cleanup: [
      { pattern: '^Building configuration\\.\\.\\.$', replace: '', note: 'progress message' },
      { pattern: '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\w{3} +\\d+ [\\d:.]+ \\w+$', replace: '', note: 'timestamp header' },
      { pattern: '^!! Last configuration change at .*$', replace: '', note: 'timestamp' },
    ],
  },
  backup: {
    facts: [{ name: 'version', command: 'show version', cleanup: VERSION_NOISE }],
    secrets: IOS_SECRETS,
  },
  detect: [{ command: 'show version', pattern: 'Cisco IOS XR|IOS-XR' }],
  timeouts: { command: 60 },
};
