// Figures for the template layer (issue 6):
//  1. a 200-line template with loops, conditionals and 40 ipaddr calls rendered RENDERS times
//     (default 10,000) with different variables, compiled once: NetStacks vs Debian python3-jinja2
//     with Ansible's ipaddr filter plugin, side by side (target: >= 1.5x);
//  2. the same template without filters (target: >= 5,000 renders/s);
//  3. `netstacks template check` over 500 templates (target: <= 2 s, CLI start-up included).
// Needs `npm run build` first. RENDERS=1000 CHECK_TEMPLATES=100 for a quick run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, benchEnv, fmt, median, tempHome, timeRun } from './lib.mjs';

const renders = Number(process.env.RENDERS ?? 10_000);
const checkCount = Number(process.env.CHECK_TEMPLATES ?? 500);
const { createEngine } = await import(join(ROOT, 'dist/templates/engine/index.js'));

/** 20 sections of 10 lines: 200 lines, 40 ipaddr calls (or none). */
function benchTemplate(withFilters) {
  const lines = [];
  for (let n = 0; n < 20; n++) {
    const s = `sections[${n}]`;
    lines.push(
      `{% if ${s}.enabled %}`,
      `interface Vlan{{ ${s}.vlan }}`,
      ` description {{ ${s}.name }} on {{ hostname }}`,
      withFilters ? ` ip address {{ ${s}.prefix | ipaddr('address') }} {{ ${s}.prefix | ipaddr('netmask') }}` : ` ip address {{ ${s}.prefix }} {{ ${s}.mask }}`,
      `{% for h in ${s}.helpers %}`,
      ' ip helper-address {{ h }}',
      '{% endfor %}',
      '{% else %}',
      `interface Vlan{{ ${s}.vlan }} shutdown`,
      '{% endif %}',
    );
  }
  return lines.join('\n') + '\n';
}

/** The same variables as contexts() in templates_jinja2.py. */
function contexts(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const sections = [];
    for (let j = 0; j < 20; j++) {
      sections.push({
        vlan: 100 + j,
        name: `segment-${j}-${i % 7}`,
        prefix: `10.${(i >> 8) & 255}.${(i + j) & 255}.1/24`,
        mask: '255.255.255.0',
        enabled: (i + j) % 5 !== 0,
        helpers: [`192.0.2.${((i + j) % 250) + 1}`, `198.51.100.${j + 1}`],
      });
    }
    out.push({ hostname: `r${i}`, sections });
  }
  return out;
}

function benchNetstacks(folder, name, data) {
  // trim_blocks only, as the Python side (and Ansible) renders
  const ansible = createEngine({ env: 'ansible', searchPaths: [folder] });
  const first = ansible.render(name, data[0]);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (const context of data) ansible.render(name, context);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return { perSecond: data.length / seconds, perCpuSecond: data.length / ((cpu.user + cpu.system) / 1e6), first };
}

function benchJinja2(folder, name, count) {
  const result = spawnSync('/usr/bin/python3', [join(ROOT, 'bench/templates_jinja2.py'), folder, name, String(count)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) return { error: (result.stderr || result.error?.message || 'failed').trim().split('\n').pop() };
  const parsed = JSON.parse(result.stdout);
  return { perSecond: parsed.renders_per_s, perCpuSecond: parsed.renders_per_cpu_s, first: parsed.first };
}

const home = tempHome('netstacks-bench-templates-');
try {
  const folder = join(home, 'bench-templates');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'ipaddr.j2'), benchTemplate(true));
  writeFileSync(join(folder, 'plain.j2'), benchTemplate(false));
  const data = contexts(renders);

  const ours = benchNetstacks(folder, 'ipaddr.j2', data);
  const theirs = benchJinja2(folder, 'ipaddr.j2', renders);
  console.log(`render 200-line template, 40 ipaddr calls, ${renders} different contexts (compiled once):`);
  // per CPU-second too: on a shared machine wall-clock rates move with the load, CPU time much less
  const rate = (r) => `${r.perSecond.toFixed(0)} renders/s (${r.perCpuSecond.toFixed(0)} per CPU-second)`;
  console.log(`  netstacks:                       ${rate(ours)}`);
  if (theirs.error) console.log(`  python3-jinja2 + ansible ipaddr: unavailable (${theirs.error})`);
  else {
    const ratio = ours.perSecond / theirs.perSecond;
    console.log(`  python3-jinja2 + ansible ipaddr: ${rate(theirs)}`);
    console.log(`  ratio ${ratio.toFixed(2)}x (target >= 1.5x) ${ratio >= 1.5 ? 'PASS' : 'FAIL'}; same output: ${ours.first === theirs.first ? 'yes' : 'NO'}`);
  }
  const plain = benchNetstacks(folder, 'plain.j2', data);
  const plainRef = benchJinja2(folder, 'plain.j2', renders);
  console.log(`render the same template without filters: ${rate(plain)} (target >= 5000) ${plain.perSecond >= 5000 ? 'PASS' : 'FAIL'}` +
    (plainRef.error ? '' : `; python3-jinja2 ${rate(plainRef)}`));

  // 500 templates: plain, with filters and macros, including each other
  const checkDir = join(home, 'check', 'templates');
  for (let i = 0; i < checkCount; i++) {
    const sub = join(checkDir, `group${i % 10}`);
    mkdirSync(sub, { recursive: true });
    const body = [
      `{% import 'group${i % 10}/t${i % 10}.j2' as m %}`,
      `{% macro line(x, sep='-') %}{{ x }}{{ sep }}{% endmacro %}`,
      ...benchTemplate(i % 2 === 0).split('\n').slice(0, 40),
      `{% for k, v in items | dictsort %}{{ line(k) }}{{ v | default('') }}{% endfor %}`,
      i % 3 === 0 ? `{% include 'group${(i + 1) % 10}/t${(i + 1) % 10}.j2' %}` : '',
    ].join('\n');
    writeFileSync(join(sub, `t${i}.j2`), body);
    if (i % 5 === 0) writeFileSync(join(sub, `t${i}.meta.yaml`), `description: template ${i}\ntype: deploy\nplatforms: [cisco_ios]\n`);
  }
  const env = benchEnv(home);
  const cwd = join(home, 'check');
  timeRun(process.execPath, [BIN, 'settings', 'list', '--json'], { env, cwd }); // creates the database
  const runs = [];
  const cpuRuns = [];
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  for (let r = 0; r < 3; r++) {
    const run = timeBin
      ? timeRun(timeBin, ['-f', 'cpu %U %S', process.execPath, BIN, 'template', 'check'], { env, cwd })
      : timeRun(process.execPath, [BIN, 'template', 'check'], { env, cwd });
    runs.push(run.ms);
    const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
    if (cpu) cpuRuns.push((Number(cpu[1]) + Number(cpu[2])) * 1000);
  }
  const m = median(runs);
  const cpuNote = cpuRuns.length ? ` (CPU time ${fmt(median(cpuRuns))})` : '';
  console.log(`template check over ${checkCount} templates: median ${fmt(m)}${cpuNote} (target <= 2000 ms) ${m <= 2000 ? 'PASS' : 'FAIL'}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
