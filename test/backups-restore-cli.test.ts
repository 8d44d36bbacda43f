import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_PASSWORD } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { configModelFor } from '../src/config/index.js';
import { getPlatform } from '../src/platforms/index.js';
import { applyCleanup } from '../src/session/output.js';
import { openSqliteStore } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { maskCommand } from '../src/backups/restore-preview.js';
import { cliFor, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/**
 * `backup restore` paths that go wrong or around, end to end: the built CLI against an
 * in-process lab and a real store.
 * - Junos: the device leaves part of the loaded config out (the lab's `loadIgnores` state), so the
 *   post-check after `commit confirmed` fails: exit 10, rolled back at once, the device back at
 *   the config it had before, nothing recorded as a backup.
 * - IOS: a version with an unbalanced brace cannot travel inside Tcl's braces, so the restore goes
 *   through the config model instead of `configure replace`, and the device ends at the version.
 * Needs `npm run build` first.
 */
const temp = tempHome('netstacks-cli-restore-');
const home = temp.home;
let lab: LabHandle;

const { cli, json } = cliFor(home);

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['juniper_junos', 'cisco_ios'], port: 0, firstAddress: '127.0.158.1', controlSocket: false, quirks: false, minuteMs: 60_000 });
  await addLabWithCli(lab, home, cli);
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

/** The device's config as the lab holds it, without the line that changes on every commit. */
const junosNow = (name: string) => lab.runningConfig(name).replace(/^## Last commit: .*\n/m, '');

describe('backup restore, end to end', () => {
  it('Junos: a post-check that fails after commit confirmed rolls back at once; exit 10, the device as before, nothing recorded', async () => {
    const run = await cli(['backup', 'run', '--on', 'name:junos-1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [v1] = await json<{ id: number }[]>(['backup', 'list', '--device', 'junos-1']);
    await cli(['config', 'push', '--on', 'name:junos-1', '--line', 'set interfaces lo0 unit 91 description rollback-test', '--line', 'delete system ntp server 192.0.2.123']).then((r) => expect(r.code, r.stderr).toBe(0));
    const before = junosNow('junos-1');
    expect(before).toContain('rollback-test');
    expect(before).not.toContain('192.0.2.123');

    // the device now drops every snmp statement a load brings: the restored config will lack them
    lab.setState('junos-1', { loadIgnores: ['snmp'] });
    try {
      const dry = await json<{ method: string; identical: boolean; steps: string[] }>(['backup', 'restore', 'junos-1', String(v1!.id), '--dry-run']);
      expect(dry).toMatchObject({ method: 'junos-load-set', identical: false });
      expect(dry.steps).toEqual(expect.arrayContaining(['commit confirmed 2', '(post-check)', 'commit']));
      expect(JSON.stringify(dry)).not.toMatch(/community (ro|rw)-/);

      const restored = await cli(['backup', 'restore', 'junos-1', String(v1!.id), '--yes']);
      expect(restored.code, restored.stdout + restored.stderr).toBe(10);
      const out = restored.stdout;
      expect(out).toMatch(new RegExp(`^post-check failed on junos-1: after commit confirmed the running config differed from backup ${v1!.id} in 4 line\\(s\\)`, 'm'));
      // what the device left out, as the version has it (communities masked on the way out)
      expect(out).toMatch(/^ {2}\+ set snmp location /m);
      expect(out).toMatch(/^ {2}\+ set snmp contact "noc@netstacks\.test"$/m);
      expect(out).toMatch(/^ {2}\+ set snmp community <secret masked> authorization read-only$/m);
    expect(out).not.toMatch(/community (ro|rw)-/);
      expect(out).not.toMatch(/^ {2}[+-] .*(rollback-test|192\.0\.2\.123)/m);
      expect(out).toMatch(/^rolled back \(rollback 1, commit\): junos-1 runs the config it had before the restore$/m);
      expect(restored.stderr).toMatch(/post-check failed: rolling back/);
      expect(restored.stderr + out).not.toContain(LAB_PASSWORD);
    } finally {
      lab.setState('junos-1', { loadIgnores: [] });
    }

    // the device: as before the restore, at once (not when the commit confirmed timer runs out)
    expect(junosNow('junos-1')).toBe(before);
    // the store: no backup was added or changed, and the device lock is free again
    expect((await json<{ id: number }[]>(['backup', 'list', '--device', 'junos-1'])).map((b) => b.id)).toEqual([v1!.id]);
    const store = await openSqliteStore(homeFiles.database(home));
    try {
      expect(await store.db.selectFrom('locks').selectAll().where('key', '=', 'device:junos-1').execute()).toEqual([]);
    } finally {
      await store.close();
    }

    // the same restore without the fault goes through and is confirmed
    const json2 = await json<{ restored: boolean; confirmed: boolean; postCheck: { matches: boolean } }>(['backup', 'restore', 'junos-1', String(v1!.id), '--yes']);
    expect(json2).toMatchObject({ restored: true, confirmed: true, postCheck: { matches: true } });
    expect(junosNow('junos-1')).toContain('192.0.2.123');
    expect(junosNow('junos-1')).not.toContain('rollback-test');
  }, 90_000);

  it('Junos --json: the failed post-check says rolled back and that the previous config is back', async () => {
    const [v1] = await json<{ id: number }[]>(['backup', 'list', '--device', 'junos-1']);
    await cli(['config', 'push', '--on', 'name:junos-1', '--line', 'set interfaces lo0 unit 92 description json-test']).then((r) => expect(r.code, r.stderr).toBe(0));
    const before = junosNow('junos-1');
    lab.setState('junos-1', { loadIgnores: ['system ntp'] });
    try {
      const r = await cli(['backup', 'restore', 'junos-1', String(v1!.id), '--yes', '--json']);
      expect(r.code, r.stderr).toBe(10);
      const data = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(data).toMatchObject({ restored: false, confirmed: false, rolledBack: true, previousRestored: true, method: 'junos-load-set', postCheck: { matches: false } });
      expect((data.postCheck as { remaining: string[] }).remaining).toEqual(expect.arrayContaining([expect.stringMatching(/^\+ set system ntp server /)]));
      expect((data.postCheck as { remaining: string[] }).remaining.every((l) => l.startsWith('+ set system ntp '))).toBe(true);
    } finally {
      lab.setState('junos-1', { loadIgnores: [] });
    }
    expect(junosNow('junos-1')).toBe(before);
  }, 90_000);

  it('Junos native versions: load override terminal, the post-check fails, rolled back at once; exit 10', async () => {
    expect((await cli(['settings', 'set', 'backup.junos_format', 'native'])).code).toBe(0);
    try {
      const run = await cli(['backup', 'run', '--on', 'name:junos-1', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const [v2] = await json<{ id: number; format: string }[]>(['backup', 'list', '--device', 'junos-1']);
      await cli(['config', 'push', '--on', 'name:junos-1', '--line', 'set interfaces lo0 unit 93 description native-test']).then((r) => expect(r.code, r.stderr).toBe(0));
      const before = junosNow('junos-1');
      lab.setState('junos-1', { loadIgnores: ['snmp'] });
      try {
        const dry = await json<{ method: string; steps: string[] }>(['backup', 'restore', 'junos-1', String(v2!.id), '--dry-run']);
        expect(dry.method).toBe('junos-load-override');
        expect(dry.steps).toContain('load override terminal');
        const r = await cli(['backup', 'restore', 'junos-1', String(v2!.id), '--yes', '--json']);
        expect(r.code, r.stderr).toBe(10);
        const data = JSON.parse(r.stdout) as { confirmed: boolean; rolledBack: boolean; previousRestored: boolean; postCheck: { remaining: string[] } };
        expect(data).toMatchObject({ confirmed: false, rolledBack: true, previousRestored: true });
        // the version's snmp block, missing on the device; the communities masked
        expect(data.postCheck.remaining).toEqual(expect.arrayContaining(['+ snmp {', expect.stringMatching(/^\+ {5}community <secret masked> \{$/)]));
        expect(r.stdout).not.toMatch(/community (ro|rw)-/);
      } finally {
        lab.setState('junos-1', { loadIgnores: [] });
      }
      expect(junosNow('junos-1')).toBe(before);
    } finally {
      expect((await cli(['settings', 'set', 'backup.junos_format', 'set'])).code).toBe(0);
    }
  }, 90_000);

  it('IOS: a version whose braces do not balance is restored through the config model, and the device ends at it', async () => {
    // a description with an opening brace only: Tcl would read the rest of the config as part of it
    await cli(['config', 'push', '--on', 'name:ios-2', '--line', 'interface Loopback88', '--line', ' description uplink {core']).then((r) => expect(r.code, r.stderr).toBe(0));
    const run = await cli(['backup', 'run', '--on', 'name:ios-2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [v1] = await json<{ id: number }[]>(['backup', 'list', '--device', 'ios-2']);
    const version = (await json<{ config: string }>(['backup', 'show', 'ios-2', '--at', String(v1!.id), '--reveal'])).config;
    expect(version).toMatch(/^interface Loopback88\n description uplink \{core$/m);

    const removed = /^ntp server .*$/m.exec(version)?.[0] ?? /^logging host .*$/m.exec(version)?.[0];
    expect(removed).toBeDefined();
    await cli(['config', 'push', '--on', 'name:ios-2', '--line', 'no interface Loopback88', '--line', `no ${removed}`, '--line', 'interface Loopback89', '--line', ' description brace-test', '--line', 'snmp-server community leak-check-77 RO']).then((r) => expect(r.code, r.stderr).toBe(0));
    expect(lab.runningConfig('ios-2')).not.toContain('uplink {core');

    const dry = await json<{ method: string; note: string; steps: string[]; commands: string[] }>(['backup', 'restore', 'ios-2', String(v1!.id), '--dry-run']);
    expect(dry.method).toBe('config-model');
    expect(dry.note).toMatch(/unbalanced braces.*config model/);
    expect(dry.steps.join('\n')).not.toMatch(/tclsh|configure replace/);
    expect(dry.commands).toEqual(expect.arrayContaining(['no interface Loopback89', 'interface Loopback88', ' description uplink {core', removed]));
    // the community the version lacks is removed with a `no` line: masked like the config line
    expect(dry.commands).toContain('no snmp-server community <secret masked> RO');
    const human = await cli(['backup', 'restore', 'ios-2', String(v1!.id), '--dry-run']);
    const preview = await cli(['backup', 'restore-preview', 'ios-2', String(v1!.id), '--json']);
    for (const text of [JSON.stringify(dry), human.stdout, human.stderr, preview.stdout]) expect(text).not.toContain('leak-check-77');
    expect(human.stderr).toMatch(/^ {2}no snmp-server community <secret masked> RO$/m);

    const restored = await cli(['backup', 'restore', 'ios-2', String(v1!.id), '--yes']);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/by config-model/);
    expect(restored.stdout).toMatch(new RegExp(`^restored ios-2 to backup ${v1!.id}: the running config matches it`, 'm'));

    // the device's config now is the version, in the config model's canonical terms
    const platform = getPlatform('cisco_ios');
    const after = applyCleanup(lab.runningConfig('ios-2'), platform.runningConfig.cleanup);
    expect(after).toMatch(/^interface Loopback88\n description uplink \{core$/m);
    expect(after).toContain(removed);
    expect(after).not.toContain('Loopback89');
    expect(configModelFor(platform).remediation(after, version, { mode: 'replace' }).commands).toEqual([]);
    expect(configModelFor(platform).remediation(version, after, { mode: 'replace' }).commands).toEqual([]);
    // nothing was left on flash by a Tcl transfer
    const dir = await cli(['run', '--on', 'name:ios-2', 'dir flash:']);
    expect(dir.stdout).not.toContain('netstacks-restore.cfg');
  }, 90_000);

  it('masks plan commands that negate a secret line, on every platform with such rules', () => {
    const on = { maskSecrets: true };
    expect(maskCommand('no snmp-server community s3cret RO', 'cisco_ios', on)).toBe('no snmp-server community <secret masked> RO');
    expect(maskCommand('no snmp-server community s3cret group network-operator', 'cisco_nxos', on)).not.toContain('s3cret');
    expect(maskCommand('no snmp-server community s3cret ro', 'arista_eos', on)).not.toContain('s3cret');
    expect(maskCommand('delete snmp community s3cret', 'juniper_junos', on)).toBe('delete snmp community <secret masked>');
    expect(maskCommand('snmp-server community s3cret RO', 'cisco_ios', on)).toBe('snmp-server community <secret masked> RO');
    expect(maskCommand('no ntp server 192.0.2.1', 'cisco_ios', on)).toBe('no ntp server 192.0.2.1');
    expect(maskCommand('no snmp-server community s3cret RO', 'cisco_ios', { maskSecrets: true, reveal: true })).toContain('s3cret');
  });
});
