// Figure: validating a 200-step MOP in-process (a library call, besides the CLI's start-up): target
// <= 50 ms. Schema, positions, step types and parameters, jumps, template parsing and step references.
// Uses the built code (npm run build first).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, fmt, median, tempHome } from './lib.mjs';

const dist = (p) => join(ROOT, 'dist', p);
const { validateMop, registerStepType, resolveStepTypes } = await import(dist('mops/engine/index.js'));
const { z } = await import('zod');

const STEPS = Number(process.env.STEPS ?? 200);
const home = tempHome('netstacks-bench-mopvalidate-');
try {
  const location = { cwd: home, home };
  const types = (await resolveStepTypes(location)).types;
  // the built-in `command` type when present, else a stand-in with the same kind of parameters
  let type = 'command';
  if (!types.has('command')) {
    type = 'bench_command';
    registerStepType({
      name: type,
      description: 'bench',
      scope: 'device',
      readOnly: true,
      params: z.object({ command: z.string(), contains: z.array(z.string()).optional(), regex: z.string().optional() }).strict(),
      run: async () => ({ status: 'passed' }),
    });
  }
  const lines = ['name: bench-200', 'description: a long pre/post check', 'targets: "role:core"', 'strategy: { type: canary, first: 1, batch: "20%", max_failures: 1 }', 'inputs:', '  version: { type: string, required: true, description: target image }', '  vrf: { type: string, default: default }', 'steps:'];
  for (let i = 1; i <= STEPS; i++) {
    lines.push(`  - id: s${i}`, `    name: "check {{ inventory_hostname }} #${i}"`, `    type: ${type}`, `    command: "show ip route vrf {{ vrf }} | include {{ version }}"`);
    if (i > 1) lines.push(`    when: "steps.s${i - 1}.status == 'passed' and inputs.version | length > 0"`);
    lines.push(`    contains: ["{{ ${i > 1 ? `steps.s${i - 1}.captures.value` : 'vrf'} | default('x') }}"]`);
    if (i % 10 === 0) lines.push(`    on_failure: s${i - 9}`);
  }
  lines.push('rollback:', `  - { id: undo, type: ${type}, command: "show running-config" }`);
  mkdirSync(join(home, 'mops'), { recursive: true });
  const file = join(home, 'mops', 'bench.yaml');
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);

  let t0 = performance.now();
  let issues = await validateMop(file, location);
  const cold = performance.now() - t0;
  if (issues.length > 0) throw new Error(`bench MOP has issues: ${JSON.stringify(issues.slice(0, 3))}`);
  const times = [];
  const cpu = [];
  for (let i = 0; i < 20; i++) {
    t0 = performance.now();
    const c0 = process.cpuUsage();
    issues = await validateMop(file, location);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const load = loadavg()[0].toFixed(1);
  console.log(`mop validate, ${STEPS} steps (${type}, ${(text.length / 1024).toFixed(0)} KB), in-process: median ${fmt(median(times))} wall, ${fmt(median(cpu))} CPU; first call ${fmt(cold)} (target <= 50 ms; load average ${load})`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
