// Figures: `netstacks deploy` of a 3-service stack (about 40 rendered lines per device) to 200 lab
// devices at concurrency 50, quirks off, plan included: target <= 10 s. A second, idempotent
// deploy of the same stack (plans, finds nothing to do, pushes nothing): target <= 5 s.
// DEVICES and CONCURRENCY override the defaults.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, benchEnv, fmt, tempHome, timeRun } from './lib.mjs';

const devices = Number(process.env.DEVICES ?? 200);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const home = tempHome('netstacks-bench-deploy-');
const env = benchEnv(home);
const cli = (args, options = {}) => timeRun(process.execPath, [BIN, ...args], { env, ...options });

const templates = join(home, 'templates');
mkdirSync(join(templates, 'cisco_ios'), { recursive: true });
writeFileSync(join(templates, 'cisco_ios/bench-logging.j2'), '{% for host in log_hosts %}\nlogging host {{ host }}\n{% endfor %}\n');
writeFileSync(
  join(templates, 'cisco_ios/bench-loopbacks.j2'),
  '{% for id in loopbacks %}\ninterface Loopback{{ id }}\n description bench loopback {{ id }}\n ip address 10.{{ id }}.{{ site }}.1 255.255.255.255\n{% endfor %}\n',
);
writeFileSync(join(templates, 'cisco_ios/bench-routes.j2'), '{% for n in routes %}\nip route 10.201.{{ n }}.0 255.255.255.0 Null0\n{% endfor %}\n');
const stack = join(home, 'bench.yaml');
const range = (from, count) => Array.from({ length: count }, (_, i) => from + i);
writeFileSync(
  stack,
  `name: bench
description: 3 services, about 40 lines per device
variables:
  site: 7
services:
  - name: logging
    template: cisco_ios/bench-logging
    targets: { on: 'platform:cisco_ios' }
    variables: { log_hosts: [${range(1, 15).map((i) => `10.200.0.${i}`).join(', ')}] }
  - name: loopbacks
    template: cisco_ios/bench-loopbacks
    targets: { on: 'platform:cisco_ios' }
    depends_on: [logging]
    variables: { loopbacks: [${range(101, 5).join(', ')}] }
  - name: routes
    template: cisco_ios/bench-routes
    targets: { on: 'platform:cisco_ios' }
    depends_on: [loopbacks]
    variables: { routes: [${range(1, 11).join(', ')}] }
`,
);

try {
  cli(['lab', 'start', '--detach', '--devices', String(devices), '--platforms', 'cisco_ios', '--port', '0', '--no-quirks']);
  console.log(`lab: ${devices} cisco_ios devices, quirks off, separate process`);
  const deploy = () => {
    const run = cli(['deploy', stack, '--templates', templates, '--yes', '--concurrency', String(concurrency), '--json'], { allowFailure: true });
    const lines = run.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const plans = lines.filter((l) => l.type === 'plan');
    const pushed = lines.filter((l) => l.type === 'device');
    const deployment = lines.find((l) => l.type === 'deployment');
    if (run.status !== 0) console.log(`  exit ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return { ms: run.ms, plans, pushed, deployment };
  };
  const first = deploy();
  const lineCount = first.plans[0]?.data?.commands?.length ?? 0;
  const applied = Object.values(first.deployment?.devices ?? {}).filter((o) => o === 'applied').length;
  console.log(`deploy (plan + push + post-check) to ${first.plans.length} devices, ${lineCount} commands each, concurrency ${concurrency}: ${applied} applied in ${fmt(first.ms)}`);
  console.log(`  target <= 10 s: ${first.ms <= 10_000 && applied === devices ? 'PASS' : 'FAIL'}`);
  const second = deploy();
  const unchanged = Object.values(second.deployment?.devices ?? {}).filter((o) => o === 'unchanged').length;
  console.log(`second deploy (idempotent): ${unchanged} of ${second.plans.length} devices unchanged, ${second.pushed.length} pushed, in ${fmt(second.ms)}`);
  console.log(`  target <= 5 s: ${second.ms <= 5_000 && unchanged === devices && second.pushed.length === 0 ? 'PASS' : 'FAIL'}`);
} finally {
  cli(['lab', 'stop'], { allowFailure: true });
  rmSync(home, { recursive: true, force: true });
}
