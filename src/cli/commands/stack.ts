import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { deployCommand, deployOptions, type DeployFlags } from './deploy.js';
import { registerStackRecordCommands } from './stack-records.js';
import { registerStackValidateCommands } from './stack-validate.js';

export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('service stacks: templates rendered onto devices, planned against their running configs');
  deployOptions(
    stack
      .command('plan <stack>')
      .description('alias of `deploy STACK --dry-run`: render every service, read each running config, show the commands and diff a deploy would make (writes nothing)')
      .addHelpText(
        'after',
        `
Variables, later winning: the stack's defaults, the device's inventory variables, the stack's
variables, --vars files and --var, the service's variables, its per_device entry.

  netstacks stack plan stacks/campus.yaml
  netstacks stack plan stacks/campus.yaml --var ntp_servers='[192.0.2.1, 192.0.2.2]' --json`,
      ),
    false,
  ).action(action((ctx: CliContext, file: string, flags: DeployFlags) => deployCommand(ctx, file, { ...flags, dryRun: true })));
  registerStackRecordCommands(stack);
  registerStackValidateCommands(stack);
}

