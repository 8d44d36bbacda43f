import { VYOS_MODEL } from './config-models.js';
import type { PlatformDefinition } from './types.js';

const VYOS_HOST = '[\\w.\\-]{1,63}@[\\w.\\-]{1,63}';

export const vyos: PlatformDefinition = {
  name: 'vyos',
  aliases: ['vyatta_vyos'],
  vendor: 'VyOS',
  description: 'VyOS routers (candidate configuration with commit)',
  transport: 'shell',
  modes: [
    { name: 'exec', prompt: `^${VYOS_HOST}:[^$#]*\\$\\s*$` },
    { name: 'configuration', prompt: `^${VYOS_HOST}#\\s*$` },
  ],
  defaultMode: 'exec',
  configMode: 'configuration',
  transitions: [
    { from: 'exec', to: 'configuration', send: 'configure' },
    {
      from: 'configuration',
      to: 'exec',
      send: 'exit discard',
    },
  ],
  onOpen: ['set terminal length 0', 'set terminal width 512'],
  onClose: ['exit'],
  pagers: [],
  failurePatterns: ['Invalid command', 'Set failed', 'Commit failed', 'is not valid', 'Delete failed'],
  outputNoise: ['^\\[edit[^\\]]*\\]$'],
  config: {
    style: 'candidate',
    commit: 'commit',
    commitConfirmed: 'commit-confirm {minutes}',
    confirm: 'confirm',
    abort: 'discard',
    save: 'save',
    model: VYOS_MODEL,
    // VyOS reverts (by reboot) unless `confirm` follows `commit-confirm`; its `rollback N` also
    // reboots, so a failed change is undone with the computed rollback lines and a commit
    change: {
      net: 'commit-confirmed',
      enter: 'configure',
      compare: 'compare',
      commitConfirmed: 'commit-confirm {minutes}',
      commit: 'commit',
      confirm: { command: 'confirm', mode: 'configuration' },
      abort: 'discard',
    },
  },
  runningConfig: { command: 'show configuration commands', cleanup: [] },
  detect: [{ command: 'show version', pattern: 'VyOS' }],
  timeouts: { command: 30 },
};
