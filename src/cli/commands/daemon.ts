import type { Command } from 'commander';
import { parseNumber } from '../../core/numbers.js';
import { Option } from 'commander';
import { action } from '../context.js';

interface DaemonOptions {
  logFormat: 'text' | 'json';
  pruneCron: string;
  grace: number;
  metrics?: string;
  printSystemdUnit?: boolean;
}

/** A commander parser for an option given in seconds, through the one number parser. */
const seconds =
  (option: string) =>
  (v: string): number =>
    parseNumber(v, option, { min: 0, unit: 'seconds' }, 'option');

export function registerDaemonCommands(program: Command): void {
  const daemon = program
    .command('daemon')
    .description('run the schedules in the foreground (one daemon per home); `daemon status` from another shell')
    .addOption(new Option('--log-format <format>', 'one line per event, as text or JSON').choices(['text', 'json']).default('text'))
    .option('--grace <seconds>', 'on SIGTERM, how long a running job may finish before it is killed', seconds('--grace'), 60)
    .option('--metrics <host:port>', 'serve Prometheus metrics at http://HOST:PORT/metrics, e.g. 127.0.0.1:9464')
    .option('--prune-cron <expr>', "when to run the daily 'backup prune' (cron, in the timezone setting); 'off' to never", '15 4 * * *')
    .option('--print-systemd-unit', 'print a systemd unit for this install and home, and exit')
    .addHelpText(
      'after',
      `
Signals: SIGTERM/SIGINT stop starting jobs, let a running job finish for --grace seconds, then kill it
(recorded as aborted) and exit 0. SIGHUP reloads the schedules (edits are also picked up within ~1 s).

Examples:
  netstacks daemon --log-format json --metrics 127.0.0.1:9464
  netstacks daemon status
  netstacks daemon --print-systemd-unit | sudo tee /etc/systemd/system/netstacks.service`,
    )
    .action(
      action(async (ctx, opts: DaemonOptions) => {
        const { realpathSync } = await import('node:fs');
        const bin = realpathSync(process.argv[1] ?? '');
        if (opts.printSystemdUnit) {
          const { systemdUnit } = await import('../../scheduler/systemd.js');
          const { currentUser } = await import('../../locks/process.js');
          process.stdout.write(
            systemdUnit({ execPath: process.execPath, bin, home: ctx.home, user: currentUser(), graceSeconds: opts.grace, metrics: opts.metrics, pruneCron: opts.pruneCron, logFormat: opts.logFormat === 'json' ? 'json' : 'text' }),
          );
          return;
        }
        const { SchedulerDaemon } = await import('../../scheduler/daemon.js');
        const { createEventLog } = await import('../../scheduler/events.js');
        const log = createEventLog(opts.logFormat);
        let metrics: import('../../scheduler/metrics.js').DaemonMetrics | undefined;
        if (opts.metrics) {
          const { DaemonMetrics, parseListenAddress } = await import('../../scheduler/metrics.js');
          parseListenAddress(opts.metrics);
          metrics = new DaemonMetrics();
        }
        const store = await ctx.store();
        const maintenance = [];
        if (opts.pruneCron !== 'off') {
          const { validateCron } = await import('../../scheduler/timing.js');
          const { readSettings } = await import('../../settings/index.js');
          const { pruneSchedule } = await import('../../scheduler/daemon.js');
          maintenance.push(pruneSchedule(validateCron(opts.pruneCron), (await readSettings(store.db)).timezone));
        }
        const d = new SchedulerDaemon({ store, home: ctx.home, log, bin, graceMs: opts.grace * 1000, metrics, maintenance });
        await d.start();
        if (metrics && opts.metrics) {
          try {
            log.event('info', 'metrics.listen', { address: await metrics.listen(opts.metrics), path: '/metrics' });
          } catch (error) {
            await d.stop('metrics failed');
            throw error;
          }
        }
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => void d.stop(signal).then(resolve);
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
          process.on('SIGHUP', () => void d.reload('SIGHUP').catch((e: Error) => log.event('error', 'reload.failed', { error: e.message })));
        });
        return 0;
      }),
    );

  daemon
    .command('status')
    .description("the daemon's pid, uptime, each schedule's last and next run, and the job running now")
    .action(
      action(async (ctx) => {
        const { daemonStatus } = await import('../../scheduler/status.js');
        const { ExitCode } = await import('../../core/errors.js');
        const status = await daemonStatus((await ctx.store()).db);
        if (ctx.out.structured) ctx.out.data(status);
        else {
          const up = status.uptimeSeconds ?? 0;
          const rows: Record<string, unknown> = {
            daemon: status.running ? ctx.out.colors.green('running') : 'not running',
            pid: status.pid,
            host: status.hostname,
            'started at': status.startedAt,
            uptime: status.running ? `${Math.floor(up / 86400)}d ${Math.floor((up % 86400) / 3600)}h ${Math.floor((up % 3600) / 60)}m ${up % 60}s` : null,
            heartbeat: status.heartbeatAt,
            'running now': status.jobs.map((j) => `${j.schedule} (run ${j.runId}, pid ${j.pid}, since ${j.startedAt})`).join('\n') || 'nothing',
            ...(status.note ? { note: status.note } : {}),
          };
          ctx.out.record(status.running ? rows : Object.fromEntries(Object.entries(rows).filter(([k]) => k === 'daemon' || k === 'note')));
          ctx.out.list(status.schedules, [
            { header: 'SCHEDULE', value: (s) => s.name },
            { header: 'ENABLED', value: (s) => ctx.out.status(s.enabled ? 'enabled' : 'disabled') },
            { header: 'LAST RUN', value: (s) => (s.lastRun ? `${s.lastRun.startedAt} ${s.lastRun.outcome}` : '') },
            { header: 'NEXT RUN (UTC)', value: (s) => s.nextRun },
          ]);
        }
        return status.running ? 0 : ExitCode.notFound;
      }),
    );

  // Test-only job kind (NETSTACKS_SCHEDULER_SECONDS=1): sleeps, writes to the store like a backup
  // would, prints a backup-like JSON summary and exits with the code asked for.
  daemon
    .command('test-job', { hidden: true })
    .option('--seconds <n>', 'how long to run', seconds('--seconds'), 0)
    .option('--exit <code>', 'exit code', (v) => Number(v), 0)
    .option('--writes', 'write to the store every 20 ms while running')
    .option('--crash', 'throw an internal error')
    .action(
      action(async (ctx, opts: { seconds: number; exit: number; writes?: boolean; crash?: boolean }) => {
        const { secondsFieldAllowed } = await import('../../scheduler/timing.js');
        const { UsageError } = await import('../../core/errors.js');
        if (!secondsFieldAllowed()) throw new UsageError('daemon test-job exists for tests only', 'set NETSTACKS_SCHEDULER_SECONDS=1');
        if (opts.crash) throw new Error('test job crashed on purpose');
        const store = await ctx.store();
        const until = Date.now() + opts.seconds * 1000;
        let writes = 0;
        while (Date.now() < until) {
          if (opts.writes) {
            const { withLock } = await import('../../locks/index.js');
            await withLock(store, `device:test-job-${process.pid}`, { purpose: 'test job' }, async () => undefined);
            writes++;
          }
          await new Promise((r) => setTimeout(r, opts.writes ? 20 : 50));
        }
        ctx.out.data({ total: 3, success: 2, failed: 1, skipped: 0, changed: 1, writes });
        return opts.exit;
      }),
    );
}
