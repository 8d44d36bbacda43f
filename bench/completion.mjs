#!/usr/bin/env node
// Completion latency with a large inventory: the time bash takes to complete a device name
// (`netstacks device show dev-12<Tab>`) and an --on value with N devices in the names cache.
// Target: <= 50 ms per completion. Usage: node bench/completion.mjs [devices=10000] [runs=20]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 20);
const bin = resolve(import.meta.dirname, '../bin/netstacks.js');
const home = mkdtempSync(join(tmpdir(), 'netstacks-bench-completion-'));
try {
  const env = { ...process.env, NETSTACKS_HOME: home };
  // the real import path writes the names cache, as any inventory change does
  const yaml = ['devices:', ...Array.from({ length: count }, (_, i) => `  - {name: dev-${String(i).padStart(5, '0')}, host: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, site: site-${i % 50}}`)].join('\n');
  writeFileSync(join(home, 'inv.yaml'), yaml + '\n');
  execFileSync(process.execPath, [bin, 'inventory', 'import', join(home, 'inv.yaml')], { env, stdio: 'ignore' });
  const script = join(home, 'netstacks.bash');
  writeFileSync(script, execFileSync(process.execPath, [bin, 'completion', 'bash'], { env }));
  const ask = (words) => `COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _netstacks; n=\${#COMPREPLY[@]}`;
  const cases = { 'device name (dev-012…)': ['netstacks', 'device', 'show', 'dev-012'], 'all device names': ['netstacks', 'device', 'show', "''"], '--on site:': ['netstacks', 'run', 'x', '--on', 'site:'] };
  for (const [label, words] of Object.entries(cases)) {
    // one bash, many completions: the figure is the completion, not bash's own start-up
    const program = `source ${script}; ${ask(words)}; s=$EPOCHREALTIME; for ((k = 0; k < ${runs}; k++)); do ${ask(words)}; done; e=$EPOCHREALTIME; echo "$n $s $e"`;
    const [n, s, e] = execFileSync('bash', ['-c', program], { env, encoding: 'utf8' }).trim().split(' ');
    const ms = ((Number(e) - Number(s)) * 1000) / runs;
    console.log(`completion ${label}: ${ms.toFixed(1)} ms per completion, ${n} candidates (${count} devices; target <= 50 ms)`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
