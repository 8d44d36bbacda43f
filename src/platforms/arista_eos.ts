import { CONTEXT, ENABLE_PASSWORD, HOST, IOS_CONFIG_QUESTIONS, IOS_FAILURES, MORE_PAGER, PRESS_ANY_KEY } from './common.js';
import type { PlatformDefinition } from './types.js';

export const aristaEos: PlatformDefinition = {
  name: 'arista_eos',
  aliases: ['eos'],
  vendor: 'Arista',
  description: 'Arista EOS switches',
  transport: 'shell',
  modes: [
    { name: 'exec', prompt: `^${HOST}>\\s*$` },
    { name: 'privileged', prompt: `^${HOST}#\\s*$`, notContains: ['(config'] },
    { name: 'configuration', prompt: `^${HOST}${CONTEXT}#\\s*$` },
  ],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [
    { from: 'exec', to: 'privileged', send: 'enable', interactions: [ENABLE_PASSWORD] },
    { from: 'privileged', to: 'exec', send: 'disable' },
    { from: 'privileged', to: 'configuration', send: 'configure terminal' },
    { from: 'configuration', to: 'privileged', send: 'end' },
  ],
  onOpen: ['terminal length 0', 'terminal width 511'],
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Unavailable command', '% Cannot commit', '% Error'],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'write memory' },
  runningConfig: {
    command: 'show running-config',
    cleanup: [
      { pattern: '^! Command: show running-config$', replace: '', note: 'echo of the command' },
      { pattern: '^! Time: .*$', replace: '', note: 'timestamp' },
      { pattern: '^! Startup-config last modified at .*$', replace: '', note: 'timestamp' },
    ],
  },
  detect: [{ command: 'show version', pattern: 'Arista' }],
  timeouts: { command: 30 },
};
