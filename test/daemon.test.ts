import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BIN, runCli, runJson, tempHome } from './helpers/cli.js';
import { alive, killedAfterAll } from './helpers/processes.js';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';

/**
 * The daemon as a real process. Test mode (NETSTACKS_SCHEDULER_SECONDS=1) gives cron a seconds
 * field and the test-only job `daemon test-job`, which sleeps, writes to the store like a backup
 * and prints a backup-like JSON summary.
 */
const TEST_ENV = { NETSTACKS_SCHEDULER_SECONDS: '1' };

interface LogEvent {
  time: string;
  level: string;
  event: string;
  [key: string]: unknown;
}

class DaemonProcess {
  readonly events: LogEvent[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];

  constructor(home: string, args: string[] = []) {
    // the built-in daily prune only where a test asks for it, so no test meets it at 04:15
    const prune = args.includes('--prune-cron') ? [] : ['--prune-cron', 'off'];
    this.child = spawn(process.execPath, [BIN, 'daemon', '--log-format', 'json', ...prune, ...args], {
      env: { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NO_COLOR: '1', ...TEST_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.events.push(JSON.parse(line) as LogEvent);
      }
      this.waiters.forEach((w) => w());
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first event (after `from`) matching, or fails after timeoutMs. */
  waitFor(match: (e: LogEvent) => boolean, timeoutMs = 10_000, from = 0): Promise<LogEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(match);
        if (found) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting; events: ${this.events.map((e) => e.event).join(', ')}\nstderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

const cli = (home: string, args: string[]) => runCli(args, { home, env: TEST_ENV });
const cliJson = <T>(home: string, args: string[]) => runJson<T>(args, { home, env: TEST_ENV });

interface Run {
  id: number;
  trigger: string;
  outcome: string;
  exitCode: number | null;
  summary: string | null;
  pid: number | null;
}

const orphans = killedAfterAll();

// real processes on a shared 2-core machine: generous per-test timeouts, the tests themselves take ~5-15 s
describe('daemon', { timeout: 60_000 }, () => {
  const cleanups: Array<() => void> = [];
  const daemons: DaemonProcess[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) {
      d.kill('SIGKILL');
      await d.exited;
    }
    cleanups.splice(0).forEach((c) => c());
  });
  const home = () => {
    const h = tempHome('netstacks-daemon-');
    cleanups.push(h.cleanup);
    return h.home;
  };
  const start = (h: string, args: string[] = []) => {
    const d = new DaemonProcess(h, args);
    daemons.push(d);
    return d;
  };

  it('fires a per-second schedule, skips overlap, serves metrics and status, refuses a second daemon, lets the CLI write meanwhile, and on SIGTERM aborts the job after the grace and exits 0', async () => {
    const h = home();
    const add = await cli(h, ['schedule', 'add', 'tick', '--cron', '*/2 * * * * *', '--', 'daemon', 'test-job', '--seconds', '2.5', '--writes']);
    expect(add.code, add.stderr).toBe(0);
    const d = start(h, ['--grace', '1', '--metrics', '127.0.0.1:0']);
    const listen = await d.waitFor((e) => e.event === 'metrics.listen');
    expect(String(listen.address)).toMatch(/^127\.0\.0\.1:\d+$/);
    const first = await d.waitFor((e) => e.event === 'job.start' && e.schedule === 'tick');
    expect(first.trigger).toBe('scheduled');

    // a second daemon on the same home is refused, naming the first
    const second = await cli(h, ['daemon']);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`pid ${d.pid}`);
    expect(second.stderr).toMatch(/another daemon already runs on this home/);

    // CLI writes while the job writes to the store: no "database is locked"
    const adds = await Promise.all([1, 2, 3, 4].map((i) => cli(h, ['device', 'add', `r${i}`, '--host', `127.0.0.${i}`])));
    for (const r of adds) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/locked|busy/i);
    }

    // the job takes 2.5 s and the schedule fires every 2 s: the next time is skipped, not run twice
    const skipped = await d.waitFor((e) => e.event === 'job.skipped');
    expect(skipped).toMatchObject({ schedule: 'tick', reason: 'overlap', running_run: first.run });
    const end = await d.waitFor((e) => e.event === 'job.end' && e.run === first.run);
    expect(end).toMatchObject({ outcome: 'ok', exit_code: 0, summary: 'devices 3: 2 ok, 1 failed, 0 skipped, 1 changed' });

    const status = await cliJson<{ running: boolean; pid: number; uptimeSeconds: number; schedules: { name: string; nextRun: string; lastRun: { outcome: string } | null }[] }>(h, ['daemon', 'status']);
    expect(status.code).toBe(0);
    expect(status.data).toMatchObject({ running: true, pid: d.pid });
    expect(status.data.schedules[0]!.name).toBe('tick');
    expect(Date.parse(status.data.schedules[0]!.nextRun)).toBeGreaterThan(Date.now() - 2000);

    const metrics = await (await fetch(`http://${String(listen.address)}/metrics`)).text();
    expect(metrics).toContain('netstacks_schedule_runs_total{schedule="tick",outcome="ok"} 1');
    expect(metrics).toContain('netstacks_schedule_runs_total{schedule="tick",outcome="skipped"}');
    expect(metrics).toContain('netstacks_backup_devices_total{schedule="tick",status="ok"} 2');
    expect(metrics).toContain('netstacks_backup_devices_total{schedule="tick",status="failed"} 1');
    expect(metrics).toContain('netstacks_backup_devices_changed_total{schedule="tick"} 1');
    expect(metrics).toMatch(/netstacks_schedule_last_success_timestamp_seconds\{schedule="tick"\} \d{10}/);
    expect(metrics).toMatch(/netstacks_schedule_run_duration_seconds_count\{schedule="tick"\} 1/);

    // SIGTERM mid-job: no new jobs, the running one gets 1 s grace, is killed, marked, exit 0
    const from = d.events.length;
    const running = await d.waitFor((e) => e.event === 'job.start', 10_000, from);
    d.kill('SIGTERM');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(d.events.slice(from).map((e) => e.event)).toEqual(expect.arrayContaining(['daemon.stopping', 'job.abort', 'job.end', 'daemon.stop']));
    const history = await cliJson<Run[]>(h, ['schedule', 'history', 'tick']);
    const aborted = history.data.find((r) => r.id === running.run)!;
    expect(aborted.outcome).toBe('aborted');
    expect(aborted.summary).toMatch(/aborted at shutdown after the grace period/);
    expect(history.data.some((r) => r.outcome === 'skipped' && /still running/.test(r.summary ?? ''))).toBe(true);
    expect(history.data.some((r) => r.outcome === 'ok' && r.exitCode === 0)).toBe(true);
    const after = await cliJson<{ running: boolean }>(h, ['daemon', 'status']);
    expect(after.code).toBe(3);
    expect(after.data.running).toBe(false);
  });

  it('picks up schedule edits live, survives a crashing job, and reloads on SIGHUP', async () => {
    const h = home();
    const d = start(h);
    await d.waitFor((e) => e.event === 'schedules.loaded');
    const added = await Promise.all([
      cli(h, ['schedule', 'add', 'crash', '--cron', '* * * * * *', '--', 'daemon', 'test-job', '--crash']),
      cli(h, ['schedule', 'add', 'live', '--cron', '* * * * * *', '--', 'daemon', 'test-job', '--exit', '3']),
    ]);
    expect(added.map((r) => r.code)).toEqual([0, 0]);
    // a crashing job is recorded as failed and the daemon carries on
    const crashed = await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'crash', 5000);
    expect(crashed).toMatchObject({ outcome: 'failed', exit_code: 1 });
    expect(String(crashed.summary)).toMatch(/test job crashed on purpose|debug/);
    await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'live' && e.exit_code === 3, 5000);

    // a disable and an edit of the job are picked up: the next live run uses the new exit code
    const edits = await Promise.all([cli(h, ['schedule', 'disable', 'crash']), cli(h, ['schedule', 'edit', 'live', '--', 'daemon', 'test-job', '--exit', '0'])]);
    expect(edits.map((r) => r.code)).toEqual([0, 0]);
    const from = d.events.length;
    await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'live' && e.outcome === 'ok', 5000, from);
    const loaded = d.events.filter((e) => e.event === 'schedules.loaded' && e.reason === 'poll').map((e) => String(e.changed ?? ''));
    expect(loaded.join(',')).toContain('crash');
    const crashStarts = () => d.events.filter((e) => e.event === 'job.start' && e.schedule === 'crash').length;
    const crashesSoFar = crashStarts();
    const mark = d.events.length;
    expect((await cli(h, ['schedule', 'rm', 'live'])).code).toBe(0);
    await d.waitFor((e) => e.event === 'schedules.loaded' && e.removed === 'live', 4000, mark);
    d.kill('SIGHUP');
    await d.waitFor((e) => e.event === 'schedules.loaded' && e.reason === 'SIGHUP', 4000);
    const settled = d.events.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(d.events.slice(settled).filter((e) => e.event === 'job.start')).toEqual([]);
    expect(crashStarts()).toBe(crashesSoFar);
    d.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });

  it('runs a missed run once at start (policy run-once) and records the skipped ones (policy skip)', async () => {
    const h = home();
    for (const [name, policy] of [['once', 'run-once'], ['skip', 'skip']]) {
      const r = await cli(h, ['schedule', 'add', name!, '--daily', '02:00', '--tz', 'UTC', '--missed', policy!, '--', 'daemon', 'test-job']);
      expect(r.code, r.stderr).toBe(0);
    }
    // the daemon was down for three days
    const db = new BetterSqlite3(join(h, 'netstacks.db'));
    db.prepare('update schedules set updated_at = ?').run(new Date(Date.now() - 3 * 86_400_000).toISOString());
    db.close();
    const d = start(h, ['--prune-cron', '*/2 * * * * *', '--grace', '2']);
    const missedOnce = await d.waitFor((e) => e.event === 'schedule.missed' && e.schedule === 'once');
    expect(missedOnce).toMatchObject({ policy: 'run-once' });
    expect(Number(missedOnce.missed)).toBeGreaterThanOrEqual(3);
    await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'once');
    expect(d.events.filter((e) => e.event === 'job.start' && e.schedule !== '@backup-prune').map((e) => [e.schedule, e.trigger])).toEqual([['once', 'missed']]);
    // the daemon's own daily prune (here every 2 s) runs `backup prune` like any job
    const prune = await d.waitFor((e) => e.event === 'job.end' && e.schedule === '@backup-prune', 6000);
    expect(prune).toMatchObject({ outcome: 'ok', exit_code: 0 });
    const pruneHistory = await cliJson<Run[]>(h, ['schedule', 'history', '@backup-prune']);
    expect(pruneHistory.data.find((r) => r.id === prune.run)).toMatchObject({ outcome: 'ok', job: ['backup', 'prune'] });
    const once = await cliJson<Run[]>(h, ['schedule', 'history', 'once']);
    expect(once.data.map((r) => [r.trigger, r.outcome])).toEqual([['missed', 'ok']]);
    const skip = await cliJson<Run[]>(h, ['schedule', 'history', 'skip']);
    expect(skip.data).toHaveLength(1);
    expect(skip.data[0]).toMatchObject({ trigger: 'missed', outcome: 'skipped' });
    expect(skip.data[0]!.summary).toMatch(/missed \d+ run\(s\).*policy skip/);
    d.kill('SIGTERM');
    const exited = await d.exited;
    expect(exited.code, JSON.stringify(d.events.slice(-6))).toBe(0);
  });

  it('after kill -9 mid-job: the store is intact, the run is marked interrupted by the next command, and a new daemon takes the lock over', async () => {
    const h = home();
    expect((await cli(h, ['schedule', 'add', 'long', '--cron', '* * * * * *', '--', 'daemon', 'test-job', '--seconds', '30', '--writes'])).code).toBe(0);
    const d = start(h);
    const started = await d.waitFor((e) => e.event === 'job.start');
    orphans.push(Number(started.pid));
    await new Promise((r) => setTimeout(r, 300));
    // a live daemon's run is never marked interrupted
    const live = await cliJson<Run[]>(h, ['schedule', 'history', 'long']);
    expect(live.data.find((r) => r.id === started.run)).toMatchObject({ outcome: 'running' });
    d.kill('SIGKILL');
    await d.exited;
    // the job dies with the daemon (setpriv --pdeathsig on Linux) instead of running on unsupervised
    if (existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv')) {
      const deadline = Date.now() + 5000;
      while (alive(Number(started.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(Number(started.pid))).toBe(false);
    }

    const db = new BetterSqlite3(join(h, 'netstacks.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const history = await cliJson<Run[]>(h, ['schedule', 'history', 'long']);
    const interrupted = history.data.find((r) => r.id === started.run)!;
    expect(interrupted.outcome).toBe('interrupted');
    expect(interrupted.summary).toMatch(/daemon .* was killed/);
    expect(history.data.filter((r) => r.outcome === 'running')).toEqual([]);

    const next = start(h, ['--grace', '0.5']);
    const takeover = await next.waitFor((e) => e.event === 'daemon.lock_taken_over');
    expect(String(takeover.note)).toContain(`pid ${d.pid}`);
    const job = await next.waitFor((e) => e.event === 'job.start');
    orphans.push(Number(job.pid));
    next.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });

  it('runs a scheduled backup run against the lab as a child process and exports its device counts', async () => {
    const h = home();
    const lab = await startLab({ devices: 3, platforms: ['cisco_ios', 'arista_eos'], port: 0, firstAddress: '127.0.153.1', controlSocket: false, quirks: false, seed: 3 });
    try {
      const cred = await runCli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], { home: h, input: `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n` });
      expect(cred.code, cred.stderr).toBe(0);
      const adds = await Promise.all(
        lab.devices.map((dev) => cli(h, ['device', 'add', dev.name, '--host', dev.host, '--port', String(lab.port), '--platform', dev.platform, '--credential', 'lab', '--site', 'lon'])),
      );
      for (const r of adds) expect(r.code, r.stderr).toBe(0);
      expect((await cli(h, ['schedule', 'add', 'nightly', '--cron', '*/2 * * * * *', '--', 'backup', 'run', '--on', 'site:lon'])).code).toBe(0);
      const d = start(h, ['--metrics', '127.0.0.1:0', '--grace', '5']);
      const listen = await d.waitFor((e) => e.event === 'metrics.listen');
      const end = await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'nightly', 20_000);
      expect(end).toMatchObject({ outcome: 'ok', exit_code: 0 });
      expect(String(end.summary)).toMatch(/^devices 3: 3 ok, 0 failed, 0 skipped, \d+ changed$/);
      const metrics = await (await fetch(`http://${String(listen.address)}/metrics`)).text();
      expect(metrics).toContain('netstacks_backup_devices_total{schedule="nightly",status="ok"} 3');
      expect(metrics).toContain('netstacks_backup_last_run_devices{schedule="nightly",status="failed"} 0');
      d.kill('SIGTERM');
      expect((await d.exited).code).toBe(0);
      const backups = await cliJson<{ device: string; type: string; status: string }[]>(h, ['backup', 'list']);
      expect(backups.data.filter((b) => b.status === 'ok').map((b) => b.type)).toEqual(expect.arrayContaining(['scheduled']));
      expect(new Set(backups.data.map((b) => b.type))).toEqual(new Set(['scheduled']));
    } finally {
      await lab.stop();
    }
  });

  it('prints a systemd unit for this install that uses the vault with a master key file', async () => {
    const h = home();
    const r = await cli(h, ['daemon', '--print-systemd-unit', '--metrics', '127.0.0.1:9464']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ExecStart=${process.execPath} ${BIN} daemon --home ${h}`);
    expect(r.stdout).toContain('--metrics 127.0.0.1:9464');
    expect(r.stdout).toMatch(/^Restart=on-failure$/m);
    expect(r.stdout).toMatch(/^NoNewPrivileges=yes$/m);
    expect(r.stdout).toMatch(/^ProtectSystem=strict$/m);
    expect(r.stdout).toContain(`ReadWritePaths=${h}`);
    expect(r.stdout).toContain('Environment=NETSTACKS_SECRETS_BACKEND=vault');
    expect(r.stdout).toMatch(/no desktop keychain/);
    expect(r.stdout).toContain(`${h}/master.key`);
    // systemd's own checker, where there is one
    if (existsSync('/usr/bin/systemd-analyze')) {
      const unit = join(h, 'netstacks.service');
      writeFileSync(unit, r.stdout);
      const verify = spawnSync('/usr/bin/systemd-analyze', ['verify', unit], { encoding: 'utf8', timeout: 20_000 });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stderr.split('\n').filter((l) => l.includes('netstacks.service'))).toEqual([]);
    }
  });

  it('accepts mop run, deploy and stack validate jobs (files kept absolute), refuses a deploy without --yes, and runs a scheduled MOP', async () => {
    const h = home();
    const project = join(h, 'project');
    mkdirSync(join(project, 'mops'), { recursive: true });
    mkdirSync(join(project, 'stacks'), { recursive: true });
    writeFileSync(join(project, 'mops/hello.yaml'), 'name: hello\nsteps:\n  - { id: hi, type: log, run_once: true, message: scheduled hello }\n');
    writeFileSync(join(project, 'stacks/x.yaml'), 'name: x\nservices:\n  - { name: ntp, template: cisco_ios/ntp, targets: [r1] }\n');
    const inProject = (args: string[]) => runCli(args, { home: h, env: TEST_ENV, cwd: project });

    const deploy = await inProject(['schedule', 'add', 'nightly-deploy', '--cron', '0 2 * * *', '--', 'deploy', 'stacks/x.yaml', '--vars', 'vars.yaml', '--yes']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const shown = await cliJson<{ job: string[] }>(h, ['schedule', 'show', 'nightly-deploy']);
    expect(shown.data.job).toEqual(['deploy', join(project, 'stacks/x.yaml'), '--vars', join(project, 'vars.yaml'), '--yes']);
    const unconfirmed = await inProject(['schedule', 'add', 'bad', '--cron', '0 2 * * *', '--', 'deploy', 'stacks/x.yaml']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/a scheduled deploy runs without a terminal/);
    expect(unconfirmed.stderr).toMatch(/add --yes/);
    const validate = await inProject(['schedule', 'add', 'drift', '--cron', '0 * * * *', '--', 'stack', 'validate', 'stacks/x.yaml']);
    expect(validate.code, validate.stderr).toBe(0);

    const mop = await inProject(['schedule', 'add', 'hello', '--cron', '* * * * * *', '--', 'mop', 'run', 'mops/hello.yaml', '--yes']);
    expect(mop.code, mop.stderr).toBe(0);
    // the daemon runs from another folder: the stored absolute path still finds the MOP
    const d = start(h);
    const end = await d.waitFor((e) => e.event === 'job.end' && e.schedule === 'hello', 20_000);
    expect(end, JSON.stringify(d.events)).toMatchObject({ outcome: 'ok', exit_code: 0 });
    const history = await cli(h, ['mop', 'history', 'hello', '--json']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('hello');
  });
});
