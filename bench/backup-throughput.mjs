// Figure: `netstacks backup run` on 500 lab devices with ~50 KB configs (lab in a separate
// process, quirks off) at concurrency 100: devices/s (target >= 100) and peak RSS of the CLI
// (target <= 300 MB), with the CPU each device cost the CLI and the lab. With PEER=1 (or --peer),
// the same job with Netmiko (Debian's python3-netmiko, 20 threads: enable, the config command,
// then the platform's backup facts and startup-config commands, as `backup run` sends them) and
// the ratio. DEVICES, CONCURRENCY and CONFIG_BYTES shorten or grow it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BIN, benchEnv, fmt, tempHome, timeRun } from './lib.mjs';

const TICK_MS = 10; // USER_HZ is 100 on Linux
/** CPU milliseconds (user + system, all threads) a live process has used; null where /proc is absent */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** Spawns the CLI and samples its peak RSS (VmHWM) and CPU from /proc every 20 ms while it runs. */
function runSampled(args, env) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = null;
    let cpu = null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb ?? 0, Number(match[1]));
      } catch {
        /* gone */
      }
      cpu = cpuMs(child.pid) ?? cpu;
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`backup run exited ${code}: ${stderr}`));
      // the last sample misses at most 20 ms of the process's life
      else resolvePromise({ ms, stdout, peakRssMb: peakKb === null ? null : peakKb / 1024, cpuMs: cpu });
    });
  });
}

const devices = Number(process.env.DEVICES ?? 500);
const concurrency = Number(process.env.CONCURRENCY ?? 100);
const configBytes = Number(process.env.CONFIG_BYTES ?? 50_000);
const peer = process.env.PEER === '1' || process.argv.includes('--peer');
// platforms whose lab configs grow to CONFIG_BYTES (FortiOS, PAN-OS and Linux keep their small ones)
const platforms = process.env.PLATFORMS ?? 'cisco_ios,cisco_xe,cisco_nxos,cisco_xr,arista_eos,juniper_junos,hp_procurve,aruba_aoscx';
const home = tempHome();
const env = benchEnv(home);
const cli = (...args) => timeRun(process.execPath, [BIN, ...args], { env });

try {
  cli('lab', 'start', '--detach', '--devices', String(devices), '--platforms', platforms, '--port', '0', '--no-quirks', '--config-bytes', String(configBytes));
  const lab = JSON.parse(cli('lab', 'status', '--json').stdout);
  console.log(`lab: ${devices} devices on port ${lab.port}, configs ~${configBytes} bytes, quirks off, separate process (pid ${lab.pid}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  cli('backup', 'run', '--on', 'ios-1', '--json');
  const perDevice = (ms, n) => (ms === null ? '?' : (ms / Math.max(n, 1)).toFixed(1));

  const labBefore = cpuMs(lab.pid);
  const run = await runSampled(['backup', 'run', '--concurrency', String(concurrency), '--json'], env);
  const labFirst = labBefore === null ? null : cpuMs(lab.pid) - labBefore;
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const results = lines.filter((l) => l.type === 'device');
  const ok = results.filter((r) => r.status === 'ok');
  const bytes = ok.reduce((n, r) => n + r.data.size, 0);
  const perSecond = results.length / (run.ms / 1000);
  console.log(`backup run on ${results.length} devices at concurrency ${concurrency}: ${ok.length} ok in ${fmt(run.ms)}, ${(bytes / 1e6).toFixed(1)} MB of config (mean ${(bytes / Math.max(ok.length, 1) / 1000).toFixed(0)} KB)`);
  console.log(`  throughput ${perSecond.toFixed(0)} devices/s (target >= 100) ${perSecond >= 100 ? 'PASS' : 'FAIL'}`);
  console.log(`  peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB (target <= 300 MB) ${run.peakRssMb !== null && run.peakRssMb <= 300 ? 'PASS' : 'FAIL'}`);
  console.log(`  CPU per device: CLI ${perDevice(run.cpuMs, results.length)} ms (all threads, start-up included), lab ${perDevice(labFirst, results.length)} ms`);
  if (ok.length !== results.length) {
    const failed = results.filter((r) => r.status !== 'ok').slice(0, 5);
    console.log(`  not ok: ${failed.map((r) => `${r.device} ${r.errorClass}: ${r.message}`).join('; ')}`);
  }
  const labBeforeAgain = cpuMs(lab.pid);
  const again = await runSampled(['backup', 'run', '--concurrency', String(concurrency), '--json'], env);
  const labAgain = labBeforeAgain === null ? null : cpuMs(lab.pid) - labBeforeAgain;
  const snapshot = JSON.parse(again.stdout.trim().split('\n').pop());
  console.log(
    `  second run (nothing changed): ${fmt(again.ms)}, ${(snapshot.total / (again.ms / 1000)).toFixed(0)} devices/s, ${snapshot.changed} changed, peak RSS ${again.peakRssMb?.toFixed(0) ?? '?'} MB; ` +
      `CPU per device: CLI ${perDevice(again.cpuMs, snapshot.total)} ms, lab ${perDevice(labAgain, snapshot.total)} ms`,
  );
  console.log(`  load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores shared with other work: wall-clock figures are only as good as the machine is idle)`);

  if (peer) {
    const python = '/usr/bin/python3';
    const check = existsSync(python) && spawnSync(python, ['-c', 'import netmiko'], { encoding: 'utf8' });
    if (!check || check.status !== 0) {
      console.log('peer: skipped, Netmiko not installed (apt-get install python3-netmiko)');
    } else {
      const { getPlatform } = await import('../dist/platforms/index.js');
      // what `backup run` sends (default settings): the config command, the facts, the startup config
      const commands = (platform) => {
        const definition = getPlatform(platform);
        const config = platform === 'juniper_junos' ? 'show configuration | display set' : definition.runningConfig.command;
        return [config, ...(definition.backup?.facts ?? []).map((f) => f.command), ...(definition.backup?.startupConfig ? [definition.backup.startupConfig] : [])];
      };
      // Netmiko 2.4.2 has no aruba_aoscx driver: those devices are left out of its run
      const list = JSON.parse(cli('device', 'list', '--json').stdout)
        .filter((d) => d.platform !== 'aruba_aoscx')
        .map((d) => ({
          name: d.name,
          host: d.host,
          port: lab.port,
          platform: d.platform,
          username: 'netstacks',
          password: 'netstacks-lab',
          enable: 'lab-enable',
          enable_mode: ['cisco_ios', 'cisco_xe', 'arista_eos', 'hp_procurve'].includes(d.platform),
          command: commands(d.platform)[0],
          commands: commands(d.platform),
          min_bytes: Math.floor(configBytes * 0.8),
        }));
      const py = spawnSync(python, [new URL('./netmiko_peer.py', import.meta.url).pathname, '20'], { input: JSON.stringify(list), encoding: 'utf8', maxBuffer: 1 << 26 });
      if (py.status !== 0) throw new Error(`netmiko peer failed: ${py.stderr}`);
      const peerResult = JSON.parse(py.stdout.trim().split('\n').pop());
      const peerRate = peerResult.devices / peerResult.seconds;
      console.log(`peer Netmiko 2.4.2, 20 threads: ${peerResult.ok}/${peerResult.devices} ok in ${(peerResult.seconds * 1000).toFixed(0)} ms, ${peerRate.toFixed(1)} devices/s`);
      if (peerResult.failures.length) console.log(`  Netmiko failures (first ${peerResult.failures.length}): ${peerResult.failures.join(' | ')}`);
      console.log(`ratio netstacks/netmiko: ${(perSecond / peerRate).toFixed(1)}x`);
    }
  }
} finally {
  timeRun(process.execPath, [BIN, 'lab', 'stop'], { env, allowFailure: true });
  rmSync(home, { recursive: true, force: true });
}
