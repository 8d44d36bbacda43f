import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli, tempHome } from './helpers/cli.js';

/**
 * The backup and snapshot commands end to end: the built CLI against an in-process lab (two IOS
 * devices, one Junos, one that refuses connections). Needs `npm run build` first.
 */
const temp = tempHome('netstacks-cli-backup-');
const home = temp.home;
let lab: LabHandle;

type Line = Record<string, unknown> & { type: string; device?: string; status?: string };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' }, timeoutMs: 60_000 });
const json = async <T>(args: string[]): Promise<T> => {
  const r = await cli([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  lab = await startLab({ devices: 4, platforms: ['cisco_ios', 'juniper_junos', 'cisco_ios', 'cisco_ios'], faults: { 'ios-4': ['refused'] }, port: 0, firstAddress: '127.0.152.1', controlSocket: false });
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) {
    const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab', '--tag', 'lab', '--site', 'par']);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const [key, value] of [['timeouts.connect', '2'], ['timeouts.auth', '3'], ['timeouts.banner', '3'], ['timeouts.command', '5']]) {
    const r = await cli(['settings', 'set', key!, value!]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('netstacks backup / snapshot', () => {
  it('backup run streams a JSON line per device and a snapshot line; a failed device makes it partial (exit 10)', async () => {
    const r = await cli(['backup', 'run', '--json']);
    expect(r.code, r.stderr).toBe(10);
    const lines = jsonLines(r.stdout);
    const devices = Object.fromEntries(lines.filter((l) => l.type === 'device').map((l) => [l.device, l]));
    expect(devices['ios-1']).toMatchObject({ status: 'ok', data: { changed: true, newContent: true } });
    expect(devices['ios-4']).toMatchObject({ status: 'failed', errorClass: 'unreachable' });
    expect(lines.find((l) => l.type === 'snapshot')).toMatchObject({ id: 1, status: 'partial', success: 3, failed: 1 });
    expect(r.stdout).not.toContain(LAB_PASSWORD);

    const second = await cli(['backup', 'run', '--on', 'name:ios-1 or name:junos-2', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(jsonLines(second.stdout).find((l) => l.type === 'snapshot')).toMatchObject({ id: 2, status: 'complete', success: 2, changed: 0 });
  }, 60_000);

  it('--if-busy skip leaves at once while another run holds the lock', async () => {
    // a lab device that answers slowly keeps the first run busy
    await lab.setFaults('ios-3', ['latency:1500']);
    try {
      const slow = cli(['backup', 'run', '--on', 'name:ios-3', '--json']);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const skipped = await cli(['backup', 'run', '--on', 'name:ios-1', '--if-busy', 'skip', '--json']);
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(JSON.parse(skipped.stdout)).toMatchObject({ status: 'busy' });
      expect(JSON.parse(skipped.stdout).message).toMatch(/backup-run is locked by pid \d+/);
      expect((await slow).code).toBe(0);
    } finally {
      await lab.setFaults('ios-3', []);
    }
  }, 60_000);

  it('lists history with the change mark, shows a version masked or revealed, and its facts', async () => {
    // the skipped run stored nothing: two rows, the first one a change (the first backup)
    const list = await json<{ device: string; changed: boolean; status: string }[]>(['backup', 'list', '--device', 'ios-1']);
    expect(list.map((b) => b.changed)).toEqual([false, true]);
    const human = await cli(['backup', 'list', '--device', 'ios-1']);
    expect(human.stdout.split('\n')[0]).toMatch(/id\s+time\s+device\s+status\s+chg/);

    const masked = await cli(['backup', 'show', 'ios-1']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).toMatch(/^hostname ios-1$/m);
    expect(masked.stdout).toMatch(/^enable secret 5 <secret masked>$/m);
    const revealed = await cli(['backup', 'show', 'ios-1', '--reveal']);
    const secret = /^enable secret 5 (\S+)$/m.exec(revealed.stdout)![1]!;
    expect(secret).toMatch(/^\$1\$/);
    expect(masked.stdout).not.toContain(secret);
    expect(lab.runningConfig('ios-1')).toContain(secret);

    const facts = await cli(['backup', 'show', 'ios-1', '--facts']);
    expect(facts.stdout).toMatch(/=== version ===[\s\S]*Processor board ID/);
    const unknown = await cli(['backup', 'show', 'ios-9']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/device 'ios-9' not found/);
    const badRef = await cli(['backup', 'show', 'ios-1', '--at', 'yesterdayish']);
    expect(badRef.code).toBe(4);
  }, 60_000);

  it('diffs the last two distinct versions after a config push, coloured only when asked', async () => {
    const push = await cli(['config', 'push', '--on', 'name:ios-1', '--line', 'ntp server 203.0.113.9']);
    expect(push.code, push.stderr).toBe(0);
    const run = await cli(['backup', 'run', '--on', 'name:ios-1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/changed [0-9a-f]{12}/);
    expect(run.stdout).toMatch(/unsaved changes/);

    const diff = await cli(['backup', 'diff', 'ios-1']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^--- ios-1@\d+ /m);
    expect(diff.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(diff.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['+ntp server 203.0.113.9']);
    expect(diff.stdout).not.toContain('\x1b[');
    const coloured = await runCli(['backup', 'diff', 'ios-1'], { home, env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(coloured.stdout).toContain('\x1b[32m+ntp server 203.0.113.9');

    const data = await json<{ added: number; removed: number; identical: boolean; diff: string }>(['backup', 'diff', 'ios-1']);
    expect(data).toMatchObject({ added: 1, removed: 0, identical: false });
    const [, second, first] = (await json<{ id: number }[]>(['backup', 'list', '--device', 'ios-1'])).map((b) => String(b.id));
    const same = await cli(['backup', 'diff', 'ios-1', first!, second!]);
    expect(same.stderr).toMatch(/identical/);
  }, 60_000);

  it('searches the latest configs, and compares and lists snapshots', async () => {
    const search = await cli(['backup', 'search', '^ntp server 203']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^ios-1:\d+: ntp server 203\.0\.113\.9$/)]);
    const none = await cli(['backup', 'search', 'no-such-line-anywhere']);
    expect(none.code).toBe(1);
    const bad = await cli(['backup', 'search', '(']);
    expect(bad.code).toBe(4);

    const snapshots = await json<{ id: number; status: string }[]>(['snapshot', 'list']);
    expect(snapshots.map((s) => s.status)).toContain('partial');
    const latest = snapshots[0]!.id;
    const compare = await json<{ devices: { device: string; state: string }[] }>(['snapshot', 'compare', '1', String(latest)]);
    const state = Object.fromEntries(compare.devices.map((d) => [d.device, d.state]));
    expect(state).toMatchObject({ 'ios-1': 'changed', 'junos-2': 'only-in-first', 'ios-4': 'only-in-first' });
    const show = await json<{ status: string; backups: { device: string; status: string; error: string | null }[] }>(['snapshot', 'show', '1']);
    expect(show.status).toBe('partial');
    expect(show.backups.find((b) => b.device === 'ios-4')).toMatchObject({ status: 'failed' });
    const missing = await cli(['snapshot', 'show', '999']);
    expect(missing.code).toBe(3);
  }, 60_000);

  it('restore-preview shows the config model commands back to a stored version, and the diff', async () => {
    const first = (await json<{ id: number }[]>(['backup', 'list', '--device', 'ios-1'])).at(-1)!.id;
    const preview = await cli(['backup', 'restore-preview', 'ios-1', String(first)]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/commands a restore would send:\n {2}no ntp server 203\.0\.113\.9\n/);
    expect(preview.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['-ntp server 203.0.113.9']);
    const structured = await json<{ method: string; commands: string[] }>(['backup', 'restore-preview', 'ios-1', String(first)]);
    expect(structured).toMatchObject({ method: 'config-model', commands: ['no ntp server 203.0.113.9'] });
  }, 60_000);

  it('restore: a plan with --dry-run, refused without a terminal or --yes, then a real restore with a post-check', async () => {
    const first = String((await json<{ id: number }[]>(['backup', 'list', '--device', 'ios-1'])).at(-1)!.id);
    const dry = await json<{ method: string; steps: string[]; dryRun: boolean; identical: boolean; diff: string }>(['backup', 'restore', 'ios-1', first, '--dry-run']);
    expect(dry).toMatchObject({ method: 'ios-configure-replace', dryRun: true, identical: false });
    expect(dry.steps).toContain('configure replace flash:netstacks-restore.cfg force');
    expect(dry.diff).toMatch(/^-ntp server 203\.0\.113\.9$/m);

    const refused = await cli(['backup', 'restore', 'ios-1', first]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not restoring 'ios-1' without confirmation/);
    expect((await cli(['backup', 'search', '^ntp server 203'])).code).toBe(0);

    const restored = await cli(['backup', 'restore', 'ios-1', first, '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored ios-1 to backup \d+: the running config matches it/);
    const show = await cli(['run', '--on', 'name:ios-1', 'show running-config | include ntp server 203']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).not.toContain('203.0.113.9');
    const again = await json<{ identical: boolean }>(['backup', 'restore', 'ios-1', first, '--dry-run']);
    expect(again.identical).toBe(true);
  }, 60_000);

  it('exports to git and prunes', async () => {
    const dir = join(home, 'configs');
    const exported = await json<{ commits: number }>(['backup', 'export', '--git', dir]);
    expect(exported.commits).toBeGreaterThanOrEqual(4);
    expect(execFileSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').sort()).toEqual(['par/ios-1', 'par/ios-3', 'par/junos-2']);
    const again = await json<{ commits: number }>(['backup', 'export', '--git', dir]);
    expect(again.commits).toBe(0);

    const dry = await json<{ backups: number; dryRun: boolean }>(['backup', 'prune', '--keep', '1', '--days', '1', '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, backups: 0 });
    const bad = await cli(['backup', 'prune', '--keep', '0']);
    expect(bad.code).toBe(2);
  }, 60_000);
});
