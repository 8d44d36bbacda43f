// Figure: the MOP engine's overhead. A 20-step MOP of `command` steps on 100 lab devices (parallel
// 50, quirks off) against the same 20 commands sent with `netstacks run` at concurrency 50. The lab
// runs in its own process; each CLI run is measured for its own CPU time (user + system, from
// process.cpuUsage() at exit) and wall time, 5 runs each (RUNS=n), medians compared. Both print
// --json lines (the MOP: run-start, step-start and step per step and device, device, summary) and
// the MOP records every step × device with its masked output in the store, as `mop run` always does.
// The load average is printed before and after: on a shared machine CPU time grows with the load.
// Target: the engine adds <= 10% CPU time.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, benchEnv, fmt, median, tempHome, timeRun } from './lib.mjs';

const devices = Number(process.env.DEVICES ?? 100);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const runs = Number(process.env.RUNS ?? 5);
const STEPS = 20;
const SHOWS = ['show version', 'show ip interface brief', 'show ip route', 'show ip bgp summary', 'show lldp neighbors'];
const commands = Array.from({ length: STEPS }, (_, i) => SHOWS[i % SHOWS.length]);

const home = tempHome('netstacks-bench-mops-');
const work = join(home, 'work');
mkdirSync(work, { recursive: true });
const env = benchEnv(home);
const cli = (...args) => timeRun(process.execPath, [BIN, ...args], { env, cwd: work });

const mop = [
  'name: overhead',
  `description: ${STEPS} command steps`,
  'targets: "tag:lab"',
  'strategy:',
  '  type: parallel',
  `  limit: ${concurrency}`,
  'steps:',
  ...commands.flatMap((command, i) => [`  - id: s${i + 1}`, '    type: command', `    command: ${command}`]),
  '',
].join('\n');
writeFileSync(join(work, 'overhead.yaml'), mop);

// runs the CLI in a process that reports its own CPU time on exit (the lab is another process)
const wrapper = join(home, 'cpu-wrap.mjs');
writeFileSync(
  wrapper,
  `import { writeSync } from 'node:fs';
process.on('exit', () => { const u = process.cpuUsage(); writeSync(2, '\\nCPU_USAGE ' + JSON.stringify(u) + '\\n'); });
process.argv.splice(1, 1);
await import(${JSON.stringify(BIN)});
`,
);

function measured(args) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [wrapper, BIN, ...args], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const m = /CPU_USAGE (\{.*\})/.exec(stderr);
      if (!m) return reject(new Error(`no CPU figure (exit ${code}): ${stderr.slice(-500)}`));
      const { user, system } = JSON.parse(m[1]);
      resolvePromise({ code, wallMs, cpuMs: (user + system) / 1000, stdout, stderr });
    });
  });
}

function check(label, result, okCount) {
  if (result.code !== 0) throw new Error(`${label} exited ${result.code}: ${result.stderr.slice(-1000)}`);
  if (okCount !== devices) throw new Error(`${label}: ${okCount}/${devices} devices ok`);
}

try {
  cli('lab', 'start', '--detach', '--devices', String(devices), '--platforms', 'cisco_ios', '--port', '0', '--no-quirks');
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average before: ${load()}`);
  console.log(`lab: ${devices} cisco_ios devices, quirks off, separate process; ${STEPS} commands, concurrency ${concurrency}, ${runs} runs each`);
  // warm-up: known_hosts, vault key, page cache
  cli('run', 'show version', '--on', 'ios-1', '--json');
  cli('mop', 'run', 'overhead.yaml', '--on', 'name:ios-1', '--json', '--yes');

  const runCpu = [];
  const runWall = [];
  const mopCpu = [];
  const mopWall = [];
  for (let i = 0; i < runs; i++) {
    // alternate, so drift (thermal, other load) hits both alike
    const r = await measured(['run', ...commands, '--concurrency', String(concurrency), '--json']);
    const okRun = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'device' && l.status === 'ok').length;
    check('run', r, okRun);
    runCpu.push(r.cpuMs);
    runWall.push(r.wallMs);
    const m = await measured(['mop', 'run', 'overhead.yaml', '--concurrency', String(concurrency), '--json', '--yes']);
    const lines = m.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const okMop = lines.filter((l) => l.event === 'device' && l.status === 'passed').length;
    check('mop run', m, okMop);
    mopCpu.push(m.cpuMs);
    mopWall.push(m.wallMs);
    console.log(`  run ${i + 1}: run ${fmt(r.cpuMs)} CPU / ${fmt(r.wallMs)} wall; mop run ${fmt(m.cpuMs)} CPU / ${fmt(m.wallMs)} wall`);
  }
  const cpu = { run: median(runCpu), mop: median(mopCpu) };
  const wall = { run: median(runWall), mop: median(mopWall) };
  const cpuOverhead = ((cpu.mop - cpu.run) / cpu.run) * 100;
  const wallOverhead = ((wall.mop - wall.run) / wall.run) * 100;
  console.log(`netstacks run (${STEPS} commands x ${devices} devices): median CPU ${fmt(cpu.run)}, median wall ${fmt(wall.run)}`);
  console.log(`netstacks mop run (${STEPS} command steps x ${devices} devices, recorded): median CPU ${fmt(cpu.mop)}, median wall ${fmt(wall.mop)}`);
  console.log(`load average after: ${load()}`);
  console.log(`engine overhead: CPU ${cpuOverhead.toFixed(1)}% (target <= 10%) ${cpuOverhead <= 10 ? 'PASS' : 'FAIL'}; wall ${wallOverhead.toFixed(1)}%`);
} finally {
  timeRun(process.execPath, [BIN, 'lab', 'stop'], { env, cwd: work, allowFailure: true });
  rmSync(home, { recursive: true, force: true });
}
