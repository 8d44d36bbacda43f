import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { DevicePlan } from '../../stacks/plan.js';
import type { DeviceDeployResult } from '../../stacks/deploy.js';
import type { DeviceResult } from '../../runner/types.js';
import type { Output } from '../output.js';
import { confirm as ask } from '../prompt.js';

export interface DeployFlags {
  dryRun?: boolean;
  yes?: boolean;
  onError?: string;
  save?: boolean;
  var?: string[];
  vars?: string[];
  templates?: string[];
  concurrency?: string;
  timeout?: string;
  confirmMinutes?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

const ON_ERROR = ['continue', 'stop', 'rollback-all'] as const;

/** The options `deploy` and its alias `stack plan` share. */
export function deployOptions(command: Command, withPush: boolean): Command {
  command
    .option('--vars <file>', 'YAML inputs file (repeatable; later files win)', collect)
    .option('--var <key=value>', 'input, value read as YAML 1.1 (repeatable; wins over --vars)', collect)
    .option('--templates <dir>', 'template folder searched first (repeatable)', collect)
    .option('--concurrency <n>', 'devices at once (default: the concurrency setting)')
    .option('--timeout <seconds>', "per-device timeout (default: from the device's timeouts)")
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet');
  if (withPush) {
    command
      .option('--dry-run', 'plan only: render, read running configs, show commands and diffs; write nothing')
      .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
      .option('--on-error <mode>', `when a device fails: ${ON_ERROR.join(' | ')} (default stop)`)
      .option('--save', 'write the config to startup on each changed device')
      .option('--confirm-minutes <n>', 'device-side safety-net timer (commit confirmed, revert timer), minutes (default 5)');
  }
  return command;
}

export function registerDeployCommand(program: Command): void {
  const command = program
    .command('deploy <stack>')
    .description('deploy a service stack (a file, or a name registered with `stack add`): plan, confirm, push in service order, post-check, record')
    .addHelpText(
      'after',
      `
Flow: render every service for every target, read each running config, show the commands and a
diff per device, ask (on a terminal; --yes in CI), push through the device's own safety net
(commit confirmed, revert timer, config session, checkpoint), check the running config holds the
intended lines, confirm. A device whose push or post-check fails is rolled back.

  netstacks deploy stacks/campus.yaml --dry-run
  netstacks deploy campus --yes --on-error rollback-all --save
  netstacks deploy stacks/lab-baseline.yaml --var ntp_servers='[192.0.2.10]' --dry-run --json`,
    );
  deployOptions(command, true).action(action(deployCommand));
}

function paintDiff(out: Output, diff: string): string {
  const c = out.colors;
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line.startsWith('+++') || line.startsWith('---') ? c.bold(line) : line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : line.startsWith('@@') ? c.cyan(line) : line))
    .join('\n');
}

export function describePlan(out: Output, plan: DevicePlan): string {
  if (!plan.changed) return `no changes (${plan.services.map((s) => s.service).join(', ') || 'nothing deployed here'} already in place)`;
  const what = plan.leaving ? 'removal of what the stack deployed here (no longer a target)' : plan.services.map((s) => s.service).join(', ');
  return [
    `${plan.commands.length} command(s) for ${what}:`,
    ...plan.commands.map((c) => `  ${c}`),
    ...(plan.removed.length ? ['', 'removed (deployed before, no longer rendered):', ...plan.removed.map((r) => `  - ${r}`)] : []),
    '',
    paintDiff(out, plan.diff),
  ].join('\n');
}

function describeResult(result: DeviceResult<DeviceDeployResult>): string | undefined {
  const data = result.data;
  if (result.status === 'ok' && data) return `${data.result}: ${data.commands.length} command(s)${data.saved ? ', saved' : ''}${data.rolledBack ? ' (then rolled back: --on-error rollback-all)' : ''}`;
  return `${data?.result ?? 'failed'}: ${result.message ?? ''}${result.hint ? `\n  hint: ${result.hint}` : ''}`;
}

export async function deployCommand(ctx: CliContext, argument: string, flags: DeployFlags): Promise<number> {
  const { resolve } = await import('node:path');
  const { UsageError } = await import('../../core/errors.js');
  const { numberOption } = await import('../../core/numbers.js');
  const dryRun = Boolean(flags.dryRun);
  const onError = flags.onError ?? 'stop';
  if (!(ON_ERROR as readonly string[]).includes(onError)) throw new UsageError(`--on-error must be one of ${ON_ERROR.join(', ')} (got '${onError}')`);
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });
  const confirmMinutes = numberOption('--confirm-minutes', flags.confirmMinutes, { integer: true, min: 1 });
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!dryRun && !flags.yes && !interactive) {
    throw new UsageError('not deploying without confirmation: stdin is not a terminal', 'pass --yes to deploy without asking (or --dry-run to see the plan)');
  }

  const store = await ctx.store();
  const state = await import('../../stacks/state.js');
  await state.markInterruptedDeployments(store);
  const { readStackFile } = await import('../../stacks/file.js');
  const file = await state.resolveStackFile(store.db, argument);
  const stack = readStackFile(file);
  const { readVarsFile, parseVarAssignments } = await import('../../templates/library/vars-files.js');
  const inputs = Object.assign({}, ...(flags.vars ?? []).map((f) => readVarsFile(resolve(f))), parseVarAssignments(flags.var)) as Record<string, unknown>;
  const { loadOperationEnv } = await import('../../operations/env.js');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, {
    strictHostKeys: flags.strictHostKeys,
    ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
  });
  const { createProgressReporter } = await import('../../ui/progress.js');
  const { exitCodeFor } = await import('../../ui/format.js');
  const { interruptOnSigint } = await import('../interrupt.js');
  const { deployStack } = await import('../../stacks/deploy.js');
  const out = ctx.out;
  const json = out.format === 'json';

  type PlanReporter = Awaited<ReturnType<typeof createProgressReporter<DevicePlan>>>;
  let planReporter: PlanReporter | undefined;
  let planFinished: number | undefined;
  const summaryLine = (results: DeviceResult<DevicePlan>[]) => {
    const plans = results.flatMap((r) => (r.data ? [r.data] : []));
    const changing = plans.filter((p) => p.changed).length;
    return `plan: ${changing} device(s) changing, ${plans.length - changing} unchanged, ${results.length - plans.length} failed to render or reach`;
  };
  // a real deploy with --json prints plan objects itself ({type:'plan'}), then device results
  const streamPlan = json && !dryRun;
  let pushReporter: Awaited<ReturnType<typeof createProgressReporter<DeviceDeployResult>>> | undefined;

  const interrupt = interruptOnSigint(ctx);
  const finishPlan = async (plan: Parameters<PlanReporter['finish']>[0]) => {
    if (planFinished !== undefined) return planFinished;
    if (streamPlan) {
      for (const r of plan.results) out.jsonLine({ type: 'plan', ...r });
      planFinished = exitCodeFor(plan);
    } else planFinished = planReporter ? await planReporter.finish(plan) : exitCodeFor(plan);
    return planFinished;
  };
  let outcome;
  try {
    outcome = await deployStack(env, stack, {
      store,
      inputs,
      templateFolders: (flags.templates ?? []).map((d) => resolve(d)),
      cwd: process.cwd(),
      dryRun,
      onError: onError as (typeof ON_ERROR)[number],
      save: Boolean(flags.save),
      ...(confirmMinutes !== undefined ? { confirmMinutes } : {}),
      planRequest: {
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(timeoutS !== undefined ? { timeoutS } : {}),
        signal: interrupt.signal,
        onEvent: (event) => planReporter?.onEvent(event),
      },
      pushRequest: {
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(timeoutS !== undefined ? { timeoutS } : {}),
        onEvent: (event) => pushReporter?.onEvent(event),
      },
      stopSignal: interrupt.signal,
      onTargets: async (devices) => {
        if (streamPlan) return;
        planReporter = await createProgressReporter<DevicePlan>(out, {
          title: `${dryRun ? 'plan' : 'deploy'} ${stack.name}: planning`,
          devices,
          details: (result) => (result.data ? describePlan(out, result.data) : undefined),
          beforeSummary: (s) => out.info(summaryLine(s.results)),
        });
      },
      confirm: async (review) => {
        await finishPlan(review.plan);
        if (flags.yes) return true;
        const yes = await ask(`deploy stack '${stack.name}' to ${review.changing.length} device(s) (${review.unchanged.length} unchanged)? [y/N] `);
        if (!yes) out.info('nothing deployed');
        return yes;
      },
      onPushTargets: async (devices) => {
        pushReporter = await createProgressReporter<DeviceDeployResult>(out, {
          title: `deploy ${stack.name}`,
          devices,
          details: describeResult,
        });
      },
      onNote: (text) => (json ? out.jsonLine({ type: 'note', message: text }) : out.info(`note: ${text}`)),
    });
  } finally {
    interrupt.dispose();
  }

  const planCode = await finishPlan(outcome.plan);
  if (dryRun) return planCode;
  // answering no is not a failure of the plan, but nothing was done: the same code as refusing without --yes
  if (outcome.status === 'declined') return Math.max(planCode, 2);
  let code = outcome.status === 'not-pushed' ? 10 : planCode;
  if (outcome.push && pushReporter) code = Math.max(code, await pushReporter.finish(outcome.push));
  const unchanged = Object.entries(outcome.devices).filter(([, o]) => o === 'unchanged').map(([d]) => d);
  if (json) {
    out.jsonLine({ type: 'deployment', id: outcome.deploymentId ?? null, stack: stack.name, status: outcome.status, devices: outcome.devices, notes: outcome.notes });
  } else {
    for (const device of unchanged) out.line(`${device}: no changes`);
    out.info(`deployment${outcome.deploymentId !== undefined ? ` #${outcome.deploymentId}` : ''} of ${stack.name}: ${outcome.status}`);
  }
  if (outcome.status === 'interrupted') return 130;
  return ['deployed', 'unchanged'].includes(outcome.status) ? code : Math.max(code, 10);
}
