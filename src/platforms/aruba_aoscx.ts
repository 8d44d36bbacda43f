import {
  CONFIGURE_TERMINAL,
  END_CONFIGURATION,
  IOS_CONFIGURATION_MODE,
  IOS_FAILURES,
  IOS_PRIVILEGED_MODE,
  IOS_SECRETS,
  MORE_NEXT_PAGE_PAGER,
  MORE_PAGER,
  PRESS_ANY_KEY,
  VERSION_NOISE,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { iosFamilyModel } from './config-models.js';

export const arubaAoscx: PlatformDefinition = {
  name: 'aruba_aoscx',
  aliases: ['aoscx', 'arubaos_cx'],
  vendor: 'Aruba',
  description: 'Aruba AOS-CX switches',
  transport: 'shell',
  newline: '\r',
  modes: [IOS_PRIVILEGED_MODE, IOS_CONFIGURATION_MODE],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [CONFIGURE_TERMINAL, END_CONFIGURATION],
  onOpen: ['no page'],
  onClose: ['exit'],
  pagers: [MORE_NEXT_PAGE_PAGER, MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, 'Invalid input:', '% Command incomplete'],
  config: { style: 'lines', save: 'write memory', model: iosFamilyModel({ reset: [] }), change: { net: 'lines' } },
  runningConfig: {
    command: 'show running-config',
    cleanup: [{ pattern: '^Current configuration:$', replace: '', note: 'header' }],
  },
  backup: {
    facts: [
      { name: 'version', command: 'show version', cleanup: VERSION_NOISE },
      { name: 'system', command: 'show system', cleanup: VERSION_NOISE },
    ],
    secrets: IOS_SECRETS,
  },
  detect: [{ command: 'show version', pattern: 'ArubaOS-CX|AOS-CX' }],
  timeouts: { command: 30 },
};
