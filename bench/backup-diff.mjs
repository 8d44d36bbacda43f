// Figure: `backup diff` of two 5 MB configs with 1% of the lines changed (target <= 500 ms): the
// library path (read both versions from the store, mask secrets, diff, format), the same diffing
// the two texts from scratch (what any pair of versions not stored as delta and base costs), and
// the whole CLI process, wall and CPU. CHANGED=0.05 gives the 5% case. The lab's big IOS config
// is the text.
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, benchEnv, fmt, median, tempHome, timeRun } from './lib.mjs';

const dist = (p) => join(ROOT, 'dist', p);
const { openSqliteStore } = await import(dist('store/store.js'));
const { personalityFor } = await import(dist('lab/personalities/index.js'));
const { recordSuccess } = await import(dist('backups/record.js'));
const { ContentReader } = await import(dist('backups/content-store.js'));
const { lastTwoDistinct } = await import(dist('backups/queries.js'));
const { outgoing, lineLocalMasking } = await import(dist('backups/mask.js'));
const { shownHunks, formatHunks } = await import(dist('backups/line-diff.js'));
const { storedHunks } = await import(dist('backups/stored-diff.js'));

const share = Number(process.env.CHANGED ?? 0.01);
const home = tempHome('netstacks-bench-diff-');
let seed = 99;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

try {
  const id = { name: 'big-1', hostname: 'big-1', platform: 'cisco_ios', seed: 1, index: 0, host: '127.0.0.1', bigConfig: true };
  const personality = personalityFor('cisco_ios');
  const a = personality.runningConfig(personality.initialState(id), id);
  const lines = a.split('\n');
  let changed = 0;
  for (let i = 0; i < lines.length; i++) {
    if (random() < share) {
      lines[i] = `${lines[i]} log`;
      changed++;
    }
  }
  const b = lines.join('\n');

  const store = await openSqliteStore(join(home, 'netstacks.db'));
  const env = benchEnv(home);
  await store.db.insertInto('devices').values({ name: 'big-1', host: '127.0.0.1', port: 22, platform: 'cisco_ios', site: null, role: null, vendor: null, model: null, description: null, tags: '[]', variables: '{}', ssh: '{}', credential_id: null, enabled: 1, source: 'manual', netbox_id: null, missing_since: null, last_synced_at: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
  const context = { store, reader: new ContentReader(store.db), fullEvery: 20, snapshotId: null, type: 'manual', deviceIds: new Map() };
  for (const config of [a, b]) await recordSuccess(context, 'big-1', { platform: 'cisco_ios', format: 'native', config, facts: {} }, 1);

  const mask = { text: (t) => outgoing(t, 'cisco_ios', { maskSecrets: true }), lineLocal: lineLocalMasking('cisco_ios') };
  const cpuMs = (c0) => {
    const cpu = process.cpuUsage(c0);
    return (cpu.user + cpu.system) / 1000;
  };
  // what `backup diff big-1` does: the newer version is a delta of the older one, read with it
  const times = [];
  const cpuTimes = [];
  let hunkCount = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const pair = await lastTwoDistinct(store.db, 'big-1');
    const hunks = await storedHunks(store.db, pair.from.contentId, pair.to.contentId, 3, mask);
    formatHunks(hunks, 'a', 'b');
    hunkCount = hunks.length;
    times.push(performance.now() - t0);
    cpuTimes.push(cpuMs(c0));
  }
  // any other pair: both texts read in full and diffed from scratch
  const scratch = [];
  const scratchCpu = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const pair = await lastTwoDistinct(store.db, 'big-1');
    const reader = new ContentReader(store.db);
    const hunks = shownHunks(await reader.text(pair.from.contentId), await reader.text(pair.to.contentId), 3, mask);
    formatHunks(hunks, 'a', 'b');
    if (hunks.length !== hunkCount) throw new Error(`the two paths disagree: ${hunks.length} hunks against ${hunkCount}`);
    scratch.push(performance.now() - t0);
    scratchCpu.push(cpuMs(c0));
  }
  await store.close();
  const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;
  console.log(`${load()}; two configs of ${(a.length / 1e6).toFixed(1)} MB, ${lines.length} lines, ${changed} changed (${(share * 100).toFixed(0)}%): ${hunkCount} hunks`);
  const lib = median(times);
  console.log(`  library, as backup diff runs it (read both, the newer from its delta, mask, hunks, format): median ${fmt(lib)} wall, ${fmt(median(cpuTimes))} CPU of ${times.length} (target <= 500 ms) ${lib <= 500 ? 'PASS' : 'FAIL'}`);
  console.log(`  library, diffing the two texts from scratch (a pair not stored as delta and base): median ${fmt(median(scratch))} wall, ${fmt(median(scratchCpu))} CPU`);
  // the CLI's CPU time comes from /usr/bin/time where it exists; the wall time includes waiting for a core
  const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const cli = [];
  const cliCpu = [];
  for (let round = 0; round < 5; round++) {
    const run = timer ? timeRun(timer, ['-f', 'cpu %U %S', process.execPath, BIN, 'backup', 'diff', 'big-1'], { env }) : timeRun(process.execPath, [BIN, 'backup', 'diff', 'big-1'], { env });
    cli.push(run.ms);
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr ?? '');
    if (m) cliCpu.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  const cliWall = median(cli);
  console.log(`  CLI 'netstacks backup diff big-1' (whole process, output to a pipe): median ${fmt(cliWall)} wall${cliCpu.length ? `, ${fmt(median(cliCpu))} CPU` : ''} of ${cli.length} (target <= 500 ms) ${cliWall <= 500 ? 'PASS' : 'FAIL'}`);
  console.log(`  ${load()} at the end (wall times above it wait for a core; CPU times do not)`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
