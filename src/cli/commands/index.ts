import type { Command } from 'commander';
import { registerDeviceCommands } from './device.js';
import { registerOverrideCommands } from './override.js';
import { registerGroupCommands } from './group.js';
import { registerInventoryCommands } from './inventory.js';
import { registerCredentialCommands } from './credential.js';
import { registerSecretsCommands } from './secrets.js';
import { registerSettingsCommands } from './settings.js';
import { registerNetboxCommands } from './netbox.js';
import { registerSessionCommands } from './session.js';
import { registerLabCommands } from './lab.js';
import { registerTemplateCommands } from './template.js';
import { registerStackCommands } from './stack.js';
import { registerDeployCommand } from './deploy.js';
import { registerBackupCommands } from './backup.js';
import { registerScheduleCommands } from './schedule.js';
import { registerDaemonCommands } from './daemon.js';
import { registerParseCommands } from './parse.js';
import { registerPlatformCommands } from './platform.js';
import { registerCompletionCommands } from './completion.js';
import { registerStepTypeCommands } from './step-type.js';
import { registerMopCommands } from './mop.js';

/**
 * Command definitions only: each module declares its commands and options, and its actions
 * import the logic lazily, so `netstacks --help` loads neither SQLite nor ssh2 nor ink.
 */
export function registerCommands(program: Command): void {
  const device = program.command('device').description('devices in the inventory: add, list, show, edit, rm, overrides, test');
  registerDeviceCommands(device);
  registerOverrideCommands(device);
  registerGroupCommands(program);
  registerInventoryCommands(program);
  registerCredentialCommands(program);
  registerSecretsCommands(program);
  registerSettingsCommands(program);
  registerNetboxCommands(program);
  registerSessionCommands(program, device);
  registerLabCommands(program);
  registerTemplateCommands(program);
  registerDeployCommand(program);
  registerStackCommands(program);
  registerBackupCommands(program);
  registerScheduleCommands(program);
  registerDaemonCommands(program);
  registerParseCommands(program);
  registerPlatformCommands(program);
  registerCompletionCommands(program);
  registerStepTypeCommands(program);
  registerMopCommands(program);
}
