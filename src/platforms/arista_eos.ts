import {
  CONFIGURE_TERMINAL,
  DISABLE,
  ENABLE,
  END_CONFIGURATION,
  IOS_CONFIGURATION_MODE,
  IOS_CONFIG_QUESTIONS,
  IOS_EXEC_MODE,
  IOS_FAILURES,
  IOS_PRIVILEGED_MODE,
  IOS_SECRETS,
  IOS_TERMINAL_SETUP,
  MORE_PAGER,
  PRESS_ANY_KEY,
  VERSION_NOISE,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { iosFamilyModel } from './config-models.js';

export const aristaEos: PlatformDefinition = {
  name: 'arista_eos',
  aliases: ['eos'],
  vendor: 'Arista',
  description: 'Arista EOS switches',
  transport: 'shell',
  modes: [IOS_EXEC_MODE, IOS_PRIVILEGED_MODE, IOS_CONFIGURATION_MODE],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [ENABLE, DISABLE, CONFIGURE_TERMINAL, END_CONFIGURATION],
  onOpen: IOS_TERMINAL_SETUP,
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Unavailable command', '% Cannot commit', '% Error'],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'write memory', model: iosFamilyModel({ indent: 3 }) },
  runningConfig: {
    command: 'show running-config',
    cleanup: [
      { pattern: '^! Command: show running-config$', replace: '', note: 'echo of the command' },
      { pattern: '^! Time: .*$', replace: '', note: 'timestamp' },
      { pattern: '^! Startup-config last modified at .*$', replace: '', note: 'timestamp' },
    ],
  },
  backup: {
    startupConfig: 'show startup-config',
    facts: [{ name: 'version', command: 'show version', cleanup: VERSION_NOISE }],
    secrets: IOS_SECRETS,
  },
  detect: [{ command: 'show version', pattern: 'Arista' }],
  timeouts: { command: 30 },
  nativeJson: { suffix: ' | json' },
};
