import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { addCredential } from '../src/credentials/index.js';
import { addDevice, setOverride } from '../src/inventory/index.js';
import { loadOperationEnv, pushConfig, type OperationEnv } from '../src/operations/index.js';
import { getPlatform } from '../src/platforms/index.js';
import { applyCleanup } from '../src/session/output.js';
import { setSetting } from '../src/settings/index.js';
import { acquireLock } from '../src/locks/index.js';
import {
  compareSnapshots,
  ContentReader,
  exportGit,
  lastTwoDistinct,
  listBackups,
  maskSecrets,
  pruneBackups,
  readBackup,
  runBackup,
  searchBackups,
  unifiedDiff,
} from '../src/backups/index.js';
import { tempHome } from './helpers/cli.js';
import { startWebhookSink, type WebhookSink } from './helpers/webhook.js';

/**
 * Backups as a library against the embedded lab: one device of every platform plus a second IOS
 * device, quirks on (chunked output, split prompts, ANSI codes), so cleaning is checked on what
 * real sessions bring back.
 */
const PLATFORMS = ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos', 'cisco_xr', 'linux', 'fortinet', 'paloalto_panos', 'hp_procurve', 'aruba_aoscx', 'cisco_ios'];

let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-backups-');
let hook: WebhookSink;
const webhookBodies: Record<string, unknown>[] = [];

const contentCount = async () => Number((await store.db.selectFrom('backup_contents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  lab = await startLab({ devices: PLATFORMS.length, platforms: PLATFORMS, port: 0, firstAddress: '127.0.150.1', controlSocket: false, seed: 7 });
  store = await openSqliteStore(homeFiles.database(temp.home));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const device of lab.devices) {
    await addDevice(store, { name: device.name, host: device.host, port: lab.port, platform: device.platform, credential: 'lab', tags: ['lab'], site: device.name.startsWith('ios') ? 'lon' : 'ber' });
  }
  // skipped with their reason: a disabled device and one without any credential
  await addDevice(store, { name: 'off-1', host: '127.0.150.200', port: lab.port, platform: 'cisco_ios', credential: 'lab', tags: ['lab'] });
  await setOverride(store, 'off-1', { disabled: true });
  await addDevice(store, { name: 'nocred-1', host: '127.0.150.201', port: lab.port, platform: 'cisco_ios', tags: ['lab'] });
  env = await loadOperationEnv(store, secrets, temp.home, { sshConfigFile: false });

  hook = await startWebhookSink(webhookBodies);
}, 60_000);

afterAll(async () => {
  hook?.close();
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const ios = 'ios-1';
const junos = 'junos-3';

describe('backup run against the lab', () => {
  it('stores every platform cleaned of volatile lines, with facts, and skips disabled and credential-less devices', async () => {
    const report = await runBackup(env, store, { on: 'tag:lab', concurrency: 11 });
    const failures = report.summary!.results.filter((r) => r.status === 'failed').map((r) => `${r.device}: ${r.message}`);
    expect(failures).toEqual([]);
    expect(report.status).toBe('complete');
    expect(report.counts).toMatchObject({ total: 13, success: 11, failed: 0, skipped: 2 });
    const skipped = await listBackups(store.db, { on: 'name:off-1 or name:nocred-1' });
    expect(skipped.map((b) => [b.device, b.status]).sort()).toEqual([['nocred-1', 'skipped'], ['off-1', 'skipped']]);
    expect(skipped.find((b) => b.device === 'nocred-1')!.error).toMatch(/no credential/);
    expect(skipped.find((b) => b.device === 'off-1')!.error).toMatch(/disabled/);

    const volatile = [/^Building configuration/m, /^Current configuration : \d+ bytes/m, /Last configuration change/, /NVRAM config last updated/, /^## Last commit/m, /^!Time:/m, /^!Running configuration last done/m, /^#conf_file_ver=/m];
    for (const device of lab.devices) {
      const { config, backup } = await readBackup(store.db, device.name);
      for (const pattern of volatile) expect(config, `${device.name} ${pattern}`).not.toMatch(pattern);
      if (device.platform === 'juniper_junos') {
        // the default format is `display set`
        expect(backup.format).toBe('set');
        expect(config).toMatch(/^set system host-name junos-3$/m);
      } else if (device.platform !== 'linux') {
        // what a session brings back, cleaned, is the device's config exactly
        const platform = getPlatform(device.platform);
        const expected = applyCleanup(lab.runningConfig(device.name), platform.runningConfig.cleanup);
        // FortiOS prints a header of build facts before the config on a full `show`
        if (device.platform === 'fortinet') expect(config.replace(/^#.*\n/gm, ''), device.name).toBe(expected);
        else expect(config, device.name).toBe(expected);
      }
    }
    const { facts } = await readBackup(store.db, ios);
    expect(facts.version).toMatch(/Processor board ID FTX/);
    expect(facts.version).not.toMatch(/uptime is/);
    expect(facts.inventory).toMatch(/SN: FTX/);
    expect((await readBackup(store.db, junos)).facts.inventory).toMatch(/Chassis\s+\S+\s+MX240/);
  }, 60_000);

  it('adds no content on a second run: one small row per device', async () => {
    const before = await contentCount();
    const report = await runBackup(env, store, { on: 'tag:lab' });
    expect(report.counts).toMatchObject({ success: 11, changed: 0 });
    expect(await contentCount()).toBe(before);
    const rows = report.summary!.results.filter((r) => r.status === 'ok').map((r) => r.data!);
    expect(rows.every((r) => !r.changed && !r.newContent)).toBe(true);
  }, 60_000);

  it('detects a change made with config push, flags it unsaved, and runs the change hooks', async () => {
    const marker = join(temp.home, 'hook-ran.txt');
    await setSetting(
      store,
      'backup.hooks',
      JSON.stringify([
        { command: `printf '%s %s %s\\n' "$NETSTACKS_DEVICE" "$NETSTACKS_NEW_HASH" "$NETSTACKS_OLD_HASH" >> ${marker}; cat "$NETSTACKS_DIFF_FILE" >> ${marker}` },
        { webhook: `http://127.0.0.1:${hook.port}/hook` },
        { command: "sh -c 'exit 3'" },
      ]),
    );
    const push = await pushConfig(env, { names: [ios] }, { lines: ['snmp-server location Berlin-3'], dryRun: false, save: false });
    expect(push.counts.ok).toBe(1);
    const report = await runBackup(env, store, { on: 'tag:lab' });
    expect(report.status).toBe('complete');
    expect(report.counts.changed).toBe(1);
    const changed = report.summary!.results.filter((r) => r.data?.changed).map((r) => r.device);
    expect(changed).toEqual([ios]);
    const stored = report.summary!.results.find((r) => r.device === ios)!.data!;
    expect(stored.unsaved).toBe(true);
    expect(report.summary!.results.find((r) => r.device === 'ios-11')!.data!.unsaved).toBe(false);

    // hooks: the command got the device, both hashes and the diff; the webhook the same as JSON;
    // the failing one is reported and the backup still complete
    const ran = readFileSync(marker, 'utf8');
    expect(ran).toContain(`${ios} ${stored.hash} ${stored.previousHash}`);
    expect(ran).toContain('+snmp-server location Berlin-3');
    expect(webhookBodies).toHaveLength(1);
    expect(webhookBodies[0]).toMatchObject({ event: 'backup.changed', device: ios, newHash: stored.hash, oldHash: stored.previousHash });
    expect(String(webhookBodies[0]!.diff)).toContain('+snmp-server location Berlin-3');
    expect(report.hooks.filter((h) => !h.ok)).toEqual([{ device: ios, hook: "command: sh -c 'exit 3'", ok: false, error: 'exit status 3' }]);
    await setSetting(store, 'backup.hooks', '[]');

    const { from, to } = await lastTwoDistinct(store.db, ios);
    const reader = new ContentReader(store.db);
    const diff = unifiedDiff(await reader.text(from.contentId), await reader.text(to.contentId), 'a', 'b');
    expect(diff.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual(['+snmp-server location Berlin-3']);
  }, 60_000);

  it('masks secrets on the way out but stores them, so a changed password is a change', async () => {
    const { config } = await readBackup(store.db, ios);
    const community = /^snmp-server community (\S+) RO/m.exec(config)![1]!;
    const enable = /^enable secret 5 (\S+)$/m.exec(config)![1]!;
    const masked = maskSecrets(config, 'cisco_ios');
    expect(masked).not.toContain(community);
    expect(masked).not.toContain(enable);
    expect(masked).toMatch(/^snmp-server community <secret masked> RO/m);
    for (const device of lab.devices) {
      const text = maskSecrets((await readBackup(store.db, device.name)).config, device.platform);
      expect(text, device.name).not.toMatch(/\$[156]\$[\w./]{4,}\$|ENC SH2|ciphertext AQ|"ro-\w+"|\bro-\w{8,}/);
    }
    // a password change shows up as a change (masked in the diff)
    await pushConfig(env, { names: [ios] }, { lines: ['enable secret 5 $1$abcd$NEWHASHNEWHASHNEWHASH1'], dryRun: false, save: true });
    const report = await runBackup(env, store, { names: [ios] });
    expect(report.counts.changed).toBe(1);
    const hits = await searchBackups(store.db, /^enable secret/, { on: `name:${ios}`, transform: (t, p) => maskSecrets(t, p) });
    expect(hits[0]!.lines.map((l) => l.text)).toEqual(['enable secret 5 <secret masked>']);
    const revealed = await searchBackups(store.db, /NEWHASHNEWHASH/, { on: `name:${ios}` });
    expect(revealed.map((h) => h.device)).toEqual([ios]);
  }, 60_000);

  it('searches the latest configs of the selected devices', async () => {
    const hits = await searchBackups(store.db, /^snmp-server location Berlin/, { on: 'site:lon' });
    expect(hits.map((h) => h.device)).toEqual([ios]);
    expect(hits[0]!.lines).toEqual([{ line: expect.any(Number) as number, text: 'snmp-server location Berlin-3' }]);
    const all = await searchBackups(store.db, /host-name|hostname/);
    expect(all.length).toBeGreaterThanOrEqual(9);
  });

  it('compares snapshots per device', async () => {
    const comparison = await compareSnapshots(store.db, 2, 3);
    const state = Object.fromEntries(comparison.devices.map((d) => [d.device, d.state]));
    expect(state[ios]).toBe('changed');
    expect(state[junos]).toBe('unchanged');
    expect(comparison.counts).toMatchObject({ changed: 1, unchanged: 10 });
    // snapshot 4 covered ios-1 only
    const narrow = await compareSnapshots(store.db, 3, 4);
    expect(narrow.devices.find((d) => d.device === junos)!.state).toBe('only-in-first');
    expect(narrow.devices.find((d) => d.device === ios)!.state).toBe('changed');
  });

  it('records a failed fetch as failed, keeps the last good config, and marks the snapshot partial', async () => {
    const good = await readBackup(store.db, 'eos-2');
    await lab.setFaults('eos-2', ['auth-failure']);
    try {
      const report = await runBackup(env, store, { on: 'tag:lab' });
      expect(report.status).toBe('partial');
      expect(report.counts).toMatchObject({ success: 10, failed: 1, skipped: 2 });
      const latest = (await listBackups(store.db, { device: 'eos-2', limit: 1 }))[0]!;
      expect(latest).toMatchObject({ status: 'failed', hash: null });
      expect(latest.error).toMatch(/auth/i);
      const after = await readBackup(store.db, 'eos-2');
      expect(after.backup.id).toBe(good.backup.id);
      expect(after.config).toBe(good.config);
    } finally {
      await lab.setFaults('eos-2', []);
    }
  }, 60_000);

  it('waits for or skips a busy backup-run lock', async () => {
    const lock = await acquireLock(store, 'backup-run', { purpose: 'test holder' });
    try {
      const report = await runBackup(env, store, { names: [ios], ifBusy: 'skip' });
      expect(report.status).toBe('busy');
      expect(report.busyWith).toMatch(/backup-run is locked by pid \d+ .*test holder/);
    } finally {
      await lock.release();
    }
    const report = await runBackup(env, store, { names: [ios], ifBusy: 'skip' });
    expect(report.status).toBe('complete');
  }, 30_000);

  it('exports to git, one commit per snapshot, and re-exports incrementally', async () => {
    const dir = join(temp.home, 'export');
    const first = await exportGit(store.db, dir, { maskSecrets: true });
    const snapshots = Number((await store.db.selectFrom('backup_snapshots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(first.commits).toBe(snapshots);
    const log = execFileSync('git', ['log', '--format=%s|%aI'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    expect(log).toHaveLength(snapshots);
    expect(log[log.length - 1]).toMatch(/^snapshot 1 \(manual, complete\)/);
    const file = join(dir, 'lon', ios);
    expect(existsSync(file)).toBe(true);
    const exported = readFileSync(file, 'utf8');
    expect(exported).toContain('<secret masked>');
    expect(exported).not.toContain('NEWHASHNEWHASH');
    expect(existsSync(join(dir, 'ber', junos))).toBe(true);
    // the file's history has the pushed change
    expect(execFileSync('git', ['log', '-p', '--format=', '--', `lon/${ios}`], { cwd: dir, encoding: 'utf8' })).toContain('+snmp-server location Berlin-3');

    const again = await exportGit(store.db, dir, { maskSecrets: true });
    expect(again.commits).toBe(0);
    await pushConfig(env, { names: [ios] }, { lines: ['snmp-server contact ops@example.test'], dryRun: false, save: true });
    await runBackup(env, store, { on: 'site:lon' });
    const third = await exportGit(store.db, dir, { maskSecrets: true });
    expect(third).toMatchObject({ commits: 1, files: 1 });
    expect(readFileSync(file, 'utf8')).toContain('snmp-server contact ops@example.test');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
  }, 60_000);

  it('prunes old backups, keeps the latest good one, and every kept version still reads back', async () => {
    const reader = new ContentReader(store.db);
    const before = await store.db.selectFrom('backups').select(['id', 'device', 'status', 'content_id']).execute();
    const latestGood = new Map<string, number>();
    for (const row of before) if (row.status === 'ok') latestGood.set(row.device, Math.max(latestGood.get(row.device) ?? 0, row.id));

    const dry = await pruneBackups(store, { keepVersions: 1, now: new Date(Date.now() + 100 * 86_400_000), dryRun: true });
    expect(dry.backups).toBeGreaterThan(0);
    expect(await store.db.selectFrom('backups').select('id').execute()).toHaveLength(before.length);

    const report = await pruneBackups(store, { keepVersions: 1, now: new Date(Date.now() + 100 * 86_400_000) });
    expect(report.backups).toBe(dry.backups);
    expect(report.contents).toBeGreaterThan(0);
    const after = await store.db.selectFrom('backups').select(['id', 'device', 'status', 'content_id']).execute();
    // eos-2's newest row is its failure; its latest good one is kept beside it
    for (const [device, id] of latestGood) expect(after.some((r) => r.device === device && r.id === id), device).toBe(true);
    expect(after.filter((r) => r.device === 'eos-2').map((r) => r.status).sort()).toEqual(['failed', 'ok']);
    // nothing still referenced was lost: every kept backup reads back to its hash
    const fresh = new ContentReader(store.db);
    for (const row of after.filter((r) => r.content_id !== null)) {
      const text = await fresh.text(row.content_id!);
      expect(text).toBe(await reader.text(row.content_id!));
    }
  }, 60_000);
});

describe('backup settings', () => {
  it('refuses a hook whose command is not found, naming it', async () => {
    await expect(setSetting(store, 'backup.hooks', JSON.stringify([{ command: 'no-such-hook-program --x' }]))).rejects.toThrow(/hook command 'no-such-hook-program' not found/);
    await expect(setSetting(store, 'backup.hooks', JSON.stringify([{ webhook: 'ftp://x' }]))).rejects.toThrow(/not an http\(s\) URL/);
  });
});
