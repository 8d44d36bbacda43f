import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { DeviceResult } from '../../runner/types.js';
import type { DeviceValidation } from '../../stacks/validate.js';

interface ValidateFlags {
  fromBackup?: boolean;
  var?: string[];
  vars?: string[];
  templates?: string[];
  concurrency?: string;
  timeout?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

/** `stack validate` (and `stack destroy` where it is built): registered by `registerStackCommands`. */
export function registerStackValidateCommands(stack: Command): void {
  stack
    .command('validate <stack>')
    .description("check that every line the stack's services render is in each device's running config (or latest backup); exit 10 when any is missing")
    .addHelpText(
      'after',
      `
Lines compare in the platform's canonical forms: Gi0/1 = GigabitEthernet0/1, no shut = no
shutdown, ACL entries with or without sequence numbers, VLAN ranges, secrets the device shows hashed.

  netstacks stack validate stacks/campus.yaml
  netstacks stack validate campus --from-backup --json`,
    )
    .option('--from-backup', "compare with each device's latest stored backup instead of its live running config")
    .option('--vars <file>', 'YAML inputs file (repeatable; later files win)', collect)
    .option('--var <key=value>', 'input, value read as YAML 1.1 (repeatable; wins over --vars)', collect)
    .option('--templates <dir>', 'template folder searched first (repeatable)', collect)
    .option('--concurrency <n>', 'devices at once (default: the concurrency setting)')
    .option('--timeout <seconds>', "per-device timeout (default: from the device's timeouts)")
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(validateCommand));
}

/** A stack argument: a file path, or (once `stack add` exists) a registered name. */
async function stackFile(ctx: CliContext, argument: string): Promise<string> {
  const state = await import('../../stacks/state.js');
  return state.resolveStackFile((await ctx.store()).db, argument);
}

function describeValidation(result: DeviceResult<DeviceValidation>): string | undefined {
  const data = result.data;
  if (!data) return undefined;
  const from = data.source === 'backup' && data.backup ? ` (backup ${data.backup.id}, ${data.backup.time})` : '';
  if (data.valid) return `valid${from}: ${data.services.map((s) => `${s.service} (${s.checked} line(s))`).join(', ')}`;
  const lines = [`${data.missing} line(s) missing${from}:`];
  for (const service of data.services) {
    if (service.missing.length === 0) continue;
    lines.push(`  ${service.service} (${service.template}):`, ...service.missing.map((m) => `    - ${m}`));
  }
  return lines.join('\n');
}

async function validateCommand(ctx: CliContext, argument: string, flags: ValidateFlags): Promise<number> {
  const { resolve } = await import('node:path');
  const { numberOption } = await import('../../core/numbers.js');
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });
  const { readStackFile } = await import('../../stacks/file.js');
  const stack = readStackFile(await stackFile(ctx, argument));
  const { readVarsFile, parseVarAssignments } = await import('../../templates/library/vars-files.js');
  const inputs = Object.assign({}, ...(flags.vars ?? []).map((f) => readVarsFile(resolve(f))), parseVarAssignments(flags.var)) as Record<string, unknown>;
  const { loadOperationEnv } = await import('../../operations/env.js');
  const env = await loadOperationEnv(await ctx.store(), await ctx.secrets(), ctx.home, {
    strictHostKeys: flags.strictHostKeys,
    ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
  });
  const { validateStack } = await import('../../stacks/validate.js');
  const { createProgressReporter } = await import('../../ui/progress.js');
  const { interruptOnSigint } = await import('../interrupt.js');
  let reporter: Awaited<ReturnType<typeof createProgressReporter<DeviceValidation>>> | undefined;
  const interrupt = interruptOnSigint(ctx);
  const summary = await validateStack(
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
      fromBackup: Boolean(flags.fromBackup),
      onTargets: async (devices) => {
        reporter = await createProgressReporter<DeviceValidation>(ctx.out, {
          title: `stack validate ${stack.name}${flags.fromBackup ? ' (from backups)' : ''}`,
          devices,
          details: describeValidation,
          beforeSummary: (s) => {
            const checked = s.results.flatMap((r) => (r.data ? [r.data] : []));
            const invalid = checked.filter((d) => !d.valid);
            ctx.out.info(
              `validate: ${checked.length - invalid.length} device(s) valid, ${invalid.length} missing ${invalid.reduce((n, d) => n + d.missing, 0)} line(s), ${s.results.length - checked.length} failed to render or reach`,
            );
          },
        });
      },
    },
  ).finally(() => interrupt.dispose());
  return reporter!.finish(summary);
}
