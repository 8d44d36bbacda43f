// Figures: `netstacks run 'show version'` on 500 lab devices (lab in a separate process) at
// concurrency 100: devices/s (target >= 150), peak RSS of the CLI (target <= 300 MB) and the
// median connect time per device. With PEER=1 (or `--peer`), the same job with Netmiko
// (Debian's python3-netmiko) in a 20-thread pool, and the ratio (aim: >= 5x).
// QUIRKS=1 keeps the lab's awkward-device quirks on (slower by design: split and late prompts).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { BIN, benchEnv, fmt, median, runWithPeakRss, tempHome, timeRun } from './lib.mjs';

const devices = Number(process.env.DEVICES ?? 500);
const concurrency = Number(process.env.CONCURRENCY ?? 100);
const quirks = process.env.QUIRKS === '1';
const peer = process.env.PEER === '1' || process.argv.includes('--peer');
// the platforms whose CLI has `show version` (FortiOS, PAN-OS and Linux do not)
const platforms = process.env.PLATFORMS ?? 'cisco_ios,cisco_xe,cisco_nxos,cisco_xr,arista_eos,juniper_junos,hp_procurve,aruba_aoscx';
const home = tempHome();
const env = benchEnv(home);
const cli = (...args) => timeRun(process.execPath, [BIN, ...args], { env });

try {
  cli('lab', 'start', '--detach', '--devices', String(devices), '--platforms', platforms, '--port', '0', ...(quirks ? [] : ['--no-quirks']));
  const lab = JSON.parse(cli('lab', 'status', '--json').stdout);
  console.log(`lab: ${devices} devices on port ${lab.port}, quirks ${quirks ? 'on' : 'off'}, separate process`);

  // Warm-up on a few devices so the first-run costs (known_hosts, vault key) are not counted.
  cli('run', 'show version', '--on', 'ios-1', '--json');
  cli('run', 'show version', '--on', 'ios-1', '--json');

  const run = await runWithPeakRss(process.execPath, [BIN, 'run', 'show version', '--concurrency', String(concurrency), '--json'], { env });
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const results = lines.filter((l) => l.type === 'device');
  const ok = results.filter((r) => r.status === 'ok');
  const perSecond = results.length / (run.ms / 1000);
  const connects = ok.map((r) => r.data.connectMs);
  console.log(`run 'show version' on ${results.length} devices at concurrency ${concurrency}: ${ok.length} ok in ${fmt(run.ms)}`);
  console.log(`  throughput ${perSecond.toFixed(0)} devices/s (target >= 150) ${perSecond >= 150 ? 'PASS' : 'FAIL'}`);
  console.log(`  peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB (target <= 300 MB) ${run.peakRssMb !== null && run.peakRssMb <= 300 ? 'PASS' : 'FAIL'}`);
  console.log(`  median connect (TCP to authenticated) ${fmt(median(connects))}; median device total ${fmt(median(ok.map((r) => r.durationMs)))}`);
  if (ok.length !== results.length) {
    const byPlatform = {};
    for (const r of results.filter((x) => x.status !== 'ok')) byPlatform[r.device.replace(/-\d+$/, '')] = (byPlatform[r.device.replace(/-\d+$/, '')] ?? 0) + 1;
    console.log(`  failed by device kind: ${JSON.stringify(byPlatform)}`);
    const failed = results.filter((r) => r.status !== 'ok').slice(0, 5);
    console.log(`  not ok: ${failed.map((r) => `${r.device} ${r.errorClass}: ${r.message}`).join('; ')}`);
  }

  if (peer) {
    const python = '/usr/bin/python3';
    const check = existsSync(python) && spawnSync(python, ['-c', 'import netmiko'], { encoding: 'utf8' });
    if (!check || check.status !== 0) {
      console.log('peer: skipped, Netmiko not installed (apt-get install python3-netmiko)');
    } else {
      // Netmiko 2.4.2 has no aruba_aoscx driver: those devices are left out of its run
      const list = JSON.parse(cli('device', 'list', '--json').stdout)
        .filter((d) => d.platform !== 'aruba_aoscx')
        .map((d) => ({ name: d.name, host: d.host, port: lab.port, platform: d.platform, username: 'netstacks', password: 'netstacks-lab', enable: 'lab-enable' }));
      const py = spawnSync(python, [new URL('./netmiko_peer.py', import.meta.url).pathname, '20'], { input: JSON.stringify(list), encoding: 'utf8', maxBuffer: 1 << 26 });
      if (py.status !== 0) throw new Error(`netmiko peer failed: ${py.stderr}`);
      const peerResult = JSON.parse(py.stdout.trim().split('\n').pop());
      const peerRate = peerResult.devices / peerResult.seconds;
      console.log(`peer Netmiko 2.4.2, 20 threads: ${peerResult.ok}/${peerResult.devices} ok in ${(peerResult.seconds * 1000).toFixed(0)} ms, ${peerRate.toFixed(1)} devices/s`);
      if (peerResult.failures.length) console.log(`  Netmiko failures (first ${peerResult.failures.length}): ${peerResult.failures.join(' | ')}`);
      console.log(`ratio netstacks/netmiko: ${(perSecond / peerRate).toFixed(1)}x (aim >= 5x)`);
    }
  }
} finally {
  timeRun(process.execPath, [BIN, 'lab', 'stop'], { env, allowFailure: true });
  rmSync(home, { recursive: true, force: true });
}
