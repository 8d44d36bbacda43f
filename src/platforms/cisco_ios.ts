import {
  CONFIGURE_TERMINAL,
  DISABLE,
  ENABLE,
  END_CONFIGURATION,
  IOS_CLEANUP,
  IOS_CONFIGURATION_MODE,
  IOS_CONFIG_QUESTIONS,
  IOS_EXEC_MODE,
  IOS_FAILURES,
  IOS_PRIVILEGED_MODE,
  IOS_SECRETS,
  IOS_TERMINAL_SETUP,
  MORE_PAGER,
  PRESS_ANY_KEY,
  VERSION_NOISE,
} from './common.js';
import type { PlatformDefinition } from './types.js';
import { iosFamilyModel } from './config-models.js';

export const ciscoIos: PlatformDefinition = {
  name: 'cisco_ios',
  aliases: ['cisco_xe', 'ios', 'iosxe'],
  vendor: 'Cisco',
  description: 'Cisco IOS and IOS-XE routers and switches',
  transport: 'shell',
  modes: [IOS_EXEC_MODE, IOS_PRIVILEGED_MODE, IOS_CONFIGURATION_MODE],
  defaultMode: 'privileged',
  configMode: 'configuration',
  transitions: [ENABLE, DISABLE, CONFIGURE_TERMINAL, END_CONFIGURATION],
  onOpen: IOS_TERMINAL_SETUP,
  onClose: ['exit'],
  pagers: [MORE_PAGER],
  loginInteractions: [PRESS_ANY_KEY],
  failurePatterns: [...IOS_FAILURES, '% Bad mask', '% Invalid IP address'],
  config: { style: 'lines', interactions: IOS_CONFIG_QUESTIONS, save: 'write memory',
    model: iosFamilyModel(),
    // the device reverts to the config archived at `configure terminal revert timer` unless confirmed
    // (needs `archive` + `path` configured on real devices)
    change: {
      net: 'revert-timer',
      enter: 'configure terminal revert timer {minutes}',
      enterWithoutTimer: 'configure terminal',
      confirm: { command: 'configure confirm', mode: 'privileged' },
      revertNow: { command: 'configure revert now', mode: 'privileged' },
    },
  },
  runningConfig: { command: 'show running-config', cleanup: IOS_CLEANUP },
  backup: {
    startupConfig: 'show startup-config',
    facts: [
      { name: 'version', command: 'show version', cleanup: VERSION_NOISE },
      { name: 'inventory', command: 'show inventory', cleanup: [] },
    ],
    secrets: IOS_SECRETS,
  },
  detect: [{ command: 'show version', pattern: 'Cisco IOS Software|IOS-XE|IOS XE|Cisco Internetwork Operating System' }],
  timeouts: { command: 30 },
};
