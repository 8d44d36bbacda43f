import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import type { DeviceResult } from '../../runner/types.js';
import type { DeviceValidation } from '../../stacks/validate.js';
import type { DevicePlan } from '../../stacks/plan.js';
import type { DeviceDeployResult } from '../../stacks/deploy.js';
import { deployOptions, describePlan, type DeployFlags } from './deploy.js';

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
  deployOptions(
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
      .option('--from-backup', "compare with each device's latest stored backup instead of its live running config"),
    false,
  ).action(action(validateCommand));

  deployOptions(
    stack
      .command('destroy <stack>')
      .description("take off the devices what the stack deployed: its services' delete templates, else the negation of exactly its lines; overwritten values restored")
      .addHelpText(
        'after',
        `
The same flow as deploy: plan (--dry-run stops here), confirm (--yes in CI), push with the
device's safety net, post-check, rollback of a failed device, recorded as a 'destroy' deployment.
A description or hostname the stack overwrote gets back the value it had before the first deploy.

  netstacks stack destroy stacks/campus.yaml --dry-run
  netstacks stack destroy campus --yes --on-error rollback-all`,
      ),
    true,
  ).action(action(destroyCommand));
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

async function destroyCommand(ctx: CliContext, argument: string, flags: DeployFlags): Promise<number> {
  const { resolve } = await import('node:path');
  const { UsageError } = await import('../../core/errors.js');
  const { numberOption } = await import('../../core/numbers.js');
  const dryRun = Boolean(flags.dryRun);
  const onError = flags.onError ?? 'stop';
  if (!['continue', 'stop', 'rollback-all'].includes(onError)) throw new UsageError(`--on-error must be one of continue, stop, rollback-all (got '${onError}')`);
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });
  const confirmMinutes = numberOption('--confirm-minutes', flags.confirmMinutes, { integer: true, min: 1 });
  if (!dryRun && !flags.yes && !(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new UsageError('not destroying without confirmation: stdin is not a terminal', 'pass --yes to destroy without asking (or --dry-run to see the plan)');
  }
  const store = await ctx.store();
  const state = await import('../../stacks/state.js');
  await state.markInterruptedDeployments(store);
  const { readStackFile } = await import('../../stacks/file.js');
  const stack = readStackFile(await state.resolveStackFile(store.db, argument));
  const { readVarsFile, parseVarAssignments } = await import('../../templates/library/vars-files.js');
  const inputs = Object.assign({}, ...(flags.vars ?? []).map((f) => readVarsFile(resolve(f))), parseVarAssignments(flags.var)) as Record<string, unknown>;
  const { loadOperationEnv } = await import('../../operations/env.js');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, { strictHostKeys: flags.strictHostKeys, ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}) });
  const { createProgressReporter } = await import('../../ui/progress.js');
  const { exitCodeFor } = await import('../../ui/format.js');
  const { interruptOnSigint } = await import('../interrupt.js');
  const { destroyStack } = await import('../../stacks/destroy.js');
  const out = ctx.out;
  const json = out.format === 'json';
  let planReporter: Awaited<ReturnType<typeof createProgressReporter<DevicePlan>>> | undefined;
  let pushReporter: Awaited<ReturnType<typeof createProgressReporter<DeviceDeployResult>>> | undefined;
  let planCode: number | undefined;
  const finishPlan = async (plan: Parameters<typeof exitCodeFor>[0] & { results: DeviceResult<DevicePlan>[] }) => {
    if (planCode !== undefined) return planCode;
    if (json && !dryRun) for (const r of plan.results) out.jsonLine({ type: 'plan', ...r });
    planCode = planReporter && !(json && !dryRun) ? await planReporter.finish(plan) : exitCodeFor(plan);
    return planCode;
  };
  const request = { ...(concurrency !== undefined ? { concurrency } : {}), ...(timeoutS !== undefined ? { timeoutS } : {}) };
  const interrupt = interruptOnSigint(ctx);
  const outcome = await destroyStack(env, stack, {
    store,
    inputs,
    templateFolders: (flags.templates ?? []).map((d) => resolve(d)),
    cwd: process.cwd(),
    dryRun,
    onError: onError as 'continue' | 'stop' | 'rollback-all',
    save: Boolean(flags.save),
    ...(confirmMinutes !== undefined ? { confirmMinutes } : {}),
    planRequest: { ...request, signal: interrupt.signal, onEvent: (event) => planReporter?.onEvent(event) },
    pushRequest: { ...request, onEvent: (event) => pushReporter?.onEvent(event) },
    stopSignal: interrupt.signal,
    onTargets: async (devices) => {
      if (json && !dryRun) return;
      planReporter = await createProgressReporter<DevicePlan>(out, {
        title: `destroy ${stack.name}: planning`,
        devices,
        details: (result) => (result.data ? describePlan(out, result.data) : undefined),
      });
    },
    confirm: async (review) => {
      await finishPlan(review.plan);
      if (flags.yes) return true;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`destroy stack '${stack.name}' on ${review.changing.length} device(s)? [y/N] `).finally(() => rl.close());
      if (!/^y(es)?$/i.test(answer.trim())) {
        out.info('nothing destroyed');
        return false;
      }
      return true;
    },
    onPushTargets: async (devices) => {
      pushReporter = await createProgressReporter<DeviceDeployResult>(out, {
        title: `destroy ${stack.name}`,
        devices,
        details: (r) => (r.data ? `${r.data.result}: ${r.data.commands.length} command(s)` : undefined),
      });
    },
    onNote: (text) => (json ? out.jsonLine({ type: 'note', message: text }) : out.info(`note: ${text}`)),
  }).finally(() => interrupt.dispose());

  const code = outcome.plan.results.length ? await finishPlan(outcome.plan) : 0;
  if (dryRun || outcome.status === 'declined') return code;
  let final = outcome.status === 'not-pushed' ? 10 : code;
  if (outcome.push && pushReporter) final = Math.max(final, await pushReporter.finish(outcome.push));
  if (json) out.jsonLine({ type: 'deployment', action: 'destroy', id: outcome.deploymentId ?? null, stack: stack.name, status: outcome.status, devices: outcome.devices, notes: outcome.notes });
  else out.info(`destroy${outcome.deploymentId !== undefined ? ` #${outcome.deploymentId}` : ''} of ${stack.name}: ${outcome.status}`);
  if (outcome.status === 'interrupted') return 130;
  return ['deployed', 'unchanged'].includes(outcome.status) ? final : Math.max(final, 10);
}
