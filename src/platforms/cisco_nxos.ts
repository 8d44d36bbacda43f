import {
  CONFIGURE_TERMINAL,
  END_CONFIGURATION,
  IOS_CLEANUP,
  IOS_CONFIGURATION_MODE,
  IOS_CONFIG_QUESTIONS,
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

export const ciscoNxos: PlatformDefinition = {
  name: 'cisco_nxos',
  aliases: ['nxos'],
  vendor: 'Cisco',
  description: 'Cisco NX-OS (Nexus switches)',
  transport: 'shell',
  modes: [IOS_PRIVILEGED_MODE, IOS_CONFIGURATION_MODE],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [CONFIGURE_TERMINAL, END_CONFIGURATION],
  onOpen: IOS_TERMINAL_SETUP,
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Permission denied', 'ERROR: '],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'copy running-config startup-config',
    model: iosFamilyModel({ indent: 2 }),
    // a checkpoint before the change; a failure rolls the running config back to it exactly
    change: {
      net: 'checkpoint',
      checkpoint: { create: 'checkpoint {name}', restore: 'rollback running-config checkpoint {name}', remove: 'no checkpoint {name}', mode: 'privileged' },
    },
  },
  runningConfig: {
    command: 'show running-config',
    cleanup: [
      ...IOS_CLEANUP,
      { pattern: '^!Command: show running-config$', replace: '', note: 'echo of the command' },
      { pattern: '^!Running configuration last done at: .*$', replace: '', note: 'timestamp' },
      { pattern: '^!Time: .*$', replace: '', note: 'timestamp' },
    ],
  },
  backup: {
    startupConfig: 'show startup-config',
    facts: [{ name: 'version', command: 'show version', cleanup: VERSION_NOISE }],
    secrets: IOS_SECRETS,
  },
  detect: [{ command: 'show version', pattern: 'Cisco Nexus Operating System|NX-OS' }],
  timeouts: { command: 30 },
  nativeJson: { suffix: ' | json' },
};
