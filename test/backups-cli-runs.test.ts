import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { cliFor, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/**
 * Backup commands the other CLI tests leave out (issue 10): a second overlapping `backup run`
 * with `--if-busy wait` (the default) waits for the first and never runs beside it; the
 * running-vs-startup check as `backup run`, `list` and `show` print it; `backup show --at TIME`.
 * The built CLI against an in-process lab, a real store.
 */
const temp = tempHome('netstacks-cli-backup-runs-');
const home = temp.home;
let lab: LabHandle;
const { cli, json } = cliFor(home);

interface Snapshot {
  id: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios', 'cisco_ios'], port: 0, firstAddress: '127.0.162.1', controlSocket: false, quirks: false, seed: 9 });
  await addLabWithCli(lab, home, cli);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('backup run, list, show', () => {
  it('a second backup run on the same home waits for the first (--if-busy wait) and starts after it ends', async () => {
    await lab.setFaults('ios-1', ['latency:700']);
    try {
      const first = cli(['backup', 'run', '--on', 'name:ios-1', '--json']);
      // the first one holds the backup-run lock by now
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const snapshots = await json<Snapshot[]>(['snapshot', 'list']);
        if (snapshots.some((s) => s.status === 'running')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const second = await cli(['backup', 'run', '--on', 'name:ios-2', '--json']);
      const firstResult = await first;
      expect(firstResult.code, firstResult.stderr).toBe(0);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).not.toMatch(/"status":"busy"/);
      const snapshots = (await json<Snapshot[]>(['snapshot', 'list'])).sort((a, b) => a.id - b.id);
      expect(snapshots.map((s) => s.status)).toEqual(['complete', 'complete']);
      // never at once: the second started when the first had finished
      expect(Date.parse(snapshots[1]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(snapshots[0]!.finishedAt!));
    } finally {
      await lab.setFaults('ios-1', []);
    }
  }, 90_000);

  it('flags unsaved changes (running differs from startup) in run, list and show, and clears the flag once saved', async () => {
    const push = await cli(['config', 'push', '--on', 'name:ios-2', '--line', 'ntp server 203.0.113.44']);
    expect(push.code, push.stderr).toBe(0);
    const run = await cli(['backup', 'run', '--on', 'name:ios-2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/changed \w{12} \(\d+ bytes\), unsaved changes \(running differs from startup\)/);
    const [latest] = await json<{ id: number; unsaved: boolean | null }[]>(['backup', 'list', '--device', 'ios-2']);
    expect(latest!.unsaved).toBe(true);
    expect((await cli(['backup', 'list', '--device', 'ios-2'])).stdout.split('\n')[1]).toMatch(/unsaved changes\s*$/);
    expect((await json<{ unsaved: boolean }>(['backup', 'show', 'ios-2'])).unsaved).toBe(true);

    const save = await cli(['config', 'push', '--on', 'name:ios-2', '--line', 'ntp server 203.0.113.45', '--save']);
    expect(save.code, save.stderr).toBe(0);
    const again = await cli(['backup', 'run', '--on', 'name:ios-2']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).not.toMatch(/unsaved/);
    expect((await json<{ unsaved: boolean | null }[]>(['backup', 'list', '--device', 'ios-2']))[0]!.unsaved).toBe(false);
  }, 90_000);

  it('shows the version in force at a time with --at, by ISO time or by date', async () => {
    const rows = await json<{ id: number; time: string; changed: boolean; status: string }[]>(['backup', 'list', '--device', 'ios-2']);
    const ok = rows.filter((r) => r.status === 'ok');
    expect(ok.length).toBeGreaterThanOrEqual(3);
    const [newest, middle] = ok;
    // a moment between the middle and the newest backup: the middle one is in force
    const between = new Date((Date.parse(middle!.time) + Date.parse(newest!.time)) / 2).toISOString();
    const atBetween = await json<{ id: number; config: string }>(['backup', 'show', 'ios-2', '--at', between]);
    expect(atBetween.id).toBe(middle!.id);
    expect(atBetween.config).toContain('ntp server 203.0.113.44');
    expect(atBetween.config).not.toContain('ntp server 203.0.113.45');
    expect((await json<{ id: number }>(['backup', 'show', 'ios-2', '--at', String(middle!.id)])).id).toBe(middle!.id);
    // a date means the end of that day: today gives the newest
    expect((await json<{ id: number }>(['backup', 'show', 'ios-2', '--at', newest!.time.slice(0, 10)])).id).toBe(newest!.id);
    // before the first backup there is none
    const before = await cli(['backup', 'show', 'ios-2', '--at', '2001-01-01']);
    expect(before.code).not.toBe(0);
    expect(before.stderr).toMatch(/ios-2/);
  }, 60_000);

  it('refuses a change hook whose command is not found, or that is no hook at all, and keeps the setting as it was', async () => {
    const missing = await cli(['settings', 'set', 'backup.hooks', '[{"command":"no-such-hook-program --x"}]']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("hook command 'no-such-hook-program' not found");
    const shape = await cli(['settings', 'set', 'backup.hooks', '[{"comand":"true"}]']);
    expect(shape.code).toBe(4);
    expect(shape.stderr).toMatch(/entry 1 needs exactly one of "command" \(non-empty\) or "webhook"/);
    const notJson = await cli(['settings', 'set', 'backup.hooks', 'not json']);
    expect(notJson.code).toBe(4);
    expect(notJson.stderr).toMatch(/not valid JSON/);
    expect(await json<{ value: unknown; isDefault: boolean }>(['settings', 'get', 'backup.hooks'])).toMatchObject({ value: [], isDefault: true });
  });

  it('exports one commit per snapshot dated at its start, one file per device, and only new snapshots on re-export', async () => {
    const dir = join(home, 'configs');
    const first = await json<{ commits: number; files: number }>(['backup', 'export', '--git', dir]);
    const snapshots = await json<Snapshot[]>(['snapshot', 'list']);
    expect(first.commits).toBe(snapshots.length);
    const log = execFileSync('git', ['log', '--format=%s|%aI|%cI'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    expect(log).toHaveLength(snapshots.length);
    for (const line of log) {
      const [subject, author, committer] = line.split('|');
      const id = Number(/^snapshot (\d+) /.exec(subject!)![1]);
      const started = Date.parse(snapshots.find((s) => s.id === id)!.startedAt);
      // git keeps whole seconds
      expect(Math.abs(Date.parse(author!) - started), subject).toBeLessThan(1000);
      expect(Math.abs(Date.parse(committer!) - started), subject).toBeLessThan(1000);
    }
    // devices without a site go to _no-site/; the file is the masked config
    expect(execFileSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').sort()).toEqual(['_no-site/ios-1', '_no-site/ios-2']);
    const file = readFileSync(join(dir, '_no-site', 'ios-2'), 'utf8');
    expect(file).toContain('ntp server 203.0.113.45');
    expect(file).toMatch(/^snmp-server community <secret masked> /m);

    expect((await json<{ commits: number }>(['backup', 'export', '--git', dir])).commits).toBe(0);
    expect((await cli(['backup', 'run', '--on', 'name:ios-1'])).code).toBe(0);
    expect(await json<{ commits: number; files: number }>(['backup', 'export', '--git', dir])).toMatchObject({ commits: 1, files: 0 });
    expect(execFileSync('git', ['log', '--format=%s'], { cwd: dir, encoding: 'utf8' }).trim().split('\n')).toHaveLength(snapshots.length + 1);
  }, 60_000);

  it('diffs a changed secret masked, and as stored with --reveal', async () => {
    const push = await cli(['config', 'push', '--on', 'name:ios-1', '--line', 'snmp-server community diff-secret-91 RO']);
    expect(push.code, push.stderr).toBe(0);
    expect((await cli(['backup', 'run', '--on', 'name:ios-1'])).code).toBe(0);
    const masked = await cli(['backup', 'diff', 'ios-1']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['+snmp-server community <secret masked> RO']);
    expect(masked.stdout).not.toContain('diff-secret-91');
    const structured = await json<{ diff: string; added: number; removed: number }>(['backup', 'diff', 'ios-1']);
    expect(structured).toMatchObject({ added: 1, removed: 0 });
    expect(structured.diff).not.toContain('diff-secret-91');
    const revealed = await cli(['backup', 'diff', 'ios-1', '--reveal']);
    expect(revealed.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['+snmp-server community diff-secret-91 RO']);
  }, 60_000);
});

