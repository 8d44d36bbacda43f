import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConflictError } from '../core/errors.js';
import { acquireLock, type LockHandle } from '../locks/index.js';
import { currentProcess } from '../locks/process.js';
import type { Store } from '../store/store.js';
import type { EventLog } from './events.js';
import { summarizeJob, type JobSummary } from './job-summary.js';
import { formatJob, jobArgs } from './jobs.js';
import type { DaemonMetrics } from './metrics.js';
import { Planner } from './planner.js';
import { markInterruptedRuns } from './recovery.js';
import { lastRuns, listSchedules, schedulesVersion, type RunOutcome, type RunTrigger, type Schedule } from './repository.js';
import { scheduleTiming, systemClock, type Clock } from './timing.js';

export interface DaemonOptions {
  store: Store;
  home: string;
  log: EventLog;
  /** the netstacks entry script jobs are run with (process.execPath + this) */
  bin: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** how long a running job may finish after SIGTERM before it is killed */
  graceMs: number;
  metrics?: DaemonMetrics;
  /** how often the schedules' version is checked for edits from other processes */
  pollMs?: number;
  heartbeatMs?: number;
  /** built-in jobs that are not in the store, e.g. the daily `backup prune` (id 0, name starting with @) */
  maintenance?: Schedule[];
}

/** The daily prune the daemon runs on its own (`--prune-cron`, default 04:15 in the timezone setting). */
export function pruneSchedule(cron: string, timezone: string, now = new Date()): Schedule {
  const at = now.toISOString();
  return { id: 0, name: '@backup-prune', kind: 'cron', spec: cron, form: `--prune-cron "${cron}"`, timezone, missed: 'skip', job: ['backup', 'prune'], enabled: true, createdAt: at, updatedAt: at };
}

interface RunningJob {
  runId: number;
  schedule: string;
  child: ChildProcess;
  startedAt: Date;
  done: Promise<void>;
  aborted: boolean;
}

const STDOUT_CAP = 4 * 1024 * 1024;
const STDERR_CAP = 64 * 1024;
const KILL_AFTER_TERM_MS = 3000;

/**
 * The scheduler daemon: holds the home's `daemon` lock, fires due schedules as child processes of
 * the same CLI (a crashing job never takes it down), records every run, picks up schedule edits by
 * polling, and on stop lets running jobs finish within a grace period.
 */
export class SchedulerDaemon {
  private readonly planner: Planner;
  private readonly clock: Clock;
  private readonly running = new Map<string, RunningJob>();
  private lock?: LockHandle;
  private version = '';
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopping = false;
  private stopped?: Promise<void>;
  private lastPoll = 0;
  private stoppedAt?: string;
  private readonly startedAt: Date;
  private readonly me = currentProcess();

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? systemClock;
    this.planner = new Planner(options.env ?? process.env);
    this.startedAt = this.clock.now();
  }

  private get log(): EventLog {
    return this.options.log;
  }

  /** Takes the lock (a live daemon → ConflictError naming it), recovers, plans missed runs, starts the loop. */
  async start(): Promise<void> {
    const { store } = this.options;
    try {
      this.lock = await acquireLock(store, 'daemon', {
        purpose: `netstacks daemon (${this.options.home})`,
        onTakeover: (note) => this.log.event('warn', 'daemon.lock_taken_over', { note }),
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      throw new ConflictError(`another daemon already runs on this home: ${error.message.replace(/^daemon is locked by /, '')}`, 'stop it first (SIGTERM), or check it with `netstacks daemon status`');
    }
    const interrupted = await markInterruptedRuns(store);
    if (interrupted > 0) this.log.event('warn', 'runs.interrupted', { count: interrupted, note: 'runs left by a killed daemon were marked interrupted' });
    await this.writeState();
    this.log.event('info', 'daemon.start', { pid: process.pid, home: this.options.home, host: hostname() });

    const now = this.clock.now();
    await this.reload('start');
    const last = await lastRuns(store.db);
    for (const [name, run] of last) {
      if (run.outcome === 'ok') this.options.metrics?.setLastSuccess(name, new Date(run.endedAt ?? run.startedAt));
    }
    const lastRunFor = new Map([...last].map(([name, run]) => [name, new Date(run.scheduledFor)]));
    for (const missed of this.planner.missed(lastRunFor, now)) {
      const { schedule, count, latest } = missed;
      if (schedule.missed === 'run-once') {
        this.log.event('info', 'schedule.missed', { schedule: schedule.name, missed: count, policy: 'run-once', action: 'running once now' });
        await this.startJob(schedule, latest, 'missed');
      } else {
        this.log.event('info', 'schedule.missed', { schedule: schedule.name, missed: count, policy: 'skip' });
        await this.recordSkip(schedule, latest, 'missed', `missed ${count >= 1000 ? '1000 or more' : count} run(s) while no daemon ran (policy skip)`);
      }
    }
    this.heartbeat = setInterval(() => void this.writeState().catch((e: Error) => this.log.event('warn', 'heartbeat.failed', { error: e.message })), this.options.heartbeatMs ?? 2000);
    this.heartbeat.unref();
    this.schedule();
  }

  /** Re-reads the schedules (SIGHUP, or a changed version seen by the poll). */
  async reload(reason: string): Promise<void> {
    const { db } = this.options.store;
    this.version = await schedulesVersion(db);
    const schedules = await listSchedules(db);
    const valid: Schedule[] = [];
    for (const s of schedules) {
      try {
        // a schedule that no longer parses (e.g. a seconds field outside test mode) is reported, not fatal
        scheduleTiming(s, this.options.env ?? process.env);
        valid.push(s);
      } catch (error) {
        this.log.event('error', 'schedule.invalid', { schedule: s.name, error: (error as Error).message });
      }
    }
    const changes = this.planner.sync([...valid, ...(this.options.maintenance ?? [])], this.clock.now());
    const changed = changes.added.length + changes.changed.length + changes.removed.length;
    if (changed > 0 || reason !== 'poll') {
      this.log.event('info', 'schedules.loaded', {
        reason,
        schedules: valid.length,
        enabled: valid.filter((s) => s.enabled).length,
        added: changes.added.join(',') || undefined,
        changed: changes.changed.join(',') || undefined,
        removed: changes.removed.join(',') || undefined,
      });
      for (const s of valid.filter((v) => changes.added.includes(v.name) || changes.changed.includes(v.name))) {
        const next = this.planner.nextRun(s.name);
        this.log.event('info', 'schedule.next', { schedule: s.name, enabled: s.enabled, next: next?.toISOString() ?? null });
      }
    }
  }

  private schedule(): void {
    if (this.stopping) return;
    const pollMs = this.options.pollMs ?? 1000;
    const earliest = this.planner.earliest();
    const untilDue = earliest ? earliest.getTime() - this.clock.now().getTime() : pollMs;
    const wait = Math.max(10, Math.min(pollMs, untilDue));
    this.timer = setTimeout(() => void this.tick(), wait);
  }

  private async tick(): Promise<void> {
    try {
      const pollMs = this.options.pollMs ?? 1000;
      if (Date.now() - this.lastPoll >= pollMs) {
        this.lastPoll = Date.now();
        if ((await schedulesVersion(this.options.store.db)) !== this.version) await this.reload('poll');
      }
      for (const { schedule, scheduledFor } of this.planner.due(this.clock.now())) {
        if (this.stopping) break;
        const busy = this.running.get(schedule.name);
        if (busy) {
          this.log.event('warn', 'job.skipped', { schedule: schedule.name, reason: 'overlap', running_run: busy.runId, scheduled_for: scheduledFor.toISOString() });
          await this.recordSkip(schedule, scheduledFor, 'scheduled', `skipped: run ${busy.runId} was still running`);
          continue;
        }
        await this.startJob(schedule, scheduledFor, 'scheduled');
      }
    } catch (error) {
      this.log.event('error', 'daemon.tick_failed', { error: (error as Error).message });
    } finally {
      this.schedule();
    }
  }

  /** A schedule_runs row's columns that say which run it is and which daemon ran it. */
  private runColumns(schedule: Schedule, scheduledFor: Date, trigger: RunTrigger) {
    return {
      schedule_id: schedule.id > 0 ? schedule.id : null,
      schedule_name: schedule.name,
      trigger,
      scheduled_for: scheduledFor.toISOString(),
      job: JSON.stringify(schedule.job),
      daemon_pid: this.me.pid,
      daemon_hostname: this.me.hostname,
      daemon_process_start: this.me.processStart,
    };
  }

  private async recordSkip(schedule: Schedule, scheduledFor: Date, trigger: RunTrigger, summary: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.options.store.write((tx) =>
      tx
        .insertInto('schedule_runs')
        .values({ ...this.runColumns(schedule, scheduledFor, trigger), started_at: at, ended_at: at, outcome: 'skipped', summary })
        .execute(),
    );
    this.options.metrics?.runEnded(schedule.name, 'skipped', undefined, undefined, new Date(at));
  }

  private async startJob(schedule: Schedule, scheduledFor: Date, trigger: RunTrigger): Promise<void> {
    const { store, home } = this.options;
    const startedAt = this.clock.now();
    const { id: runId } = await store.write((tx) =>
      tx
        .insertInto('schedule_runs')
        .values({ ...this.runColumns(schedule, scheduledFor, trigger), started_at: startedAt.toISOString(), outcome: 'running' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const env = {
      ...(this.options.env ?? process.env),
      NETSTACKS_HOME: home,
      NETSTACKS_SCHEDULE: schedule.name,
      NETSTACKS_SCHEDULE_RUN_ID: String(runId),
      NO_COLOR: '1',
    };
    const command = [this.options.execPath ?? process.execPath, this.options.bin, ...jobArgs(schedule.job)];
    const wrapped = [...deathSignalWrapper(), ...command];
    const child = spawn(wrapped[0]!, wrapped.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < STDOUT_CAP) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-STDERR_CAP);
    });
    this.options.metrics?.jobStarted();
    const job: RunningJob = { runId, schedule: schedule.name, child, startedAt, aborted: false, done: Promise.resolve() };
    job.done = new Promise<void>((resolve) => {
      let settled = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (settled) return;
        settled = true;
        const summary = spawnError ? { text: `could not start the job: ${spawnError.message}` } : summarizeJob(stdout, stderr, code);
        const outcome: RunOutcome = job.aborted ? 'aborted' : code === 0 ? 'ok' : 'failed';
        this.finishRun(job, schedule, outcome, code, signal, summary).finally(resolve);
      };
      child.once('error', (error) => finish(null, null, error));
      child.once('close', (code, signal) => finish(code, signal));
    });
    this.running.set(schedule.name, job);
    await store.write((tx) => tx.updateTable('schedule_runs').set({ child_pid: child.pid ?? null }).where('id', '=', runId).execute());
    this.log.event('info', 'job.start', { schedule: schedule.name, run: runId, trigger, pid: child.pid, scheduled_for: scheduledFor.toISOString(), job: formatJob(schedule.job) });
    await this.writeState();
  }

  private async finishRun(job: RunningJob, schedule: Schedule, outcome: RunOutcome, code: number | null, signal: NodeJS.Signals | null, summary: JobSummary): Promise<void> {
    const endedAt = this.clock.now();
    const seconds = (endedAt.getTime() - job.startedAt.getTime()) / 1000;
    const text = outcome === 'aborted' ? `aborted at shutdown after the grace period (${signal ?? `exit ${code}`}); ${summary.text}` : signal ? `killed by ${signal}; ${summary.text}` : summary.text;
    try {
      await this.options.store.write((tx) =>
        tx
          .updateTable('schedule_runs')
          .set({ outcome, exit_code: code, ended_at: endedAt.toISOString(), summary: text.slice(0, 2000) })
          .where('id', '=', job.runId)
          .execute(),
      );
    } catch (error) {
      this.log.event('error', 'run.record_failed', { run: job.runId, error: (error as Error).message });
    }
    this.running.delete(schedule.name);
    this.options.metrics?.runEnded(schedule.name, outcome, seconds, summary, endedAt);
    this.log.event(outcome === 'ok' ? 'info' : 'warn', 'job.end', {
      schedule: schedule.name,
      run: job.runId,
      outcome,
      exit_code: code,
      signal: signal ?? undefined,
      seconds: Math.round(seconds * 1000) / 1000,
      summary: text.slice(0, 300),
    });
    await this.writeState().catch(() => undefined);
  }

  private async writeState(): Promise<void> {
    const now = this.clock.now().toISOString();
    const running = JSON.stringify(
      [...this.running.values()].map((j) => ({ schedule: j.schedule, runId: j.runId, pid: j.child.pid ?? null, startedAt: j.startedAt.toISOString() })),
    );
    const row = {
      id: 1,
      pid: this.me.pid,
      hostname: this.me.hostname,
      process_start: this.me.processStart,
      started_at: this.startedAt.toISOString(),
      heartbeat_at: now,
      stopped_at: this.stoppedAt ?? null,
      running,
    };
    await this.options.store.write((tx) =>
      tx
        .insertInto('daemon_state')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute(),
    );
  }

  /**
   * Stops starting jobs, waits for running ones up to the grace period, then terminates them
   * (SIGTERM, then SIGKILL) and records them as aborted. Releases the lock.
   */
  stop(reason: string): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.timer) clearTimeout(this.timer);
      const jobs = [...this.running.values()];
      this.log.event('info', 'daemon.stopping', { reason, running: jobs.length, grace_seconds: this.options.graceMs / 1000 });
      if (jobs.length > 0) {
        const all = Promise.all(jobs.map((j) => j.done));
        const graceOver = await Promise.race([all.then(() => false), sleep(this.options.graceMs).then(() => true)]);
        if (graceOver) {
          for (const job of this.running.values()) {
            job.aborted = true;
            this.log.event('warn', 'job.abort', { schedule: job.schedule, run: job.runId, pid: job.child.pid, reason: 'grace period over' });
            job.child.kill('SIGTERM');
            setTimeout(() => job.child.kill('SIGKILL'), KILL_AFTER_TERM_MS).unref();
          }
          await all;
        }
      }
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.stoppedAt = this.clock.now().toISOString();
      await this.writeState().catch(() => undefined);
      await this.options.metrics?.close();
      await this.lock?.release();
      this.log.event('info', 'daemon.stop', { reason });
    })();
    return this.stopped;
  }

  runningJobs(): { schedule: string; runId: number; pid: number | undefined }[] {
    return [...this.running.values()].map((j) => ({ schedule: j.schedule, runId: j.runId, pid: j.child.pid }));
  }
}

let wrapper: string[] | undefined;
/**
 * On Linux, jobs run under `setpriv --pdeathsig TERM` (util-linux), so a job gets SIGTERM when the
 * daemon dies, even by kill -9, instead of running on unsupervised. setpriv execs the job in place
 * (same pid). Elsewhere, or without setpriv, jobs are started directly.
 */
function deathSignalWrapper(): string[] {
  if (wrapper) return wrapper;
  wrapper = [];
  if (process.platform === 'linux') {
    for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
      if (!existsSync(candidate)) continue;
      const help = spawnSync(candidate, ['--help'], { encoding: 'utf8', timeout: 2000 });
      if (help.stdout?.includes('--pdeathsig')) wrapper = [candidate, '--pdeathsig', 'TERM', '--'];
      break;
    }
  }
  return wrapper;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
