import { MORE_PAGER, PRESS_ANY_KEY, SECRET_MARKER, VERSION_NOISE } from './common.js';
import type { PlatformDefinition } from './types.js';
import { FORTIOS_MODEL } from './config-models.js';

const FORTI_HOST = '[\\w.\\-]{1,35}';

export const fortinet: PlatformDefinition = {
  name: 'fortinet',
  aliases: ['fortios', 'fortigate'],
  vendor: 'Fortinet',
  description: 'FortiGate firewalls (FortiOS); config blocks apply on end',
  transport: 'shell',
  modes: [
    { name: 'privileged', prompt: `^${FORTI_HOST} [#$]\\s*$` },
    // inside 'config system interface' / 'edit port1': 'FGT (interface) #', 'FGT (port1) #'
    { name: 'configuration', prompt: `^${FORTI_HOST} \\([^)]{1,63}\\) [#$]\\s*$` },
  ],
  defaultMode: 'privileged',
  transitions: [{ from: 'configuration', to: 'privileged', send: 'end' }],
  // with VDOMs on, console settings are global: 'config global' first. Without VDOMs that line and
  // the last 'end' are refused harmlessly (onOpen is best effort), and the console is set all the same.
  onOpen: ['config global', 'config system console', 'set output standard', 'end', 'end'],
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [
    'Command fail',
    'command parse error',
    'Unknown action',
    'entry not found in datasource',
    'value parse error',
    'Invalid command',
  ],
  config: { style: 'lines', abort: 'abort', model: FORTIOS_MODEL, change: { net: 'lines' } },
  runningConfig: {
    command: 'show',
    cleanup: [
      { pattern: '^#conf_file_ver=.*$', replace: '', note: 'changes on every save' },
      {
        pattern: '^(\\s*set (?:password|passwd|psksecret|secondary-secret|sso-password|ldap-password)) ENC \\S+$',
        replace: '$1 ENC <encrypted>',
        note: 're-encrypted with a fresh salt on every fetch',
      },
    ],
  },
  backup: {
    facts: [{ name: 'status', command: 'get system status', cleanup: VERSION_NOISE }],
    secrets: [
      {
        pattern: '^(\\s*set (?:password|passwd|psksecret|secondary-secret|sso-password|ldap-password|key|private-key|passphrase)) .*$',
        replace: `$1 ${SECRET_MARKER}`,
        note: 'passwords and keys',
      },
      {
        // a `set name` only inside `config system snmp community` (the lookbehind stops at the block's first `end`)
        pattern: '^(\\s*set name)(?<=^config system snmp community\\n(?:(?!end\\n)[^\\n]*\\n)*\\s*set name) "[^"]*"',
        replace: `$1 "${SECRET_MARKER}"`,
        note: 'SNMP community names',
      },
    ],
  },
  detect: [{ command: 'get system status', pattern: 'FortiGate|FortiOS|Version: Forti' }],
  timeouts: { command: 30 },
};
