import {
  CONFIGURE_TERMINAL,
  ENABLE,
  END_CONFIGURATION,
  HOST,
  IOS_EXEC_MODE,
  MORE_NEXT_PAGE_PAGER,
  MORE_PAGER,
  PRESS_ANY_KEY,
} from './common.js';
import type { PlatformDefinition } from './types.js';

export const hpProcurve: PlatformDefinition = {
  name: 'hp_procurve',
  aliases: ['procurve', 'aruba_procurve'],
  vendor: 'HP',
  description: 'HP ProCurve / Aruba-OS switches',
  transport: 'shell',
  modes: [
    IOS_EXEC_MODE,
    { name: 'privileged', prompt: `^${HOST}#\\s*$`, notContains: ['('] },
    // '(config)', '(eth-1)', '(vlan-10)': every context is configuration
    { name: 'configuration', prompt: `^${HOST}\\([\\w.\\-/: ]{1,32}\\)#\\s*$` },
  ],
  defaultMode: 'privileged',
  configMode: 'configuration',
  // a manager account makes enable ask 'Username:' before 'Password:': answered with the login name
  transitions: [
    { ...ENABLE, interactions: [...(ENABLE.interactions ?? []), { pattern: '[Uu]ser ?[Nn]ame: ?$', respond: { secret: 'username' } }] },
    CONFIGURE_TERMINAL,
    END_CONFIGURATION,
  ],
  onOpen: ['no page', 'terminal width 511'],
  onClose: ['logout'],
  pagers: [MORE_NEXT_PAGE_PAGER, MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: ['Invalid input', 'Ambiguous input', 'Incomplete input', 'Unknown command', '% Invalid'],
  config: { style: 'lines', save: 'write memory' },
  runningConfig: {
    command: 'show running-config',
    cleanup: [{ pattern: '^Running configuration:$', replace: '', note: 'header' }],
  },
  detect: [
    { command: 'show version', pattern: 'ProCurve|HP J\\d{4}|Image stamp' },
    { command: 'show system', pattern: 'ProCurve|HP J\\d{4}' },
  ],
  timeouts: { command: 30 },
};
