import { CONTEXT, HOST, IOS_FAILURES, MORE_NEXT_PAGE_PAGER, MORE_PAGER, PRESS_ANY_KEY } from './common.js';
import type { PlatformDefinition } from './types.js';

export const arubaAoscx: PlatformDefinition = {
  name: 'aruba_aoscx',
  aliases: ['aoscx', 'arubaos_cx'],
  vendor: 'Aruba',
  description: 'Aruba AOS-CX switches',
  transport: 'shell',
  newline: '\r',
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
  onOpen: ['no page'],
  onClose: ['exit'],
  pagers: [MORE_NEXT_PAGE_PAGER, MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, 'Invalid input:', '% Command incomplete'],
  config: { style: 'lines', save: 'write memory' },
  runningConfig: {
    command: 'show running-config',
    cleanup: [{ pattern: '^Current configuration:$', replace: '', note: 'header' }],
  },
  detect: [{ command: 'show version', pattern: 'ArubaOS-CX|AOS-CX' }],
  timeouts: { command: 30 },
};
