import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { registerBackupRestore } from './backup-restore.js';
import type { Hunk } from '../../backups/line-diff.js';
import type { StoredBackup } from '../../backups/record.js';

interface RunFlags {
  on?: string;
  ifBusy?: string;
  concurrency?: string;
  timeout?: string;
  type?: string;
  logDir?: string;
  strictHostKeys?: boolean;
}

async function usageError(message: string, hint?: string): Promise<never> {
  const { UsageError } = await import('../../core/errors.js');
  throw new UsageError(message, hint);
}

/** A positive whole-number option, through the one number parser (exit 2 when bad). */
async function positiveInt(value: string | undefined, flag: string): Promise<number | undefined> {
  const { numberOption } = await import('../../core/numbers.js');
  return numberOption(flag, value, { integer: true, min: 1 });
}

async function snapshotId(value: string): Promise<number> {
  return (await positiveInt(value, 'snapshot ID'))!;
}

/** Backup commands read a store that a killed run may have left marked running: fix that first. */
async function openStore(ctx: CliContext) {
  const store = await ctx.store();
  const { markInterruptedRuns } = await import('../../backups/recover.js');
  const marked = await markInterruptedRuns(store);
  if (marked.length > 0 && !ctx.out.structured) ctx.out.warn(`marked interrupted: snapshot ${marked.join(', ')} (its process is gone)`);
  return store;
}

async function maskOptions(ctx: CliContext, reveal: boolean | undefined) {
  const { readBackupSettings } = await import('../../backups/settings.js');
  const settings = await readBackupSettings((await ctx.store()).db);
  return { reveal: Boolean(reveal), maskSecrets: settings.maskSecrets };
}

export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('configuration backups: run, list, show, diff, search, restore, export, prune');

  backup
    .command('run')
    .description("fetch running configs and store the changed ones: netstacks backup run --on 'site:lon'")
    .option('--on <expr>', 'select devices (default: all)')
    .option('--if-busy <mode>', 'another backup run on this home: wait for it, or skip this one (wait|skip)', 'wait')
    .option('--concurrency <n>', 'devices at once (default: the concurrency setting)')
    .option('--timeout <seconds>', "per-device timeout (default: from the device's timeouts)")
    .option('--type <type>', 'recorded backup type: manual, scheduled or snapshot', 'manual')
    .option('--log-dir <dir>', 'write a session transcript per device here, secrets masked')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(runCommand));

  backup
    .command('list')
    .description('backup history, newest first; * marks where the config changed')
    .option('--on <expr>', 'only these devices')
    .option('--device <name>', 'only this device')
    .option('--limit <n>', 'at most this many rows', '200')
    .action(action(listCommand));

  backup
    .command('show <device>')
    .description('a stored config (latest good by default); secrets masked unless --reveal')
    .option('--at <ref>', 'backup ID, or a time (2026-12-01, 2026-12-01T02:00Z): the latest at or before it')
    .option('--facts', 'show the stored show version / inventory instead of the config')
    .option('--reveal', 'show secrets as stored')
    .action(action(showCommand));

  backup
    .command('diff <device> [from] [to]')
    .description('unified diff between two versions (default: the last two distinct); FROM/TO are IDs or times')
    .option('-U, --context <n>', 'lines of context', '3')
    .option('--reveal', 'show secrets as stored')
    .action(action(diffCommand));

  backup
    .command('search <regex>')
    .description("lines of the latest configs matching a regular expression: netstacks backup search 'snmp-server community'")
    .option('--on <expr>', 'only these devices')
    .option('-i, --ignore-case', 'case-insensitive')
    .option('--reveal', 'search and show secrets as stored')
    .action(action(searchCommand));

  backup
    .command('restore-preview <device> <ref>')
    .description('diff of the running config now against a stored version (what a restore would change)')
    .option('--reveal', 'show secrets as stored')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(restorePreviewCommand));

  registerBackupRestore(backup);

  backup
    .command('export')
    .description('export to a git repository: one file per device (site/name), one commit per snapshot; incremental')
    .requiredOption('--git <dir>', 'the repository directory (created when missing)')
    .option('--reveal', 'export secrets as stored')
    .action(action(exportCommand));

  backup
    .command('prune')
    .description('delete old backups: keeps the newest N per device, those newer than D days, and the latest good one')
    .option('--keep <n>', 'versions to keep per device (default: backup.keep_versions)')
    .option('--days <d>', 'keep backups newer than this (default: backup.retention_days)')
    .option('--dry-run', 'count what would be deleted')
    .action(action(pruneCommand));

  const snapshot = program.command('snapshot').description('backup runs over many devices: list, show, compare');
  snapshot.command('list').description('snapshots, newest first').option('--limit <n>', 'at most this many', '50').action(action(snapshotListCommand));
  snapshot.command('show <id>').description('one snapshot: counts and each device').action(action(snapshotShowCommand));
  snapshot.command('compare <first> <second>').description('per device: changed, unchanged, or only in one').action(action(snapshotCompareCommand));
}

function describeStored(data: StoredBackup): string {
  const what = data.previousHash === undefined ? 'first backup' : data.changed ? 'changed' : 'unchanged';
  return `${what} ${data.hash.slice(0, 12)} (${data.size} bytes)${data.unsaved ? ', unsaved changes (running differs from startup)' : ''}`;
}

async function runCommand(ctx: CliContext, flags: RunFlags): Promise<number> {
  const ifBusy = flags.ifBusy ?? 'wait';
  if (ifBusy !== 'wait' && ifBusy !== 'skip') await usageError(`--if-busy must be wait or skip, got '${ifBusy}'`);
  const type = flags.type ?? 'manual';
  if (!['manual', 'scheduled', 'snapshot'].includes(type)) await usageError(`--type must be manual, scheduled or snapshot, got '${type}'`);
  const concurrency = await positiveInt(flags.concurrency, '--concurrency');
  const { numberOption } = await import('../../core/numbers.js');
  const timeoutS = numberOption('--timeout', flags.timeout, { above: 0, unit: 'seconds' });

  const store = await openStore(ctx);
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { resolveTargets } = await import('../../operations/targets.js');
  const { runBackup } = await import('../../backups/run.js');
  const { createProgressReporter } = await import('../../ui/progress.js');
  const { resolve } = await import('node:path');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, { strictHostKeys: flags.strictHostKeys, ...(flags.logDir ? { logDir: resolve(flags.logDir) } : {}) });
  const targets = await resolveTargets(env, flags.on ? { on: flags.on } : {});
  const reporter = await createProgressReporter<StoredBackup>(ctx.out, {
    title: 'backup run',
    devices: targets.names,
    details: (r) => (r.data ? describeStored(r.data) : undefined),
  });
  const { interruptOnSigint } = await import('../interrupt.js');
  const interrupt = interruptOnSigint(ctx);
  try {
    const report = await runBackup(env, store, {
      targets,
      ...(flags.on ? { on: flags.on } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(timeoutS ? { timeoutS } : {}),
      ifBusy: ifBusy as 'wait' | 'skip',
      type: type as 'manual' | 'scheduled' | 'snapshot',
      signal: interrupt.signal,
      onEvent: (event) => reporter.onEvent(event),
    });
    if (report.status === 'busy') {
      if (ctx.out.structured) ctx.out.data({ status: 'busy', message: report.busyWith });
      else ctx.out.info(`skipped: ${report.busyWith}`);
      return 0;
    }
    const code = await reporter.finish(report.summary!);
    const failedHooks = report.hooks.filter((h) => !h.ok);
    const line = `snapshot ${report.snapshotId}: ${report.status}, ${report.counts.success} ok (${report.counts.changed} changed), ${report.counts.failed} failed, ${report.counts.skipped} skipped`;
    if (ctx.out.format === 'json') ctx.out.jsonLine({ type: 'snapshot', id: report.snapshotId, status: report.status, ...report.counts, hooks: report.hooks });
    else if (ctx.out.structured) ctx.out.data({ snapshot: report.snapshotId, status: report.status, ...report.counts, hooks: report.hooks });
    else {
      ctx.out.info(line);
      for (const h of failedHooks) ctx.out.warn(`hook failed for ${h.device} (${h.hook}): ${h.error}`);
    }
    if (ctx.out.structured) for (const h of failedHooks) ctx.out.info(`warning: hook failed for ${h.device} (${h.hook}): ${h.error}`);
    return code;
  } finally {
    interrupt.dispose();
  }
}

async function listCommand(ctx: CliContext, flags: { on?: string; device?: string; limit?: string }): Promise<void> {
  const limit = await positiveInt(flags.limit, '--limit');
  const store = await openStore(ctx);
  const { listBackups } = await import('../../backups/queries.js');
  const rows = await listBackups(store.db, { ...(flags.on ? { on: flags.on } : {}), ...(flags.device ? { device: flags.device } : {}), ...(limit ? { limit } : {}) });
  ctx.out.list(rows, [
    { header: 'id', value: (r) => r.id },
    { header: 'time', value: (r) => r.time.replace('T', ' ').slice(0, 19) },
    { header: 'device', value: (r) => r.device },
    { header: 'status', value: (r) => ctx.out.status(r.status) },
    { header: 'chg', value: (r) => (r.changed ? ctx.out.colors.yellow('*') : '') },
    { header: 'hash', value: (r) => r.hash?.slice(0, 12) ?? '' },
    { header: 'size', value: (r) => r.size ?? '' },
    { header: 'type', value: (r) => r.type },
    { header: 'snapshot', value: (r) => r.snapshotId ?? '' },
    { header: 'note', value: (r) => r.error ?? (r.unsaved ? 'unsaved changes' : '') },
  ]);
}

async function showCommand(ctx: CliContext, device: string, flags: { at?: string; facts?: boolean; reveal?: boolean }): Promise<void> {
  const store = await openStore(ctx);
  const { readBackup } = await import('../../backups/queries.js');
  const { outgoing } = await import('../../backups/mask.js');
  const shown = await readBackup(store.db, device, flags.at);
  const mask = await maskOptions(ctx, flags.reveal);
  const config = outgoing(shown.config, shown.backup.platform, mask);
  const facts = Object.fromEntries(Object.entries(shown.facts).map(([k, v]) => [k, outgoing(v, shown.backup.platform, mask)]));
  if (ctx.out.structured) {
    ctx.out.data({ ...shown.backup, masked: !mask.reveal && mask.maskSecrets, config, facts });
    return;
  }
  ctx.out.info(ctx.out.colors.dim(`# ${device} backup ${shown.backup.id} at ${shown.backup.time} (${shown.backup.format}, ${shown.backup.hash?.slice(0, 12)})`));
  if (flags.facts) {
    for (const [name, text] of Object.entries(facts)) {
      ctx.out.line(ctx.out.colors.bold(`=== ${name} ===`));
      ctx.out.line(text.replace(/\n+$/, ''));
    }
    if (Object.keys(facts).length === 0) ctx.out.info('(no facts stored for this backup)');
    return;
  }
  process.stdout.write(config);
}

function printHunks(ctx: CliContext, hunks: Hunk[], fromLabel: string, toLabel: string): void {
  const { colors: c } = ctx.out;
  const { hunkHeader } = hunkTools!;
  const out: string[] = [c.bold(`--- ${fromLabel}`), c.bold(`+++ ${toLabel}`)];
  for (const h of hunks) {
    out.push(c.cyan(hunkHeader(h)));
    for (const l of h.lines) out.push(l.op === '+' ? c.green('+' + l.text) : l.op === '-' ? c.red('-' + l.text) : ' ' + l.text);
  }
  process.stdout.write(out.join('\n') + '\n');
}

let hunkTools: typeof import('../../backups/line-diff.js') | undefined;

async function diffCommand(ctx: CliContext, device: string, from: string | undefined, to: string | undefined, flags: { context?: string; reveal?: boolean }): Promise<number> {
  const { numberOption } = await import('../../core/numbers.js');
  const context = numberOption('--context', flags.context, { integer: true, min: 0 }) ?? 3;
  const store = await openStore(ctx);
  const { resolveBackup, lastTwoDistinct } = await import('../../backups/queries.js');
  const { outgoing, lineLocalMasking } = await import('../../backups/mask.js');
  const { storedHunks } = await import('../../backups/stored-diff.js');
  hunkTools = await import('../../backups/line-diff.js');
  const pair = from === undefined ? await lastTwoDistinct(store.db, device) : { from: await resolveBackup(store.db, device, from), to: await resolveBackup(store.db, device, to) };
  const mask = await maskOptions(ctx, flags.reveal);
  const platform = pair.to.platform;
  const hunks = await storedHunks(store.db, pair.from.contentId, pair.to.contentId, context, mask.reveal || !mask.maskSecrets ? undefined : { text: (t) => outgoing(t, platform, mask), lineLocal: lineLocalMasking(platform) });
  const label = (e: { id: number; time: string }) => `${device}@${e.id} ${e.time}`;
  if (ctx.out.structured) {
    const { contentId: _a, ...fromEntry } = pair.from;
    const { contentId: _b, ...toEntry } = pair.to;
    ctx.out.data({
      device,
      from: fromEntry,
      to: toEntry,
      identical: hunks.length === 0,
      added: hunks.reduce((n, h) => n + h.lines.filter((l) => l.op === '+').length, 0),
      removed: hunks.reduce((n, h) => n + h.lines.filter((l) => l.op === '-').length, 0),
      diff: hunkTools.formatHunks(hunks, label(pair.from), label(pair.to)),
    });
    return 0;
  }
  if (hunks.length === 0) {
    ctx.out.info(`${label(pair.from)} and ${label(pair.to)} are identical`);
    return 0;
  }
  printHunks(ctx, hunks, label(pair.from), label(pair.to));
  return 0;
}

async function searchCommand(ctx: CliContext, pattern: string, flags: { on?: string; ignoreCase?: boolean; reveal?: boolean }): Promise<number> {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags.ignoreCase ? 'i' : '');
  } catch (error) {
    const { ValidationError } = await import('../../core/errors.js');
    throw new ValidationError(`invalid regular expression: ${(error as Error).message}`);
  }
  const store = await openStore(ctx);
  const { searchBackups } = await import('../../backups/queries.js');
  const { outgoing } = await import('../../backups/mask.js');
  const mask = await maskOptions(ctx, flags.reveal);
  const hits = await searchBackups(store.db, regex, { ...(flags.on ? { on: flags.on } : {}), transform: (text, platform) => outgoing(text, platform, mask) });
  if (ctx.out.structured) {
    ctx.out.data(hits);
    return hits.length > 0 ? 0 : 1;
  }
  for (const hit of hits) {
    for (const line of hit.lines) ctx.out.line(`${ctx.out.colors.bold(hit.device)}:${ctx.out.colors.dim(String(line.line))}: ${line.text}`);
  }
  ctx.out.info(`${hits.length} device(s) match, ${hits.reduce((n, h) => n + h.lines.length, 0)} line(s)`);
  // like grep: 1 when nothing matched
  return hits.length > 0 ? 0 : 1;
}

async function restorePreviewCommand(ctx: CliContext, device: string, ref: string, flags: { reveal?: boolean; strictHostKeys?: boolean }): Promise<void> {
  const store = await openStore(ctx);
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { restorePreview, maskCommand } = await import('../../backups/restore-preview.js');
  const { outgoing } = await import('../../backups/mask.js');
  hunkTools = await import('../../backups/line-diff.js');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, { strictHostKeys: flags.strictHostKeys });
  const preview = await restorePreview(env, store, device, ref);
  const mask = await maskOptions(ctx, flags.reveal);
  const current = outgoing(preview.current, preview.backup.platform, mask);
  const target = outgoing(preview.target, preview.backup.platform, mask);
  const hunks = hunkTools.diffHunks(current, target);
  const toLabel = `${device}@${preview.backup.id} ${preview.backup.time}`;
  if (ctx.out.structured) {
    ctx.out.data({ device, backup: preview.backup, method: preview.method, note: preview.note, identical: hunks.length === 0, commands: preview.commands.map((c) => maskCommand(c, preview.backup.platform, mask)), diff: hunkTools.unifiedDiff(current, target, `${device} running now`, toLabel) });
    return;
  }
  ctx.out.info(ctx.out.colors.dim(`note: ${preview.note}`));
  if (preview.commands.length) ctx.out.info(['commands a restore would send:', ...preview.commands.map((c) => `  ${maskCommand(c, preview.backup.platform, mask)}`)].join('\n'));
  if (hunks.length === 0) ctx.out.info(`the running config of ${device} already matches backup ${preview.backup.id}`);
  else printHunks(ctx, hunks, `${device} running now`, toLabel);
}

async function exportCommand(ctx: CliContext, flags: { git: string; reveal?: boolean }): Promise<void> {
  const store = await openStore(ctx);
  const { exportGit } = await import('../../backups/export-git.js');
  const { resolve } = await import('node:path');
  const report = await exportGit(store.db, resolve(flags.git), await maskOptions(ctx, flags.reveal));
  ctx.out.record({ repository: report.dir, commits: report.commits, 'files written': report.files, 'last snapshot': report.lastSnapshot ?? '(none)' }, report);
}

async function pruneCommand(ctx: CliContext, flags: { keep?: string; days?: string; dryRun?: boolean }): Promise<void> {
  const keepVersions = await positiveInt(flags.keep, '--keep');
  const retentionDays = await positiveInt(flags.days, '--days');
  const store = await openStore(ctx);
  const { pruneBackups } = await import('../../backups/prune.js');
  const report = await pruneBackups(store, { ...(keepVersions ? { keepVersions } : {}), ...(retentionDays ? { retentionDays } : {}), dryRun: Boolean(flags.dryRun) });
  ctx.out.record(
    {
      rule: `keep newest ${report.keepVersions} per device, or newer than ${report.retentionDays} days, and the latest good`,
      [report.dryRun ? 'backups to delete' : 'backups deleted']: report.backups,
      ...(report.dryRun ? {} : { 'snapshots deleted': report.snapshots, 'stored texts deleted': report.contents, 'texts rebased': report.rebased, 'bytes freed': report.bytesFreed }),
    },
    report,
  );
}

async function snapshotListCommand(ctx: CliContext, flags: { limit?: string }): Promise<void> {
  const limit = await positiveInt(flags.limit, '--limit');
  const store = await openStore(ctx);
  const { listSnapshots } = await import('../../backups/snapshots.js');
  const rows = await listSnapshots(store.db, limit);
  ctx.out.list(rows, [
    { header: 'id', value: (r) => r.id },
    { header: 'started', value: (r) => r.startedAt.replace('T', ' ').slice(0, 19) },
    { header: 'type', value: (r) => r.type },
    { header: 'status', value: (r) => (r.status === 'complete' ? ctx.out.status('ok').replace('ok', 'complete') : r.status === 'partial' || r.status === 'interrupted' ? ctx.out.colors.yellow(r.status) : r.status) },
    { header: 'total', value: (r) => r.total },
    { header: 'ok', value: (r) => r.success },
    { header: 'failed', value: (r) => r.failed },
    { header: 'skipped', value: (r) => r.skipped },
    { header: 'changed', value: (r) => r.changed },
    { header: 'selection', value: (r) => r.selection ?? '' },
  ]);
}

async function snapshotShowCommand(ctx: CliContext, id: string): Promise<void> {
  const sid = await snapshotId(id);
  const store = await openStore(ctx);
  const { getSnapshot, snapshotBackups } = await import('../../backups/snapshots.js');
  const snapshot = await getSnapshot(store.db, sid);
  const backups = await snapshotBackups(store.db, sid);
  if (ctx.out.structured) {
    ctx.out.data({ ...snapshot, backups });
    return;
  }
  ctx.out.info(
    `snapshot ${snapshot.id} (${snapshot.type}) ${snapshot.status}: ${snapshot.success} ok, ${snapshot.failed} failed, ${snapshot.skipped} skipped of ${snapshot.total}, ${snapshot.changed} changed; started ${snapshot.startedAt}`,
  );
  ctx.out.list(backups, [
    { header: 'device', value: (r) => r.device },
    { header: 'status', value: (r) => ctx.out.status(r.status) },
    { header: 'chg', value: (r) => (r.changed ? ctx.out.colors.yellow('*') : '') },
    { header: 'hash', value: (r) => r.hash?.slice(0, 12) ?? '' },
    { header: 'backup', value: (r) => r.id },
    { header: 'note', value: (r) => r.error ?? (r.unsaved ? 'unsaved changes' : '') },
  ]);
}

async function snapshotCompareCommand(ctx: CliContext, first: string, second: string): Promise<void> {
  const a = await snapshotId(first);
  const b = await snapshotId(second);
  const store = await openStore(ctx);
  const { compareSnapshots } = await import('../../backups/snapshots.js');
  const result = await compareSnapshots(store.db, a, b);
  if (ctx.out.structured) {
    ctx.out.data(result);
    return;
  }
  ctx.out.list(result.devices, [
    { header: 'device', value: (r) => r.device },
    { header: 'state', value: (r) => (r.state === 'changed' ? ctx.out.colors.yellow(r.state) : r.state === 'failed' ? ctx.out.colors.red(r.state) : r.state) },
    { header: `snapshot ${a}`, value: (r) => r.firstHash?.slice(0, 12) ?? '' },
    { header: `snapshot ${b}`, value: (r) => r.secondHash?.slice(0, 12) ?? '' },
    { header: 'note', value: (r) => r.note ?? '' },
  ]);
  const c = result.counts;
  ctx.out.info(`${c.changed} changed, ${c.unchanged} unchanged, ${c['only-in-first']} only in ${a}, ${c['only-in-second']} only in ${b}, ${c.failed} failed in either`);
}
