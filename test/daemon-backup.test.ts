import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BIN, runCli, runJson, tempHome } from './helpers/cli.js';
import { alive, killedAfterAll } from './helpers/processes.js';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';

/**
 * The daemon running a real scheduled `backup run` against the lab (issue 10, "Daemon" tests):
 * CLI commands write to the store while the daemon's backup writes to it, without "database is
 * locked"; then the daemon is killed with SIGKILL in the middle of that backup: the store passes
 * `PRAGMA integrity_check`, the next command marks both the schedule run and the backup snapshot
 * interrupted (with what the snapshot stored), and the backups it stored read back.
 * Test mode (NETSTACKS_SCHEDULER_SECONDS=1) gives cron a seconds field.
 */
const TEST_ENV = { NETSTACKS_SCHEDULER_SECONDS: '1' };

interface LogEvent {
  event: string;
  [key: string]: unknown;
}

function startDaemon(home: string): { child: ChildProcess; events: LogEvent[]; stderr: () => string; waitFor: (match: (e: LogEvent) => boolean, timeoutMs: number) => Promise<LogEvent>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [BIN, 'daemon', '--log-format', 'json', '--prune-cron', 'off', '--grace', '1'], {
    env: { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NO_COLOR: '1', ...TEST_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: LogEvent[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)) as LogEvent);
      buffer = buffer.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const waitFor = async (match: (e: LogEvent) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out; events: ${events.map((e) => e.event).join(', ')}\nstderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, events, stderr: () => stderr, waitFor, exited };
}

const pids = killedAfterAll();

describe('daemon with a real backup', () => {
  it('lets CLI commands write during a scheduled backup, and after kill -9 mid-backup the store is intact and the run and snapshot are marked interrupted', async () => {
    const temp = tempHome('netstacks-daemon-backup-');
    const home = temp.home;
    const cli = (args: string[], input?: string) => runCli(args, { home, env: TEST_ENV, ...(input !== undefined ? { input } : {}), timeoutMs: 60_000 });
    // slow devices, one at a time: the backup takes several seconds
    const lab = await startLab({ devices: 6, platforms: ['cisco_ios', 'arista_eos'], port: 0, firstAddress: '127.0.159.1', controlSocket: false, quirks: false, seed: 5, faults: { 'ios-3': ['latency:1000'], 'eos-4': ['latency:1000'], 'ios-5': ['latency:1000'], 'eos-6': ['latency:1000'] } });
    try {
      const cred = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
      expect(cred.code, cred.stderr).toBe(0);
      for (const d of lab.devices) {
        const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab', '--site', 'lon']);
        expect(r.code, r.stderr).toBe(0);
      }
      expect((await cli(['settings', 'set', 'concurrency', '1'])).code).toBe(0);
      const add = await cli(['schedule', 'add', 'nightly', '--cron', '* * * * * *', '--', 'backup', 'run', '--on', 'site:lon']);
      expect(add.code, add.stderr).toBe(0);

      const daemon = startDaemon(home);
      pids.push(daemon.child.pid!);
      const started = await daemon.waitFor((e) => e.event === 'job.start' && e.schedule === 'nightly', 20_000);
      pids.push(Number(started.pid));
      // the backup has stored a first device: it is writing now
      const db = new BetterSqlite3(join(home, 'netstacks.db'), { readonly: true });
      const stored = () => Number((db.prepare("select count(*) as n from backups where status = 'ok'").get() as { n: number }).n);
      const deadline = Date.now() + 20_000;
      while (stored() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stored()).toBeGreaterThanOrEqual(1);

      // CLI writes meanwhile, several at once: none meets a locked database
      const writes = await Promise.all([
        cli(['device', 'add', 'extra-1', '--host', '127.0.159.101']),
        cli(['device', 'add', 'extra-2', '--host', '127.0.159.102']),
        cli(['settings', 'set', 'backup.keep_versions', '12']),
        cli(['schedule', 'add', 'weekly', '--weekly', 'sun 03:00', '--', 'backup', 'run']),
        cli(['group', 'add', 'core']),
      ]);
      for (const r of writes) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
      }
      // daemon status from another shell: its pid, uptime and the backup running now
      const status = await runJson<{ running: boolean; pid: number; uptimeSeconds: number; jobs: { schedule: string; runId: number; pid: number }[] }>(['daemon', 'status'], { home, env: TEST_ENV });
      expect(status.data).toMatchObject({ running: true, pid: daemon.child.pid });
      expect(status.data.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(status.data.jobs).toEqual([expect.objectContaining({ schedule: 'nightly', runId: Number(started.run), pid: Number(started.pid) })]);
      const human = await runCli(['daemon', 'status'], { home, env: TEST_ENV });
      expect(human.stdout).toMatch(new RegExp(`running now\\s+nightly \\(run ${String(started.run)}, pid ${String(started.pid)}, since `));

      const running = db.prepare("select id, status from backup_snapshots where status = 'running'").all() as { id: number }[];
      expect(running).toHaveLength(1);
      const snapshotId = running[0]!.id;
      const storedBefore = stored();
      expect(storedBefore).toBeLessThan(6);
      db.close();

      // kill -9 the daemon in the middle of the backup; its job dies with it (or is killed here,
      // where the platform cannot tie it to its parent)
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      await new Promise((r) => setTimeout(r, 300));
      if (alive(Number(started.pid))) process.kill(Number(started.pid), 'SIGKILL');

      const check = new BetterSqlite3(join(home, 'netstacks.db'));
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();

      const history = await runJson<{ id: number; outcome: string; summary: string | null }[]>(['schedule', 'history', 'nightly'], { home, env: TEST_ENV });
      const run = history.data.find((r) => r.id === Number(started.run))!;
      expect(run.outcome).toBe('interrupted');
      expect(run.summary).toMatch(/daemon .* was killed/);

      const snapshots = await runJson<{ id: number; status: string; success: number; total: number }[]>(['snapshot', 'list'], { home, env: TEST_ENV });
      const snapshot = snapshots.data.find((s) => s.id === snapshotId)!;
      expect(snapshot.status).toBe('interrupted');
      expect(snapshot.success).toBeGreaterThanOrEqual(storedBefore);
      expect(snapshot.success).toBeLessThan(6);

      // what it stored before the kill reads back; the writes made meanwhile are there
      const backups = await runJson<{ device: string; status: string; id: number }[]>(['backup', 'list'], { home, env: TEST_ENV });
      const ok = backups.data.filter((b) => b.status === 'ok');
      expect(ok.length).toBe(snapshot.success);
      const shown = await runJson<{ config: string }>(['backup', 'show', ok[0]!.device], { home, env: TEST_ENV });
      expect(shown.data.config).toMatch(/^hostname /m);
      const devices = await runJson<{ name: string }[]>(['device', 'list'], { home, env: TEST_ENV });
      expect(devices.data.map((d) => d.name)).toEqual(expect.arrayContaining(['extra-1', 'extra-2']));
    } finally {
      await lab.stop();
      temp.cleanup();
    }
  }, 90_000);
});
