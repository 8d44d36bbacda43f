import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { FanOutRequest, OperationEnv } from '../../operations/types.js';
import type { DeviceResult, RunSummary } from '../../runner/types.js';
import type { ProgressOptions } from '../../ui/progress.js';
import type { CommandsReport } from '../../operations/run-commands.js';
import type { PushReport } from '../../operations/push-config.js';
import type { DeviceTestReport } from '../../operations/test-devices.js';

interface FanOutFlags {
  on?: string;
  concurrency?: string;
  timeout?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

interface RunFlags extends FanOutFlags {
  parse?: boolean;
  template?: string;
}

interface PushFlags extends FanOutFlags {
  file?: string;
  line?: string[];
  dryRun?: boolean;
  save?: boolean;
}

function fanOutOptions(command: Command): Command {
  command.option('--on <expr>', "select devices, e.g. 'platform:cisco_ios and site:lon' (default: all)");
  return command
    .option('--concurrency <n>', 'devices at once (default: the concurrency setting)')
    .option('--timeout <seconds>', "per-device timeout (default: from the device's timeouts)")
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet');
}

export function registerSessionCommands(program: Command, device: Command): void {
  fanOutOptions(
    device
      .command('test [name]')
      .description('connect to devices and report TCP, auth, prompt, detected platform and latency'),
  ).action(action(testCommand));

  device
    .command('trust <name>')
    .description("fetch the device's current host key and trust it, replacing the stored one")
    .option('-y, --yes', 'replace a changed key without asking')
    .action(action(trustCommand));

  fanOutOptions(
    program
      .command('run <commands...>')
      .description("run commands on devices: netstacks run 'show version' --on 'platform:cisco_ios'")
      .option('--parse', "records instead of text: TextFSM templates (or the platform's native JSON); see 'netstacks parse --list'")
      .option('--template <file>', 'with --parse: parse with this TextFSM template'),
  ).action(action(runCommand));

  const config = program.commands.find((c) => c.name() === 'config') ?? program.command('config').description('device configuration');
  fanOutOptions(
    config
      .command('push')
      .description('apply config lines to devices (--dry-run shows what would change without entering config mode)')
      .option('--file <file>', "config lines from a file ('-' for stdin)")
      .option('--line <line>', 'a config line (repeatable)', collect)
      .option('--dry-run', 'connect read-only and show the lines not already in the running config')
      .option('--save', 'save the running config to startup afterwards'),
  ).action(action(pushCommand));
}

async function usageError(message: string, hint?: string): Promise<never> {
  const { UsageError } = await import('../../core/errors.js');
  throw new UsageError(message, hint);
}

async function prepare<T>(ctx: CliContext, flags: FanOutFlags, names?: string[], requireSelection = false): Promise<{ env: OperationEnv; request: FanOutRequest<T> }> {
  const { numberOption } = await import('../../core/numbers.js');
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });
  if (requireSelection && !flags.on) await usageError('config push needs --on EXPR', "select the devices to change, e.g. --on 'platform:cisco_ios and site:lon' (use --on '*' for all)");
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { resolve } = await import('node:path');
  const env = await loadOperationEnv(await ctx.store(), await ctx.secrets(), ctx.home, {
    strictHostKeys: flags.strictHostKeys,
    ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
  });
  return {
    env,
    request: {
      ...(flags.on ? { on: flags.on } : {}),
      ...(names && names.length > 0 ? { names } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(timeoutS !== undefined ? { timeoutS } : {}),
    },
  };
}

/** Shared shape of every fan-out command: targets, progress display, Ctrl-C, run, summary, exit code. */
async function runWithProgress<T>(
  ctx: CliContext,
  env: OperationEnv,
  request: FanOutRequest<T>,
  display: Omit<ProgressOptions<T>, 'devices'>,
  operation: (env: OperationEnv, request: FanOutRequest<T>) => Promise<RunSummary<T>>,
): Promise<number> {
  const { resolveTargets } = await import('../../operations/targets.js');
  const { createProgressReporter } = await import('../../ui/progress.js');
  // targets first, so a selection error prints plainly before any live display starts
  const targets = await resolveTargets(env, request);
  const reporter = await createProgressReporter<T>(ctx.out, { ...display, devices: targets.names });
  const { interruptOnSigint } = await import('../interrupt.js');
  const interrupt = interruptOnSigint(ctx);
  try {
    const summary = await operation(env, { ...request, targets, signal: interrupt.signal, onEvent: (event) => reporter.onEvent(event) });
    return await reporter.finish(summary);
  } finally {
    interrupt.dispose();
  }
}

async function testCommand(ctx: CliContext, name: string | undefined, flags: FanOutFlags): Promise<number> {
  const { env, request } = await prepare<DeviceTestReport>(ctx, flags, name ? [name] : undefined);
  const { testDevices } = await import('../../operations/test-devices.js');
  return runWithProgress(ctx, env, request, {
    title: 'device test',
    details: (result) => (result.data?.banner ? `pre-login banner:\n${result.data.banner}` : undefined),
    beforeSummary: (summary) => {
      const ok = summary.results.filter((r): r is DeviceResult<DeviceTestReport> & { data: DeviceTestReport } => r.data !== undefined);
      if (ok.length === 0) return;
      ctx.out.list(ok, [
        { header: 'device', value: (r) => r.device },
        { header: 'address', value: (r) => `${r.data.host}:${r.data.port}` },
        { header: 'tcp ms', value: (r) => r.data.tcpMs ?? '-' },
        { header: 'auth ms', value: (r) => r.data.connectMs },
        { header: 'prompt', value: (r) => `${r.data.prompt} (${r.data.promptMs} ms)` },
        { header: 'platform', value: (r) => (r.data.detected ? `${r.data.platform} (detected)` : r.data.platform) },
        { header: 'latency ms', value: (r) => r.data.latencyMs },
      ]);
    },
  }, testDevices);
}

async function runCommand(ctx: CliContext, commands: string[], flags: RunFlags): Promise<number> {
  if (flags.template && !flags.parse) await usageError('--template needs --parse');
  const { env, request } = await prepare<CommandsReport>(ctx, flags);
  const { runCommands } = await import('../../operations/run-commands.js');
  const options = flags.parse ? { parse: { ...(flags.template ? { templateFile: flags.template } : {}) } } : {};
  if (flags.parse) {
    const { printParsedRun } = await import('./parse-output.js');
    return runWithProgress(ctx, env, request, {
      title: 'run --parse',
      toJson: (result) => {
        const { data, ...rest } = result;
        return data ? { ...rest, platform: data.platform, parsed: data.parsed } : rest;
      },
      beforeSummary: (summary) => printParsedRun(ctx.out, summary),
    }, (e, r) => runCommands(e, r, commands, options));
  }
  return runWithProgress(ctx, env, request, {
    title: 'run',
    details: (result) => {
      if (!result.data) return undefined;
      const { outputs } = result.data;
      if (result.status === 'ok' && outputs.length === 1) return outputs[0]!.output;
      const shown = outputs.map((o) => `--- ${o.command} ---\n${o.output.replace(/\n+$/, '')}`);
      // a failed device keeps the outputs of the commands before the failing one
      if (result.status === 'failed') shown.push(`--- failed after ${outputs.length} of ${commands.length} command(s): ${result.message ?? ''}`);
      return shown.join('\n');
    },
  }, (e, r) => runCommands(e, r, commands));
}

async function readLines(flags: PushFlags): Promise<string[]> {
  const lines: string[] = [];
  if (flags.file) {
    const { readFile } = await import('node:fs/promises');
    let text: string;
    try {
      text = flags.file === '-' ? await readStdin() : await readFile(flags.file, 'utf8');
    } catch (error) {
      const { ValidationError } = await import('../../core/errors.js');
      throw new ValidationError(`cannot read ${flags.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    lines.push(...text.replace(/\r\n?/g, '\n').split('\n'));
  }
  lines.push(...(flags.line ?? []));
  const kept = lines.filter((l) => l.trim() !== '');
  if (kept.length === 0) await usageError('no config lines given', "use --file FILE or --line 'LINE' (repeatable)");
  return kept;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function describePush(report: PushReport): string {
  const lines: string[] = [];
  if (report.dryRun) {
    lines.push(`dry run: ${report.candidate.length} line(s) for ${report.configMode} mode, ${report.missing.length} not in the running config`);
    for (const l of report.missing) lines.push(`+ ${l}`);
  } else {
    const flags = [report.committed ? 'committed' : undefined, report.saved ? 'saved' : undefined].filter(Boolean).join(', ');
    lines.push(`sent ${report.sent?.length ?? 0} line(s)${flags ? ` (${flags})` : ''}; running config: ${report.added?.length ?? 0} added, ${report.removed?.length ?? 0} removed`);
    for (const l of report.added ?? []) lines.push(`+ ${l}`);
    for (const l of report.removed ?? []) lines.push(`- ${l}`);
  }
  return lines.join('\n');
}

async function pushCommand(ctx: CliContext, flags: PushFlags): Promise<number> {
  const lines = await readLines(flags);
  const { env, request } = await prepare<PushReport>(ctx, flags, undefined, true);
  const { pushConfig } = await import('../../operations/push-config.js');
  return runWithProgress(ctx, env, request, {
    title: flags.dryRun ? 'config push --dry-run' : 'config push',
    details: (result) => (result.data ? describePush(result.data) : undefined),
  }, (e, r) => pushConfig(e, r, { lines, dryRun: Boolean(flags.dryRun), save: Boolean(flags.save) }));
}

async function trustCommand(ctx: CliContext, name: string, flags: { yes?: boolean }): Promise<void> {
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { trustDevice } = await import('../../operations/trust-device.js');
  const env = await loadOperationEnv(await ctx.store(), await ctx.secrets(), ctx.home);
  const report = await trustDevice(env, name, {
    confirm: async (previous, current) => {
      if (flags.yes) return true;
      if (!process.stdin.isTTY) {
        await usageError(`the host key of '${name}' changed (stored ${previous.join(', ')}, now ${current})`, 'run again with --yes to trust the new key');
      }
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        ctx.out.info(`stored key: ${previous.join(', ')}\ncurrent key: ${current}`);
        return /^y(es)?$/i.test((await rl.question('trust the new key? [y/N] ')).trim());
      } finally {
        rl.close();
      }
    },
  });
  ctx.out.record(
    {
      device: report.device,
      address: `${report.host}:${report.port}`,
      previous: report.previous.length > 0 ? report.previous : '(none)',
      current: `${report.current} (${report.keyType})`,
      result: report.changed ? 'trusted' : 'already trusted',
    },
    report,
  );
}
