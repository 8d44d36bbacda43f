import {
  CONFIGURE_TERMINAL,
  ENABLE,
  END_CONFIGURATION,
  HOST,
  IOS_EXEC_MODE,
  IOS_SECRETS,
  MORE_NEXT_PAGE_PAGER,
  MORE_PAGER,
  PRESS_ANY_KEY,
  SECRET_MARKER,
  VERSION_NOISE,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { PROCURVE_MODEL } from './config-models.js';

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
  config: { style: 'lines', save: 'write memory', model: PROCURVE_MODEL, change: { net: 'lines' } },
  runningConfig: {
    command: 'show running-config',
    cleanup: [{ pattern: '^Running configuration:$', replace: '', note: 'header' }],
  },
  backup: {
    facts: [
      { name: 'version', command: 'show version', cleanup: VERSION_NOISE },
      { name: 'system', command: 'show system', cleanup: VERSION_NOISE },
    ],
    secrets: [
      ...IOS_SECRETS,
      { pattern: '^(password \\w+ user-name "[^"]*" \\w+) "[^"]*"', replace: `$1 "${SECRET_MARKER}"`, note: 'manager/operator password hash' },
      { pattern: '^(snmp-server community) "[^"]*"', replace: `$1 "${SECRET_MARKER}"`, note: 'SNMP community' },
    ],
  },
  detect: [
    { command: 'show version', pattern: 'ProCurve|HP J\\d{4}|Image stamp' },
    { command: 'show system', pattern: 'ProCurve|HP J\\d{4}' },
  ],
  timeouts: { command: 30 },
};
