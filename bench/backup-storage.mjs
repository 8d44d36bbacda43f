// Figure: storage of 500 devices x 30 daily backups where 2% of the devices change each day
// (lab-generated configs of ~CONFIG_BYTES, platforms round-robin), in the backup store, beside
// the `.git` size of the same history kept as Oxidized would (one file per device, one commit per
// day) after `git gc`. Aim: store <= 1.5x git. DEVICES, DAYS, CONFIG_BYTES shorten it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempHome } from './lib.mjs';

const dist = (p) => join(ROOT, 'dist', p);
const { openSqliteStore } = await import(dist('store/store.js'));
const { personalityFor } = await import(dist('lab/personalities/index.js'));
const { recordSuccess } = await import(dist('backups/record.js'));
const { ContentReader } = await import(dist('backups/content-store.js'));

const devices = Number(process.env.DEVICES ?? 500);
const days = Number(process.env.DAYS ?? 30);
const configBytes = Number(process.env.CONFIG_BYTES ?? 50_000);
const changeShare = Number(process.env.CHANGE ?? 0.02);
const platforms = ['cisco_ios', 'cisco_nxos', 'cisco_xr', 'arista_eos', 'juniper_junos', 'hp_procurve', 'aruba_aoscx', 'cisco_xe'];
const home = tempHome('netstacks-bench-storage-');
const repo = join(home, 'git');

let seed = 12345;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

const dirSize = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);

try {
  const configs = [];
  for (let i = 0; i < devices; i++) {
    const platform = platforms[i % platforms.length];
    const id = { name: `d${i + 1}`, hostname: `d${i + 1}`, platform, seed: 1, index: i, host: '127.0.0.1', bigConfig: false, configBytes };
    const personality = personalityFor(platform);
    configs.push(personality.runningConfig(personality.initialState(id), id));
  }
  const store = await openSqliteStore(join(home, 'netstacks.db'));
  const context = { store, reader: new ContentReader(store.db), fullEvery: 20, snapshotId: null, type: 'scheduled', deviceIds: new Map() };
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
  git('init', '-q');

  let changes = 0;
  const t0 = performance.now();
  let storeMs = 0;
  for (let day = 0; day < days; day++) {
    if (day > 0) {
      for (let i = 0; i < devices; i++) {
        if (random() >= changeShare) continue;
        const lines = configs[i].split('\n');
        // a typical change: a few lines edited or added somewhere in the config
        for (let k = 0; k < 3; k++) {
          const at = 5 + Math.floor(random() * (lines.length - 10));
          if (random() < 0.5) lines[at] = `${lines[at]} ! day ${day}`;
          else lines.splice(at, 0, ` description changed on day ${day}`);
        }
        configs[i] = lines.join('\n');
        changes++;
      }
    }
    const s0 = performance.now();
    const snapshot = await store.write((tx) => tx.insertInto('backup_snapshots').values({ type: 'scheduled', selection: null, status: 'running', total: devices, success: 0, failed: 0, skipped: 0, changed: 0, pid: process.pid, hostname: 'bench', process_start: null, started_at: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(), finished_at: null }).returning('id').executeTakeFirstOrThrow());
    context.snapshotId = snapshot.id;
    for (let i = 0; i < devices; i++) {
      await recordSuccess(context, `d${i + 1}`, { platform: platforms[i % platforms.length], format: 'native', config: configs[i], facts: {} }, 100);
    }
    await store.write((tx) => tx.updateTable('backup_snapshots').set({ status: 'complete', success: devices, finished_at: new Date().toISOString() }).where('id', '=', snapshot.id).execute());
    storeMs += performance.now() - s0;
    for (let i = 0; i < devices; i++) {
      const dir = join(repo, `site${i % 10}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `d${i + 1}`), configs[i]);
    }
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', `day ${day}`);
  }
  const payload = Number((await store.db.selectFrom('backup_contents').select((eb) => eb.fn.sum(eb.fn('length', ['data'])).as('n')).executeTakeFirstOrThrow()).n);
  const rows = Number((await store.db.selectFrom('backups').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  await store.close();
  // the database file as it sits on disk, WAL checkpointed and free pages dropped
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(home, 'netstacks.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.close();
  const storeBytes = statSync(join(home, 'netstacks.db')).size;
  git('gc', '-q');
  const gitBytes = dirSize(join(repo, '.git'));
  const raw = configs.reduce((n, c) => n + c.length, 0);
  const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
  console.log(`${devices} devices x ${days} days, ${changes} changes (${(changeShare * 100).toFixed(0)}%/day), configs ~${(raw / devices / 1000).toFixed(0)} KB (${mb(raw)} per day uncompressed); ${(performance.now() - t0) / 1000 | 0} s`);
  console.log(`  backup store: ${mb(storeBytes)} database file (${mb(payload)} compressed texts, ${rows} backup rows); storing took ${(storeMs / 1000).toFixed(1)} s`);
  console.log(`  git after gc: ${mb(gitBytes)} (.git)`);
  const ratio = storeBytes / gitBytes;
  console.log(`  ratio store/git ${ratio.toFixed(2)}x (aim <= 1.5x) ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
