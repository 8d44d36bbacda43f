import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { DevicePlan } from '../../stacks/plan.js';
import type { DeviceResult } from '../../runner/types.js';
import { registerStackValidateCommands } from './stack-validate.js';

interface PlanFlags {
  var?: string[];
  vars?: string[];
  templates?: string[];
  concurrency?: string;
  timeout?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('service stacks: templates rendered onto devices, planned against their running configs');
  stack
    .command('plan <file>')
    .description('render every service, read each running config, and show the commands and diff a deploy would make (writes nothing)')
    .addHelpText(
      'after',
      `
Variables, later winning: the stack's defaults, the device's inventory variables, the stack's
variables, --vars files and --var, the service's variables, its per_device entry.

  netstacks stack plan stacks/campus.yaml
  netstacks stack plan stacks/campus.yaml --var ntp_servers='[192.0.2.1, 192.0.2.2]' --json`,
    )
    .option('--vars <file>', 'YAML inputs file (repeatable; later files win)', collect)
    .option('--var <key=value>', 'input, value read as YAML 1.1 (repeatable; wins over --vars)', collect)
    .option('--templates <dir>', 'template folder searched first (repeatable)', collect)
    .option('--concurrency <n>', 'devices at once (default: the concurrency setting)')
    .option('--timeout <seconds>', "per-device timeout (default: from the device's timeouts)")
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(planCommand));
  registerStackValidateCommands(stack);
}

function describePlan(plan: DevicePlan): string {
  if (!plan.changed) return `no changes (${plan.services.map((s) => s.service).join(', ')} already in place)`;
  return [`${plan.commands.length} command(s) for ${plan.services.map((s) => s.service).join(', ')}:`, ...plan.commands.map((c) => `  ${c}`), '', plan.diff.replace(/\n$/, '')].join('\n');
}

async function planCommand(ctx: CliContext, file: string, flags: PlanFlags): Promise<number> {
  const { resolve } = await import('node:path');
  const { readStackFile } = await import('../../stacks/file.js');
  const { planStack } = await import('../../stacks/plan.js');
  const { readVarsFile, parseVarAssignments } = await import('../../templates/library/vars-files.js');
  const stack = readStackFile(resolve(file));
  const inputs = Object.assign({}, ...(flags.vars ?? []).map((f) => readVarsFile(resolve(f))), parseVarAssignments(flags.var)) as Record<string, unknown>;
  const { numberOption } = await import('../../core/numbers.js');
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });
  const { loadOperationEnv } = await import('../../operations/env.js');
  const env = await loadOperationEnv(await ctx.store(), await ctx.secrets(), ctx.home, {
    strictHostKeys: flags.strictHostKeys,
    ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
  });
  const { createProgressReporter } = await import('../../ui/progress.js');
  const { interruptOnSigint } = await import('../interrupt.js');
  let reporter: Awaited<ReturnType<typeof createProgressReporter<DevicePlan>>> | undefined;
  const interrupt = interruptOnSigint(ctx);
  const summary = await planStack(
    env,
    stack,
    {
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(timeoutS !== undefined ? { timeoutS } : {}),
      signal: interrupt.signal,
      onEvent: (event) => reporter?.onEvent(event),
    },
    {
      inputs,
      templateFolders: (flags.templates ?? []).map((d) => resolve(d)),
      cwd: process.cwd(),
      onTargets: async (devices) => {
        reporter = await createProgressReporter<DevicePlan>(ctx.out, {
          title: `stack plan ${stack.name}`,
          devices,
          details: (result: DeviceResult<DevicePlan>) => (result.data ? describePlan(result.data) : undefined),
          beforeSummary: (s) => {
            const plans = s.results.flatMap((r) => (r.data ? [r.data] : []));
            const changing = plans.filter((p) => p.changed).length;
            ctx.out.info(`plan: ${changing} device(s) changing, ${plans.length - changing} unchanged, ${s.results.length - plans.length} failed to render or reach`);
          },
        });
      },
    },
  ).finally(() => interrupt.dispose());
  return reporter!.finish(summary);
}
