import { CONTEXT, ENABLE_PASSWORD, HOST, IOS_CLEANUP, IOS_CONFIG_QUESTIONS, IOS_FAILURES, MORE_PAGER, PRESS_ANY_KEY } from './common.js';
import type { PlatformDefinition } from './types.js';

export const ciscoIos: PlatformDefinition = {
  name: 'cisco_ios',
  aliases: ['cisco_xe', 'ios', 'iosxe'],
  vendor: 'Cisco',
  description: 'Cisco IOS and IOS-XE routers and switches',
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
  failurePatterns: [...IOS_FAILURES, '% Bad mask', '% Invalid IP address'],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'write memory' },
  runningConfig: { command: 'show running-config', cleanup: IOS_CLEANUP },
  detect: [{ command: 'show version', pattern: 'Cisco IOS Software|IOS-XE|IOS XE|Cisco Internetwork Operating System' }],
  timeouts: { command: 30 },
};
