import { CONTEXT, HOST, IOS_CLEANUP, IOS_CONFIG_QUESTIONS, IOS_FAILURES, MORE_PAGER, PRESS_ANY_KEY } from './common.js';
import type { PlatformDefinition } from './types.js';

export const ciscoNxos: PlatformDefinition = {
  name: 'cisco_nxos',
  aliases: ['nxos'],
  vendor: 'Cisco',
  description: 'Cisco NX-OS (Nexus switches)',
  transport: 'shell',
  modes: [
    { name: 'privileged', prompt: `^${HOST}#\\s*$`, notContains: ['(config'] },
    { name: 'configuration', prompt: `^${HOST}${CONTEXT}#\\s*$` },
  ],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [
    { from: 'privileged', to: 'configuration', send: 'configure terminal' },
    { from: 'configuration', to: 'privileged', send: 'end' },
  ],
  onOpen: ['terminal length 0', 'terminal width 511'],
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Permission denied', 'ERROR: '],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'copy running-config startup-config' },
  runningConfig: {
    command: 'show running-config',
    cleanup: [
      ...IOS_CLEANUP,
      { pattern: '^!Command: show running-config$', replace: '', note: 'echo of the command' },
      { pattern: '^!Running configuration last done at: .*$', replace: '', note: 'timestamp' },
      { pattern: '^!Time: .*$', replace: '', note: 'timestamp' },
    ],
  },
  detect: [{ command: 'show version', pattern: 'Cisco Nexus Operating System|NX-OS' }],
  timeouts: { command: 30 },
};
