import { COMWARE_MODEL } from './config-models.js';
import type { PlatformDefinition } from './types.js';

/** `<sysname>` is user view, `[sysname]` system view, `[sysname-GigabitEthernet1/0/1]` a sub-view. */
const COMWARE_HOST = '[\\w.\\-@/:]{1,63}';

export const hpComware: PlatformDefinition = {
  name: 'hp_comware',
  aliases: ['comware', 'h3c_comware', 'hp_comware5'],
  vendor: 'HP',
  description: 'HP/H3C Comware switches (user view <name>, system view [name])',
  transport: 'shell',
  modes: [
    { name: 'privileged', prompt: `^<${COMWARE_HOST}>\\s*$` },
    { name: 'configuration', prompt: `^\\[${COMWARE_HOST}\\]\\s*$` },
  ],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [
    { from: 'privileged', to: 'configuration', send: 'system-view' },
    { from: 'configuration', to: 'privileged', send: 'return' },
  ],
  onOpen: ['screen-length disable'],
  onClose: ['quit'],
  pagers: [{ pattern: '---- More ----', respond: ' ', noNewline: true }],
  failurePatterns: [
    '% Unrecognized command found',
    '% Incomplete command found',
    '% Wrong parameter found',
    '% Too many parameters found',
    '% Ambiguous command found',
  ],
  config: { style: 'lines', save: 'save force', model: COMWARE_MODEL, change: { net: 'lines' } },
  runningConfig: { command: 'display current-configuration', cleanup: [] },
  detect: [{ command: 'display version', pattern: 'Comware Software' }],
  timeouts: { command: 30 },
};
