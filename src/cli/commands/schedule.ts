import type { Command } from 'commander';
import { Option } from 'commander';
import { action, type CliContext } from '../context.js';
import type { Schedule, ScheduleRun } from '../../scheduler/repository.js';

interface TimingOptions {
  cron?: string;
  once?: string;
  daily?: string;
  weekly?: string[];
  monthly?: string[];
  tz?: string;
  missed?: 'skip' | 'run-once';
}

const timingOptions = (cmd: Command): Command =>
  cmd
    .option('--cron <expr>', 'cron expression: minute hour day-of-month month day-of-week, e.g. "0 2 * * *"')
    .option('--once <datetime>', 'run once at "YYYY-MM-DD HH:MM" (in the schedule\'s time zone)')
    .option('--daily <HH:MM>', 'every day at HH:MM')
    .option('--weekly <DAY HH:MM...>', 'every week on DAY (mon..sun) at HH:MM')
    .option('--monthly <DAY HH:MM...>', 'every month on DAY (1-31 or last) at HH:MM')
    .option('--tz <zone>', 'IANA time zone (default: the timezone setting)')
    .addOption(new Option('--missed <policy>', 'after downtime: skip missed runs, or run once at start').choices(['skip', 'run-once']));

const JOB_HELP = `
The job is netstacks arguments after --; schedulable kinds: backup run, mop run, deploy, stack validate.
Files in the job (the MOP or stack file, --vars, --templates, --junit, …) are stored as absolute paths.

Examples:
  netstacks schedule add nightly --cron "0 2 * * *" --tz Europe/Berlin -- backup run --on 'site:lon'
  netstacks schedule add weekly-core --weekly sun 03:30 --missed run-once -- backup run --on 'role:core'
  netstacks schedule add one-off --once "2026-12-24 18:00" -- backup run
  netstacks schedule add nightly-mop --cron "0 2 * * *" -- mop run mops/pre-checks.yaml --yes
  netstacks schedule add nightly-deploy --daily 02:30 -- deploy stacks/lab-baseline.yaml --yes
  netstacks schedule add drift --cron "0 * * * *" -- stack validate lab-baseline`;

async function isAvailable(words: string[]): Promise<boolean> {
  const { buildProgram } = await import('../main.js');
  let cmd: Command | undefined = buildProgram();
  for (const w of words) cmd = cmd?.commands.find((c) => c.name() === w || c.aliases().includes(w));
  return cmd !== undefined;
}

/** The job words as the user gave them, validated against the allow-list and this build's commands. */
async function checkedJob(job: string[]): Promise<string[]> {
  const { validateJob, allowedJobKinds, absoluteJobPaths } = await import('../../scheduler/jobs.js');
  const available = new Map<string, boolean>();
  for (const kind of allowedJobKinds()) available.set(kind, await isAvailable(kind.split(' ')));
  const kind = validateJob(job, { isAvailable: (words) => available.get(words.join(' ')) ?? false });
  // the daemon runs jobs from its own working directory: files are kept absolute
  return absoluteJobPaths(job, kind, process.cwd());
}

async function convert(opts: TimingOptions) {
  const { convertForm } = await import('../../scheduler/forms.js');
  const { validateCron } = await import('../../scheduler/timing.js');
  const join = (v?: string[]) => (v ? v.join(' ') : undefined);
  const form = convertForm({ cron: opts.cron, once: opts.once, daily: opts.daily, weekly: join(opts.weekly), monthly: join(opts.monthly) });
  if (form.kind === 'cron') validateCron(form.spec);
  return form;
}

async function nextRunsView(schedule: Schedule, count = 5): Promise<{ local: string; utc: string }[]> {
  const { scheduleTiming, formatInZone } = await import('../../scheduler/timing.js');
  if (!schedule.enabled) return [];
  return scheduleTiming(schedule)
    .nextRuns(count, new Date())
    .map((d) => ({ local: formatInZone(d, schedule.timezone), utc: d.toISOString() }));
}

async function printSchedule(ctx: CliContext, schedule: Schedule, extra: Record<string, unknown> = {}): Promise<void> {
  const { formatJob } = await import('../../scheduler/jobs.js');
  const nextRuns = await nextRunsView(schedule);
  if (ctx.out.structured) {
    ctx.out.data({ ...schedule, ...extra, nextRuns });
    return;
  }
  ctx.out.record({
    name: schedule.name,
    when: schedule.kind === 'cron' ? `${schedule.form}${schedule.form.startsWith('--cron') ? '' : `  (cron "${schedule.spec}")`}` : schedule.form,
    'time zone': schedule.timezone,
    'missed runs': schedule.missed,
    job: formatJob(schedule.job),
    enabled: ctx.out.status(schedule.enabled ? 'enabled' : 'disabled'),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v])),
  });
  if (nextRuns.length === 0) {
    ctx.out.line(schedule.enabled ? 'no further runs' : 'disabled: no runs');
    return;
  }
  ctx.out.line(`next ${nextRuns.length === 1 ? 'run' : `${nextRuns.length} runs`} (${schedule.timezone} / UTC):`);
  for (const r of nextRuns) ctx.out.line(`  ${r.local.padEnd(26)} ${r.utc}`);
}

const runColumns = (ctx: CliContext) => [
  { header: 'RUN', value: (r: ScheduleRun) => r.id },
  { header: 'TRIGGER', value: (r: ScheduleRun) => r.trigger },
  { header: 'SCHEDULED FOR', value: (r: ScheduleRun) => r.scheduledFor },
  { header: 'STARTED', value: (r: ScheduleRun) => r.startedAt },
  { header: 'ENDED', value: (r: ScheduleRun) => r.endedAt },
  { header: 'OUTCOME', value: (r: ScheduleRun) => ctx.out.status(r.outcome) },
  { header: 'EXIT', value: (r: ScheduleRun) => r.exitCode },
  { header: 'SUMMARY', value: (r: ScheduleRun) => r.summary },
];

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('cron schedules for backups, MOP runs and deploys, run by `netstacks daemon`');

  timingOptions(schedule.command('add <name> [job...]').description('add a schedule: a time (cron or a seed form) and a job after --'))
    .addHelpText('after', JOB_HELP)
    .action(
      action(async (ctx, name: string, job: string[], opts: TimingOptions) => {
        const { addSchedule } = await import('../../scheduler/repository.js');
        const { readSettings } = await import('../../settings/index.js');
        const { validateTimezone } = await import('../../scheduler/timing.js');
        const form = await convert(opts);
        const checked = await checkedJob(job);
        const store = await ctx.store();
        const timezone = validateTimezone(opts.tz ?? (await readSettings(store.db)).timezone);
        const created = await addSchedule(store, { ...form, name, timezone, missed: opts.missed ?? 'skip', job: checked });
        if (!ctx.out.structured) ctx.out.info(`added schedule ${created.name}`);
        await printSchedule(ctx, created);
      }),
    );

  timingOptions(schedule.command('edit <name> [job...]').description('change a schedule\'s time, zone, missed-run policy or job (after --)'))
    .action(
      action(async (ctx, name: string, job: string[], opts: TimingOptions) => {
        const { updateSchedule } = await import('../../scheduler/repository.js');
        const { validateTimezone } = await import('../../scheduler/timing.js');
        const timed = [opts.cron, opts.once, opts.daily, opts.weekly, opts.monthly].some((v) => v !== undefined);
        const updated = await updateSchedule(await ctx.store(), name, {
          ...(timed ? { form: await convert(opts) } : {}),
          ...(opts.tz ? { timezone: validateTimezone(opts.tz) } : {}),
          ...(opts.missed ? { missed: opts.missed } : {}),
          ...(job.length > 0 ? { job: await checkedJob(job) } : {}),
        });
        if (!ctx.out.structured) ctx.out.info(`updated schedule ${updated.name}`);
        await printSchedule(ctx, updated);
      }),
    );

  schedule
    .command('list')
    .alias('ls')
    .description('list schedules with their next run and last outcome')
    .action(
      action(async (ctx) => {
        const { listSchedules, lastRuns } = await import('../../scheduler/repository.js');
        const { scheduleTiming, formatInZone } = await import('../../scheduler/timing.js');
        const { formatJob } = await import('../../scheduler/jobs.js');
        const store = await ctx.store();
        const [schedules, last] = [await listSchedules(store.db), await lastRuns(store.db)];
        const now = new Date();
        const rows = schedules.map((s) => {
          const next = s.enabled ? scheduleTiming(s).nextRun(now) : undefined;
          const run = last.get(s.name);
          return { ...s, nextRun: next?.toISOString() ?? null, nextLocal: next ? formatInZone(next, s.timezone) : '', lastRun: run ? { id: run.id, startedAt: run.startedAt, outcome: run.outcome } : null };
        });
        ctx.out.list(
          rows,
          [
            { header: 'NAME', value: (r) => r.name },
            { header: 'WHEN', value: (r) => r.form },
            { header: 'ZONE', value: (r) => r.timezone },
            { header: 'JOB', value: (r) => formatJob(r.job) },
            { header: 'ENABLED', value: (r) => ctx.out.status(r.enabled ? 'enabled' : 'disabled') },
            { header: 'NEXT RUN', value: (r) => r.nextLocal },
            { header: 'LAST', value: (r) => (r.lastRun ? `${r.lastRun.outcome} ${r.lastRun.startedAt}` : '') },
          ],
          ({ nextLocal: _nextLocal, ...r }) => r,
        );
      }),
    );

  schedule
    .command('show <name>')
    .description('show a schedule and its next 5 runs, in its time zone and in UTC')
    .action(
      action(async (ctx, name: string) => {
        const { getSchedule, lastRuns } = await import('../../scheduler/repository.js');
        const store = await ctx.store();
        const found = await getSchedule(store.db, name);
        const last = (await lastRuns(store.db)).get(name);
        await printSchedule(ctx, found, last ? { 'last run': `${last.outcome} at ${last.startedAt}${last.summary ? ` (${last.summary})` : ''}` } : {});
      }),
    );

  schedule
    .command('rm <name>')
    .alias('remove')
    .description('remove a schedule (its run history stays)')
    .action(
      action(async (ctx, name: string) => {
        const { removeSchedule } = await import('../../scheduler/repository.js');
        const removed = await removeSchedule(await ctx.store(), name);
        if (ctx.out.structured) ctx.out.data({ removed: removed.name });
        else ctx.out.line(`removed schedule ${removed.name}`);
      }),
    );

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    schedule
      .command(`${verb} <name>`)
      .description(`${verb} a schedule; a running daemon picks it up within seconds`)
      .action(
        action(async (ctx, name: string) => {
          const { setScheduleEnabled } = await import('../../scheduler/repository.js');
          const updated = await setScheduleEnabled(await ctx.store(), name, enabled);
          if (ctx.out.structured) ctx.out.data(updated);
          else ctx.out.line(`${verb}d schedule ${updated.name}`);
        }),
      );
  }

  schedule
    .command('history <name>')
    .description('runs of a schedule, newest first: start, end, outcome, exit code, summary')
    .option('-n, --limit <n>', 'how many runs', (v) => Number.parseInt(v, 10), 20)
    .action(
      action(async (ctx, name: string, opts: { limit: number }) => {
        const { scheduleHistory, getSchedule } = await import('../../scheduler/repository.js');
        const store = await ctx.store();
        const runs = await scheduleHistory(store.db, name, opts.limit);
        if (runs.length === 0) await getSchedule(store.db, name); // unknown name → not found with a suggestion
        ctx.out.list(runs, runColumns(ctx));
      }),
    );
}
