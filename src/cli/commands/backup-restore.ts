import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { confirm } from '../prompt.js';

interface RestoreFlags {
  dryRun?: boolean;
  yes?: boolean;
  confirmMinutes?: string;
  reveal?: boolean;
  strictHostKeys?: boolean;
}

export function registerBackupRestore(backup: Command): void {
  backup
    .command('restore <device> <ref>')
    .description('take a device back to a stored version (IOS configure replace, Junos load override + commit confirmed, EOS session replace, else the config model)')
    .option('--dry-run', 'show the plan and the diff; change nothing')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--confirm-minutes <n>', 'Junos: the commit confirmed timer while the post-check runs', '2')
    .option('--reveal', 'show secrets as stored in the plan and diff')
    .option('--strict-host-keys', 'refuse devices whose host key is not known yet')
    .action(action(restoreCommand));
}

async function restoreCommand(ctx: CliContext, device: string, ref: string, flags: RestoreFlags): Promise<number | void> {
  const { numberOption } = await import('../../core/numbers.js');
  const { UsageError } = await import('../../core/errors.js');
  const confirmMinutes = numberOption('--confirm-minutes', flags.confirmMinutes, { integer: true, min: 1, max: 65535 }) ?? 2;
  if (!flags.dryRun && !flags.yes && (!process.stdin.isTTY || !process.stderr.isTTY)) {
    throw new UsageError(`not restoring '${device}' without confirmation`, 'run it on a terminal, or pass --yes (see the plan first with --dry-run)');
  }
  const store = await ctx.store();
  const { markInterruptedRuns } = await import('../../backups/recover.js');
  await markInterruptedRuns(store);
  const { loadOperationEnv } = await import('../../operations/env.js');
  const { planRestore, applyRestore } = await import('../../backups/restore.js');
  const { outgoing } = await import('../../backups/mask.js');
  const { maskCommand } = await import('../../backups/restore-preview.js');
  const { readBackupSettings } = await import('../../backups/settings.js');
  const { diffHunks, unifiedDiff } = await import('../../backups/line-diff.js');
  const { acquireLock } = await import('../../locks/index.js');
  const env = await loadOperationEnv(store, await ctx.secrets(), ctx.home, { strictHostKeys: flags.strictHostKeys });
  const settings = await readBackupSettings(store.db);
  const mask = { reveal: Boolean(flags.reveal), maskSecrets: settings.maskSecrets };

  // the device stays ours from reading its config to the post-check: no backup, stack or MOP in between
  const lock = flags.dryRun ? undefined : await acquireLock(store, `device:${device}`, { purpose: `backup restore ${device} ${ref}`, wait: true, timeoutMs: 30_000 });
  try {
    const plan = await planRestore(env, store, device, ref, { confirmMinutes });
    const platform = plan.platform;
    const show = (text: string) => outgoing(text, platform, mask);
    // `+ line` / `- line`: masked without the mark, as the masking rules match whole config lines
    const shownChange = (line: string) => line.slice(0, 2) + show(line.slice(2));
    const current = show(plan.current);
    const target = show(plan.target);
    const toLabel = `${device}@${plan.backup.id} ${plan.backup.time}`;
    const diff = unifiedDiff(current, target, `${device} running now`, toLabel);
    const planData = { device, backup: plan.backup, method: plan.method, steps: plan.steps.map((s) => maskCommand(s, platform, mask)), commands: plan.commands.map((c) => maskCommand(c, platform, mask)), identical: plan.identical, note: plan.note };

    if (!ctx.out.structured) {
      ctx.out.info(`restore ${device} to backup ${plan.backup.id} (${plan.backup.time}) by ${plan.method}`);
      ctx.out.info(['steps:', ...planData.steps.map((s) => `  ${s}`)].join('\n'));
      if (plan.method !== 'config-model' && planData.commands.length) ctx.out.info(['what changes (config model):', ...planData.commands.map((c) => `  ${c}`)].join('\n'));
      if (!plan.identical) {
        const hunks = diffHunks(current, target);
        ctx.out.line(ctx.out.colors.dim(`${hunks.length} hunk(s):`));
        for (const line of diff.split('\n')) {
          if (line.startsWith('+') && !line.startsWith('+++')) ctx.out.line(ctx.out.colors.green(line));
          else if (line.startsWith('-') && !line.startsWith('---')) ctx.out.line(ctx.out.colors.red(line));
          else if (line.startsWith('@@')) ctx.out.line(ctx.out.colors.cyan(line));
          else ctx.out.line(line);
        }
      }
    }
    if (plan.identical) {
      if (ctx.out.structured) ctx.out.data({ ...planData, dryRun: Boolean(flags.dryRun), restored: false, diff });
      else ctx.out.info(`the running config of ${device} already matches backup ${plan.backup.id}: nothing to do`);
      return;
    }
    if (flags.dryRun) {
      if (ctx.out.structured) ctx.out.data({ ...planData, dryRun: true, diff });
      else ctx.out.info('dry run: nothing sent');
      return;
    }
    if (!flags.yes && !(await confirm(`restore ${device} to backup ${plan.backup.id}? [y/N] `))) {
      ctx.out.info('nothing restored');
      return 2;
    }
    const result = await applyRestore(env, plan, { confirmMinutes, progress: ctx.out.structured ? undefined : (m) => ctx.out.info(ctx.out.colors.dim(`  ${m}`)) });
    if (ctx.out.structured) {
      ctx.out.data({
        ...planData,
        dryRun: false,
        restored: result.matches,
        postCheck: { matches: result.matches, remaining: result.remaining.map(shownChange) },
        confirmed: result.confirmed,
        ...(result.confirmed === false ? { rolledBack: true, previousRestored: result.previousRestored } : {}),
        elapsedMs: result.elapsedMs,
      });
    } else if (result.matches) {
      ctx.out.line(`restored ${device} to backup ${plan.backup.id}: the running config matches it (${result.elapsedMs} ms)`);
    } else if (result.confirmed === false) {
      ctx.out.line(`post-check failed on ${device}: after commit confirmed the running config differed from backup ${plan.backup.id} in ${result.remaining.length} line(s) (running -, backup +):`);
      for (const line of result.remaining.slice(0, 40)) ctx.out.line(`  ${shownChange(line)}`);
      if (result.remaining.length > 40) ctx.out.line(`  ... ${result.remaining.length - 40} more`);
      ctx.out.line(
        result.previousRestored
          ? `rolled back (rollback 1, commit): ${device} runs the config it had before the restore`
          : `rolled back (rollback 1, commit), but the running config of ${device} now differs from the one before the restore: check the device`,
      );
    } else {
      ctx.out.line(`restore of ${device} sent, but the running config still differs from backup ${plan.backup.id}:`);
      for (const line of result.remaining.slice(0, 40)) ctx.out.line(`  ${shownChange(line)}`);
      if (result.remaining.length > 40) ctx.out.line(`  ... ${result.remaining.length - 40} more`);
    }
    return result.matches ? 0 : 10;
  } finally {
    await lock?.release();
  }
}
