import {
  PRESS_ANY_KEY,
  SECRET_MARKER,
  VERSION_NOISE,
  candidateModes,
  candidateTransitions,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { PANOS_MODEL } from './config-models.js';

const PAN_HOST = '[\\w.\\-@]{1,63}(\\((active|passive|suspended|non-functional|initial|tentative)\\))?';

export const paloaltoPanos: PlatformDefinition = {
  name: 'paloalto_panos',
  aliases: ['panos'],
  vendor: 'Palo Alto Networks',
  description: 'PAN-OS firewalls (candidate configuration with commit; keyboard-interactive auth)',
  transport: 'shell',
  modes: candidateModes(PAN_HOST),
  defaultMode: 'exec',
  configMode: 'configuration',
  transitions: candidateTransitions('exit', 'y'),
  onOpen: ['set cli pager off'],
  onClose: ['exit'],
  pagers: [{ pattern: '^lines \\d+-\\d+ ', respond: ' ', noNewline: true }],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: ['Unknown command', 'Invalid syntax', 'Server error', 'Validation Error', 'Commit failed', 'Invalid command'],
  outputNoise: ['^\\[edit[^\\]]*\\]$'],
  config: {
    style: 'candidate',
    commit: 'commit',
    abort: 'revert config',
    model: PANOS_MODEL,
    // no commit timer on PAN-OS: the candidate is committed once, rollback pushes the computed lines
    change: { net: 'candidate', prepare: ['set cli config-output-format set'], enter: 'configure', commit: 'commit', abort: 'revert config' },
  },
  runningConfig: { command: 'show config running', cleanup: [] },
  backup: {
    facts: [{ name: 'system', command: 'show system info', cleanup: VERSION_NOISE }],
    secrets: [
      {
        pattern: '((?:snmp-community-string|phash|password-hash|pre-shared-key|secret|key)) [^\\s;]+;',
        replace: `$1 ${SECRET_MARKER};`,
        note: 'password hashes, keys and SNMP communities',
      },
    ],
  },
  detect: [{ command: 'show system info', pattern: 'sw-version' }],
  timeouts: { command: 120 },
  keyboardInteractive: true,
};
