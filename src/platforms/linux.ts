import { SECRET_MARKER } from './common.js';
import type { PlatformDefinition } from './types.js';

/** A Linux host: one exec channel per command, so there is no prompt to find and no paging. */
export const linux: PlatformDefinition = {
  name: 'linux',
  aliases: ['unix'],
  vendor: 'Linux',
  description: 'Linux hosts over an exec channel (OpenSSH and compatible)',
  transport: 'exec',
  modes: [{ name: 'shell', prompt: '^[^\\n]{0,80}[$#]\\s*$' }],
  defaultMode: 'shell',
  transitions: [],
  onOpen: [],
  onClose: [],
  pagers: [],
  failurePatterns: ['command not found'],
  config: { style: 'lines' },
  runningConfig: {
    command: 'cat /etc/hostname /etc/hosts',
    cleanup: [],
  },
  backup: { secrets: [{ pattern: '^(\\S*(?:password|secret)\\S*\\s*[=:])\\s*\\S+', replace: `$1 ${SECRET_MARKER}`, note: 'key=value secrets' }] },
  detect: [{ command: 'uname -a', pattern: '^Linux ' }],
  timeouts: { command: 30 },
};
