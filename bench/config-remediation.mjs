// Figure: remediation of a 5,000-line running config against a 5,000-line intended config
// (target <= 100 ms), through the library in dist/ (run `npm run build` first).
import { performance } from 'node:perf_hooks';
import { configModelFor } from '../dist/config/index.js';
import { fmt, median } from './lib.mjs';

/** An IOS config of about `lines` lines: interfaces, BGP neighbours, ACL entries, static routes. */
function config(lines, variant) {
  const out = ['hostname bench'];
  let i = 0;
  while (out.length < lines) {
    const n = i++;
    out.push(`interface GigabitEthernet1/0/${n}`, ` description port ${n}${variant && n % 50 === 0 ? ' changed' : ''}`, ` ip address 10.${n >> 8}.${n & 255}.1 255.255.255.0`);
    if (!(variant && n % 97 === 0)) out.push(' no shutdown');
    if (n % 10 === 0) out.push(`ip route 172.16.${n >> 8}.${n & 255} 255.255.255.255 10.0.0.${(n % 250) + 1}`);
  }
  out.push('router bgp 65000');
  for (let n = 0; n < 200; n++) out.push(` neighbor 192.0.2.${n} remote-as ${65001 + (variant && n % 20 === 0 ? 1 : 0)}`);
  out.push('ip access-list extended EDGE');
  for (let n = 1; n <= 200; n++) out.push(` ${n * 10} permit tcp any host 198.51.100.${n % 250} eq ${variant && n % 40 === 0 ? 443 : 22}`);
  return out.slice(0, lines + 401).join('\n');
}

const model = configModelFor('cisco_ios');
const running = config(5000, false);
const intended = config(5000, true);
const times = [];
const cpu = [];
let result;
for (let run = 0; run < 15; run++) {
  const started = performance.now();
  const usage = process.cpuUsage();
  result = model.remediation(running, intended, { mode: 'replace' });
  const used = process.cpuUsage(usage);
  times.push(performance.now() - started);
  cpu.push((used.user + used.system) / 1000);
}
const ms = median(times);
// CPU time beside the wall clock: on a loaded machine the wall clock measures the other processes too
console.log(
  `remediation of ${running.split('\n').length} running lines against ${intended.split('\n').length} intended lines (both directions): median ${fmt(ms)} over 15 runs (CPU time ${fmt(median(cpu))}), ${result.commands.length} commands (target <= 100 ms) ${ms <= 100 ? 'PASS' : 'FAIL'}`,
);
