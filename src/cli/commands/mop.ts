import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { ExecutionSummary, LoadedMop, MopLocation, RunMopOptions } from '../../mops/engine/types.js';
import type { OperationEnv } from '../../operations/types.js';
import type { Store } from '../../store/store.js';
import type { TemporaryRun } from '../../mops/ci/temp-store.js';
import { confirm } from '../prompt.js';

interface RunFlags {
  var?: string[];
  vars?: string[];
  on?: string;
  dryRun?: boolean;
  yes?: boolean;
  approve?: string[];
  junit?: string;
  inventory?: string;
  knownHosts?: string;
  concurrency?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

interface HistoryFlags {
  limit?: string;
}

interface RollbackFlags {
  dryRun?: boolean;
  yes?: boolean;
  device?: string[];
  logDir?: string;
  strictHostKeys?: boolean;
}

export function registerMopCommands(program: Command): void {
  const mop = program
    .command('mop')
    .description('methods of procedure: YAML change plans with pre/post checks, rollback, canaries and CI reports (docs/mops.md)');

  mop
    .command('run <mop>')
    .description('run a MOP (a file, or a name from ./mops and the mops setting) over its targets')
    .option('--var <key=value>', 'an input, the value read as YAML 1.1 (repeatable; wins over --vars)', collect)
    .option('--vars <file>', 'YAML inputs file (repeatable; later files win)', collect)
    .option('--on <expr>', "devices to run on instead of the MOP's targets, e.g. 'site:lon and role:edge'")
    .option('--dry-run', 'render everything and run read-only steps for real; change steps show what they would push; writes nothing')
    .option('-y, --yes', "answer the run's confirmation (never an approval step)")
    .option('--approve <ids>', "answer approval steps by flag: 'all' or step ids, comma-separated (repeatable)", collect)
    .option('--junit <file>', 'write a JUnit XML report: one testcase per step and device')
    .option('--inventory <file>', "use this YAML/CSV inventory for this run only, in a temporary store (CI); credentials from NETSTACKS_CREDENTIAL_<NAME>_* variables")
    .option('--known-hosts <file>', 'with --inventory: accept only the host keys in this OpenSSH known_hosts file (default: trust on first use)')
    .option('--concurrency <n>', "devices at once (overrides the MOP's strategy limit)")
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .addHelpText(
      'after',
      `
Exit codes: 0 every step passed, 2 not confirmed (no TTY and no --yes), 4 invalid MOP,
10 a step failed (also under continue_on_error), 11 a rollback step failed, 130 interrupted.

  netstacks mop run mops/interface-change.yaml --var interface=Gi0/2 --var description='uplink B'
  netstacks mop run ntp-canary --on 'tag:lab' --dry-run
  netstacks mop run mops/code-upgrade.yaml --inventory inventory.yaml --junit report.xml --yes --approve all`,
    )
    .action(action(runCommand));

  mop
    .command('validate <file>')
    .description('check a MOP without running it: schema, step types and parameters, jumps, {{ }} templates; every issue as file:line:column (exit 4)')
    .action(action(validateCommand));

  mop.command('list').description("MOPs in ./mops and the folders of the 'mops' setting").action(action(listCommand));

  mop.command('show <mop>').description('a MOP: inputs, targets, strategy, steps and rollback steps').action(action(showCommand));

  mop
    .command('history [mop]')
    .description('recorded executions, newest first (all MOPs, or one)')
    .option('--limit <n>', 'how many (default 50)')
    .action(action(historyCommand));

  mop
    .command('show-execution <id>')
    .description('one execution: who ran it, inputs, and every step per device with status, times, output and captures')
    .action(action(showExecutionCommand));

  mop
    .command('rollback <execution>')
    .description('push the undo lines an execution recorded (last change first), e.g. after a killed run')
    .option('--dry-run', 'show the lines and what is missing on each device; change nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--device <name>', 'only this device (repeatable)', collect)
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(rollbackCommand));
}

async function usageError(message: string, hint?: string): Promise<never> {
  const { UsageError } = await import('../../core/errors.js');
  throw new UsageError(message, hint);
}

/**
 * Where MOPs are looked up: ./mops, then the `mops` setting. The setting is read only from a store
 * that already exists, so `mop validate` and CI runs never create a home.
 */
async function mopLocation(ctx: CliContext): Promise<MopLocation> {
  const { existsSync } = await import('node:fs');
  const { homeFiles } = await import('../../core/paths.js');
  const location: MopLocation = { cwd: process.cwd(), home: ctx.home };
  if (existsSync(homeFiles.database(ctx.home))) {
    const { readSettings } = await import('../../settings/index.js');
    const settings = await readSettings((await ctx.store()).db);
    if (settings.mopsFolders.length > 0) location.mopsDirs = settings.mopsFolders;
  }
  return location;
}

function interactiveTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

function parseApprove(values: string[] | undefined): 'all' | string[] {
  const ids = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return ids.includes('all') ? 'all' : ids;
}

/** The steps of a MOP that change devices (their type is not read-only), for the confirmation. */
async function changeSteps(loaded: LoadedMop, location: MopLocation): Promise<{ changes: string[]; approvals: string[] }> {
  const { resolveStepTypes, usedStepTypes } = await import('../../mops/engine/step-types.js');
  const { types } = await resolveStepTypes(location, usedStepTypes(loaded.mop));
  const changes: string[] = [];
  const approvals: string[] = [];
  for (const step of [...loaded.mop.steps, ...loaded.mop.rollback]) {
    const type = types.get(step.type);
    // an unknown type is reported by the engine's checks before anything runs (exit 4)
    if (type && !type.readOnly) changes.push(step.id);
    if (type?.name === 'approval' && step.phase === 'main') approvals.push(step.id);
  }
  return { changes, approvals };
}

async function runCommand(ctx: CliContext, reference: string, flags: RunFlags): Promise<number> {
  const report = { written: false };
  try {
    return await runMopCommand(ctx, reference, flags, report);
  } catch (error) {
    // a run that cannot start still leaves the report a CI job publishes, saying why
    if (flags.junit && !report.written) {
      const { resolve } = await import('node:path');
      const { writeFileSync } = await import('node:fs');
      const { junitErrorReport } = await import('../../mops/junit.js');
      const { environmentSecrets } = await import('../../mops/ci/env-credentials.js');
      let message = error instanceof Error ? error.message : String(error);
      const hint = (error as { hint?: string }).hint;
      if (hint) message += `\nhint: ${hint}`;
      for (const secret of environmentSecrets()) if (secret.length >= 3) message = message.split(secret).join('********');
      try {
        writeFileSync(resolve(flags.junit), junitErrorReport(reference, message));
      } catch {
        // the error being reported matters more than the report
      }
    }
    throw error;
  }
}

async function runMopCommand(ctx: CliContext, reference: string, flags: RunFlags, report: { written: boolean }): Promise<number> {
  const { resolve } = await import('node:path');
  const { numberOption } = await import('../../core/numbers.js');
  const concurrency = numberOption('--concurrency', flags.concurrency, { integer: true, min: 1 });
  if (flags.knownHosts && !flags.inventory) {
    await usageError('--known-hosts goes with --inventory', "a run on your own store checks keys against its known_hosts; trust a device with 'netstacks device trust NAME'");
  }
  const { readVarsFile, parseVarAssignments } = await import('../../templates/library/vars-files.js');
  const inputs = Object.assign({}, ...(flags.vars ?? []).map((f) => readVarsFile(resolve(f))), parseVarAssignments(flags.var)) as Record<string, unknown>;
  const approve = parseApprove(flags.approve);

  const { loadMop, runMop } = await import('../../mops/engine/index.js');
  const location = await mopLocation(ctx);
  const loaded = await loadMop(reference, location);
  const { changes, approvals } = await changeSteps(loaded, location);
  const { environmentSecrets } = await import('../../mops/ci/env-credentials.js');

  // the run's confirmation: asked on a terminal, --yes in scripts; approval steps are separate
  if (changes.length > 0 && !flags.dryRun && !flags.yes) {
    const target = flags.on ?? loaded.mop.targets?.on ?? loaded.mop.targets?.devices?.join(', ') ?? '(no targets)';
    if (!interactiveTerminal()) {
      await usageError(
        `mop ${loaded.name} changes devices (steps ${changes.join(', ')}) and there is no terminal to confirm it`,
        'run it with --yes to confirm (approval steps still need --approve), or --dry-run to see what it would do',
      );
    }
    const ok = await confirm(`mop ${loaded.name} will change devices (steps ${changes.join(', ')}) on ${target}. Run it? [y/N] `);
    if (!ok) {
      ctx.out.info('not run');
      const { ExitCode } = await import('../../core/errors.js');
      return ExitCode.usage;
    }
  }

  let temporary: TemporaryRun | undefined;
  let env: OperationEnv;
  let store: Store;
  const secrets = environmentSecrets();
  const notes: string[] = [];
  try {
    if (flags.inventory) {
      const { openTemporaryRun } = await import('../../mops/ci/temp-store.js');
      temporary = await openTemporaryRun({
        inventoryFile: flags.inventory,
        ...(flags.knownHosts ? { knownHostsFile: flags.knownHosts } : {}),
        ...(flags.logDir ? { logDir: flags.logDir } : {}),
      });
      env = temporary.env;
      if (flags.strictHostKeys) env = { ...env, strictHostKeys: true };
      store = temporary.store;
      secrets.push(...temporary.secrets);
      // said up front, so a CI log shows the host-key policy before any connection
      for (const note of temporary.notes) ctx.out.info(`note: ${note}`);
    } else {
      store = await ctx.store();
      const { loadOperationEnv } = await import('../../operations/env.js');
      env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, {
        strictHostKeys: flags.strictHostKeys,
        ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
      });
    }

    const interactive = interactiveTerminal();
    const unanswered = approve === 'all' ? [] : approvals.filter((id) => !approve.includes(id));
    const { createMopReporter } = await import('../../ui/mop-progress.js');
    // approval prompts need the terminal: no live view while one may be asked
    const reporter = await createMopReporter(ctx.out, { noLive: interactive && unanswered.length > 0 });
    const { interruptOnSigint } = await import('../interrupt.js');
    const interrupt = interruptOnSigint(ctx);
    let summary: ExecutionSummary;
    try {
      const options: RunMopOptions = {
        inputs,
        dryRun: Boolean(flags.dryRun),
        approve,
        interactive,
        signal: interrupt.signal,
        onEvent: (event) => reporter.onEvent(event),
        store,
        secrets,
        location,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(flags.on ? { targets: { on: flags.on } } : {}),
      };
      summary = await runMop(env, loaded, options);
    } finally {
      interrupt.dispose();
    }
    if (flags.junit) {
      const { writeJunitReport } = await import('../../mops/junit.js');
      const file = resolve(flags.junit);
      const counts = await writeJunitReport(file, summary, { steps: loaded.mop.steps });
      report.written = true;
      notes.push(`JUnit report: ${flags.junit} (${counts.tests} testcases, ${counts.failures} failures, ${counts.errors} errors, ${counts.skipped} skipped)`);
    }
    if (temporary) notes.push('the temporary store of this run (inventory, credentials, record) is removed now');
    await reporter.finish(summary, reporter.mode === 'json' || reporter.mode === 'structured' ? [] : notes);
    if (reporter.mode === 'json' || reporter.mode === 'structured') for (const note of notes) ctx.out.info(note);
    return summary.exitCode;
  } finally {
    await temporary?.dispose();
  }
}

async function validateCommand(ctx: CliContext, file: string): Promise<number> {
  const { validateMop, formatIssue, loadMop } = await import('../../mops/engine/index.js');
  const { ExitCode } = await import('../../core/errors.js');
  const location = await mopLocation(ctx);
  const issues = await validateMop(file, location);
  const errors = issues.filter((i) => i.severity === 'error');
  if (ctx.out.structured) {
    ctx.out.data({ file, valid: errors.length === 0, errors: errors.length, warnings: issues.length - errors.length, issues });
    return errors.length > 0 ? ExitCode.invalidInput : ExitCode.ok;
  }
  const c = ctx.out.colors;
  for (const issue of issues) {
    const line = formatIssue(issue);
    ctx.out.info(issue.severity === 'error' ? c.red(`error: ${line}`) : c.yellow(`warning: ${line}`));
    if (issue.hint) ctx.out.info(`  hint: ${issue.hint}`);
  }
  if (errors.length > 0) {
    ctx.out.info(`${errors.length} error(s)${issues.length > errors.length ? `, ${issues.length - errors.length} warning(s)` : ''}`);
    return ExitCode.invalidInput;
  }
  const loaded = await loadMop(file, location);
  ctx.out.line(`${loaded.path}: valid (${loaded.mop.steps.length} step(s), ${loaded.mop.rollback.length} rollback step(s))`);
  return ExitCode.ok;
}

async function listCommand(ctx: CliContext): Promise<void> {
  const { listMops } = await import('../../mops/engine/index.js');
  const { relative } = await import('node:path');
  const location = await mopLocation(ctx);
  const mops = listMops(location);
  ctx.out.list(mops, [
    { header: 'name', value: (m) => m.name },
    { header: 'description', value: (m) => (m.error ? ctx.out.colors.red(`invalid: ${m.error}`) : (m.description ?? '').split('\n', 1)[0]) },
    { header: 'file', value: (m) => relative(location.cwd, m.path) || m.path },
  ]);
}

async function showCommand(ctx: CliContext, reference: string): Promise<void> {
  const { loadMop } = await import('../../mops/engine/index.js');
  const loaded = await loadMop(reference, await mopLocation(ctx));
  const { mop } = loaded;
  const structured = {
    name: loaded.name,
    ...(loaded.description !== undefined ? { description: loaded.description } : {}),
    path: loaded.path,
    hash: loaded.hash,
    targets: mop.targets ?? null,
    inputs: mop.inputs,
    strategy: mop.strategy,
    settings: mop.settings,
    steps: mop.steps,
    rollback: mop.rollback,
  };
  if (ctx.out.structured) {
    ctx.out.data(structured);
    return;
  }
  const strategy = Object.entries(mop.strategy)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  ctx.out.record({
    name: loaded.name,
    description: loaded.description ?? '',
    file: loaded.path,
    sha256: loaded.hash,
    targets: mop.targets?.on ?? mop.targets?.devices?.join(', ') ?? '(from --on)',
    strategy: strategy ? `${mop.strategy.type} (${strategy})` : mop.strategy.type,
  });
  const inputs = Object.entries(mop.inputs);
  if (inputs.length > 0) {
    ctx.out.line(ctx.out.colors.bold('inputs'));
    ctx.out.list(inputs, [
      { header: 'name', value: ([n]) => n },
      { header: 'type', value: ([, i]) => i.type },
      { header: 'required', value: ([, i]) => (i.required ? 'yes' : '') },
      { header: 'default', value: ([, i]) => (i.secret ? (i.default === undefined ? '' : '(secret)') : i.default === undefined ? '' : JSON.stringify(i.default)) },
      { header: 'description', value: ([, i]) => i.description ?? '' },
    ]);
  }
  const stepRows = (steps: typeof mop.steps) =>
    ctx.out.list(steps, [
      { header: 'id', value: (s) => s.id },
      { header: 'type', value: (s) => s.type },
      { header: 'name', value: (s) => s.name ?? '' },
      {
        header: 'flow',
        value: (s) =>
          [
            s.run_once ? `run_once${s.per_batch ? ' per_batch' : ''}` : '',
            s.when !== undefined ? `when ${String(s.when)}` : '',
            s.on_success ? `on_success → ${s.on_success}` : '',
            s.on_failure ? `on_failure → ${s.on_failure}` : '',
            s.continue_on_error ? 'continue_on_error' : '',
            s.retries !== 0 ? `retries ${String(s.retries)}` : '',
            s.until !== undefined ? `until ${String(s.until)}` : '',
          ]
            .filter(Boolean)
            .join('; '),
      },
    ]);
  ctx.out.line(ctx.out.colors.bold('steps'));
  stepRows(mop.steps);
  if (mop.rollback.length > 0) {
    ctx.out.line(ctx.out.colors.bold('rollback'));
    stepRows(mop.rollback);
  }
}

async function executionNotFound(id: string): Promise<never> {
  const { NetstacksError } = await import('../../core/errors.js');
  throw new NetstacksError('execution_not_found', `execution '${id}' not found`, { exit: 'notFound', hint: "run 'netstacks mop history' to see the executions (an id prefix is enough)" });
}

function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

function durationOf(startedAt: string, endedAt: string | null): string {
  if (!endedAt) return '';
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

async function historyCommand(ctx: CliContext, name: string | undefined, flags: HistoryFlags): Promise<void> {
  const { numberOption } = await import('../../core/numbers.js');
  const limit = numberOption('--limit', flags.limit, { integer: true, min: 1 });
  const { listExecutions } = await import('../../mops/engine/index.js');
  const store = await ctx.store();
  const rows = await listExecutions(store.db, { ...(name ? { mop: name } : {}), ...(limit !== undefined ? { limit } : {}) });
  ctx.out.list(rows, [
    { header: 'id', value: (r) => shortId(r.id) },
    { header: 'mop', value: (r) => r.mop },
    { header: 'status', value: (r) => `${ctx.out.status(r.status === 'passed' ? 'ok' : r.status === 'running' ? r.status : 'failed').replace(/ok|failed/, r.status)}${r.dryRun ? ' (dry run)' : ''}` },
    { header: 'exit', value: (r) => r.exitCode ?? '' },
    { header: 'devices', value: (r) => r.devices.length },
    { header: 'by', value: (r) => (r.ciJob ? `${r.user} (${r.ciJob})` : r.user) },
    { header: 'started', value: (r) => r.startedAt },
    { header: 'took', value: (r) => durationOf(r.startedAt, r.endedAt) },
  ]);
}

async function showExecutionCommand(ctx: CliContext, id: string): Promise<void> {
  const { getExecution } = await import('../../mops/engine/index.js');
  const store = await ctx.store();
  const detail = await getExecution(store.db, id);
  if (!detail) return executionNotFound(id);
  if (ctx.out.structured) {
    ctx.out.data(detail);
    return;
  }
  ctx.out.record({
    execution: detail.id,
    mop: detail.mopPath ? `${detail.mop} (${detail.mopPath})` : detail.mop,
    sha256: detail.hash,
    status: `${detail.status}${detail.exitCode !== null ? ` (exit ${detail.exitCode})` : ''}${detail.dryRun ? ', dry run' : ''}`,
    by: detail.ciJob ? `${detail.user}, CI job ${detail.ciJob}` : detail.user,
    host: `${detail.hostname} (pid ${detail.pid})`,
    started: detail.startedAt,
    ended: detail.endedAt ?? '',
    inputs: Object.keys(detail.inputs).length > 0 ? detail.inputs : '',
    ...(detail.message ? { message: detail.message } : {}),
    ...(detail.parentId ? { parent: detail.parentId } : {}),
  });
  if (detail.deviceResults.length > 0) {
    ctx.out.line(ctx.out.colors.bold('devices'));
    ctx.out.list(detail.deviceResults, [
      { header: 'device', value: (d) => d.device },
      { header: 'status', value: (d) => d.status },
      { header: 'took', value: (d) => durationOf(d.startedAt, d.endedAt) },
      { header: 'message', value: (d) => (d.message ?? '').split('\n', 1)[0] },
    ]);
  }
  ctx.out.line(ctx.out.colors.bold('steps'));
  ctx.out.list(detail.steps, [
    { header: 'device', value: (s) => s.device ?? '(run)' },
    { header: 'step', value: (s) => `${s.phase === 'rollback' ? 'rollback ' : ''}${s.stepId}${s.visit > 1 ? ` #${s.visit}` : ''}` },
    { header: 'type', value: (s) => s.type },
    { header: 'status', value: (s) => `${s.status}${s.ignoredFailure ? ' (ignored)' : ''}${s.handled ? ' (handled)' : ''}` },
    { header: 'took', value: (s) => `${s.durationMs} ms${s.attempts > 1 ? `, ${s.attempts} attempts` : ''}` },
    { header: 'message', value: (s) => (s.message ?? '').split('\n', 1)[0] },
    { header: 'captures', value: (s) => (s.captures && Object.keys(s.captures).length > 0 ? JSON.stringify(s.captures) : '') },
  ]);
  const withOutput = detail.steps.filter((s) => s.output || (s.items ?? []).some((i) => !i.ok) || (s.pushed?.length ?? 0) > 0);
  for (const s of withOutput) {
    ctx.out.line(ctx.out.colors.bold(`=== ${s.device ?? '(run)'} ${s.phase === 'rollback' ? 'rollback ' : ''}${s.stepId}${s.visit > 1 ? ` #${s.visit}` : ''} ===`));
    for (const i of s.items ?? []) if (!i.ok) ctx.out.line(`✘ ${i.item}${i.reason ? `: ${i.reason}` : ''}`);
    if (s.pushed?.length) ctx.out.line(`pushed:\n${s.pushed.map((l) => `  ${l}`).join('\n')}`);
    if (s.output) ctx.out.line(s.output.replace(/\n+$/, ''));
    ctx.out.line();
  }
}

async function rollbackCommand(ctx: CliContext, id: string, flags: RollbackFlags): Promise<number> {
  const { executionUndo, getExecution } = await import('../../mops/engine/index.js');
  const { ExitCode } = await import('../../core/errors.js');
  const store = await ctx.store();
  const detail = await getExecution(store.db, id);
  if (!detail) return executionNotFound(id);
  if (detail.status === 'running') {
    await usageError(`execution ${shortId(detail.id)} is still running (pid ${detail.pid} on ${detail.hostname})`, 'wait for it to end, or stop it first');
  }
  if (detail.dryRun) {
    if (ctx.out.structured) ctx.out.data({ execution: detail.id, devices: [] });
    else ctx.out.info(`execution ${shortId(detail.id)} was a dry run: it recorded no change to undo`);
    return ExitCode.ok;
  }
  // one push per device: each step's undo lines, last change first
  let undo = (await executionUndo(store.db, detail.id)).map((u) => ({ device: u.device, steps: u.steps.map((s) => s.stepId), lines: u.steps.flatMap((s) => s.lines) }));
  if (flags.device?.length) {
    const unknown = flags.device.filter((d) => !undo.some((u) => u.device === d));
    if (unknown.length > 0) await usageError(`execution ${shortId(detail.id)} has no undo lines for ${unknown.join(', ')}`, undo.length ? `devices with undo lines: ${undo.map((u) => u.device).join(', ')}` : undefined);
    undo = undo.filter((u) => flags.device!.includes(u.device));
  }
  undo = undo.filter((u) => u.lines.length > 0);
  if (undo.length === 0) {
    if (ctx.out.structured) ctx.out.data({ execution: detail.id, devices: [] });
    else ctx.out.info(`execution ${shortId(detail.id)} recorded no change to undo`);
    return ExitCode.ok;
  }
  if (!flags.dryRun && !flags.yes) {
    if (!interactiveTerminal()) await usageError(`rolling back ${undo.length} device(s) changes them and there is no terminal to confirm it`, 'run it with --yes, or --dry-run to see the lines');
    for (const u of undo) ctx.out.info(`${u.device} (undoing ${u.steps.join(', ')}):\n${u.lines.map((l) => `  ${l}`).join('\n')}`);
    if (!(await confirm(`push these undo lines to ${undo.length} device(s)? [y/N] `))) {
      ctx.out.info('not rolled back');
      return ExitCode.usage;
    }
  }
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { pushConfig } = await import('../../operations/push-config.js');
  const { resolve } = await import('node:path');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, {
    strictHostKeys: flags.strictHostKeys,
    ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}),
  });
  const { interruptOnSigint } = await import('../interrupt.js');
  const interrupt = interruptOnSigint(ctx);
  const results: Array<{ device: string; status: string; lines: string[]; message?: string; missing?: string[]; added?: string[]; removed?: string[] }> = [];
  try {
    for (const u of undo) {
      if (interrupt.signal.aborted) break;
      const summary = await pushConfig(env, { names: [u.device], signal: interrupt.signal }, { lines: u.lines, dryRun: Boolean(flags.dryRun) });
      const r = summary.results[0];
      const entry = {
        device: u.device,
        status: r?.status ?? 'failed',
        lines: u.lines,
        ...(r?.message ? { message: r.message } : {}),
        ...(r?.data?.dryRun ? { missing: r.data.missing } : {}),
        ...(r?.data?.added ? { added: r.data.added } : {}),
        ...(r?.data?.removed ? { removed: r.data.removed } : {}),
      };
      results.push(entry);
      if (ctx.out.format === 'json') ctx.out.jsonLine({ type: 'device', ...entry });
      else if (!ctx.out.structured) {
        ctx.out.line(`${ctx.out.status(entry.status)} ${u.device}${entry.message ? `  ${entry.message.split('\n', 1)[0]}` : ''}`);
        if (flags.dryRun) for (const l of entry.missing ?? []) ctx.out.line(`  + ${l}`);
        else {
          for (const l of entry.added ?? []) ctx.out.line(`  + ${l}`);
          for (const l of entry.removed ?? []) ctx.out.line(`  - ${l}`);
        }
      }
    }
  } finally {
    interrupt.dispose();
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const line = `${flags.dryRun ? 'dry run: ' : ''}rollback of execution ${shortId(detail.id)}: ${results.length - failed} device(s) ok, ${failed} failed`;
  if (ctx.out.format === 'json') ctx.out.jsonLine({ type: 'summary', execution: detail.id, dryRun: Boolean(flags.dryRun), ok: results.length - failed, failed, interrupted: interrupt.signal.aborted });
  else if (ctx.out.structured) ctx.out.data({ execution: detail.id, dryRun: Boolean(flags.dryRun), devices: results });
  else ctx.out.line(line);
  if (interrupt.signal.aborted) return ExitCode.interrupted;
  return failed > 0 ? ExitCode.devicesFailed : ExitCode.ok;
}
