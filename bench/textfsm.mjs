// TextFSM figures: the whole ntc-templates corpus parsed by NetStacks' engine and by python3-textfsm
// (clitable, the path Netmiko/ntc-templates take), files read beforehand, parse time only; and a
// 10,000-line `show ip route`. Needs `npm run build`. `--quick`: fewer repetitions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ROOT, fmt, median } from './lib.mjs';

const quick = process.argv.includes('--quick');
const { loadIndex, matchIndexRow, parseWithTemplates, rowTemplates, builtinTemplatesDir } = await import(join(ROOT, 'dist/parse/index.js'));

const corpus = [resolve(ROOT, '../shared'), resolve(ROOT, '../../shared')].map((d) => join(d, 'textfsm-corpus')).find((d) => existsSync(d));
if (!corpus) {
  console.error('textfsm corpus not found beside the repository (../shared/textfsm-corpus)');
  process.exit(1);
}
const templatesDir = join(corpus, 'templates');
const cases = [];
for (const platform of readdirSync(join(corpus, 'tests')).sort()) {
  for (const dir of readdirSync(join(corpus, 'tests', platform)).sort()) {
    for (const file of readdirSync(join(corpus, 'tests', platform, dir)).sort()) {
      if (!file.endsWith('.raw')) continue;
      const path = join(corpus, 'tests', platform, dir, file);
      cases.push({ platform, command: dir.replace(/_/g, ' '), path, text: readFileSync(path, 'utf8') });
    }
  }
}

const index = loadIndex(templatesDir);
let start;

// 10,000-line `show ip route` (IOS), parsed with the ntc-templates template
const lines = ['Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP', '', 'Gateway of last resort is 10.0.0.1 to network 0.0.0.0', ''];
for (let i = 0; lines.length < 10_000; i++) {
  const a = (i >> 8) & 255;
  const b = i & 255;
  if (i % 4 === 0) lines.push(`     10.${a}.0.0/16 is variably subnetted, 4 subnets, 2 masks`);
  if (i % 3 === 0) lines.push(`O E2     10.${a}.${b}.0/24 [110/20] via 192.168.${b}.1, 1d02h, GigabitEthernet0/${i % 48}`);
  else if (i % 3 === 1) lines.push(`B        172.${16 + (a % 16)}.${b}.0/24 [20/0] via 203.0.113.${b}, 3w4d`);
  else lines.push(`C        192.168.${a}.${b}/32 is directly connected, Loopback${i % 100}`);
}
const routeText = lines.slice(0, 10_000).join('\n') + '\n';
const routeRow = matchIndexRow(index, { Platform: 'cisco_ios', Command: 'show ip route' });
const routeTemplates = rowTemplates(index, routeRow);
const routeRuns = [];
const routeCpu = [];
let routeRecords = 0;
for (let i = 0; i < (quick ? 5 : 11); i++) {
  const cpu = process.cpuUsage();
  start = performance.now();
  routeRecords = parseWithTemplates(routeTemplates, routeText).length;
  routeRuns.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  routeCpu.push((used.user + used.system) / 1000);
}
// CPU time as well as wall time: on a shared, loaded machine the wall clock mostly measures waiting
console.log(`show ip route, 10,000 lines (ntc template): first parse ${fmt(routeRuns[0])}, then ${fmt(median(routeRuns.slice(1)))} wall / ${fmt(median(routeCpu.slice(1)))} CPU (median of ${routeRuns.length - 1}; ${routeRecords} records; target <= 100 ms)`);
const builtinIndex = loadIndex(builtinTemplatesDir());
const builtinRow = matchIndexRow(builtinIndex, { Platform: 'cisco_ios', Command: 'show ip route' });
if (builtinRow) {
  const builtinRuns = [];
  for (let i = 0; i < (quick ? 5 : 11); i++) {
    start = performance.now();
    routeRecords = parseWithTemplates(rowTemplates(builtinIndex, builtinRow), routeText).length;
    builtinRuns.push(performance.now() - start);
  }
  console.log(`show ip route, 10,000 lines (built-in template): first parse ${fmt(builtinRuns[0])}, then ${fmt(median(builtinRuns.slice(1)))} (${routeRecords} records)`);
}

function parseAll() {
  let records = 0;
  for (const c of cases) {
    const row = matchIndexRow(index, { Platform: c.platform, Command: c.command });
    records += parseWithTemplates(rowTemplates(index, row), c.text).length;
  }
  return records;
}
start = performance.now();
const records = parseAll();
const firstMs = performance.now() - start;
const runs = [];
for (let i = 0; i < (quick ? 2 : 5); i++) {
  start = performance.now();
  parseAll();
  runs.push(performance.now() - start);
}
const jsMs = median(runs);
console.log(`corpus: ${cases.length} cases, ${records} records`);
console.log(`netstacks: first pass (compiling ${new Set(cases.map((c) => c.platform + c.command)).size} commands' templates) ${fmt(firstMs)}, cached ${fmt(jsMs)} (median of ${runs.length})`);

// python3-textfsm: the same job through clitable, files read before the clock starts
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const pyScript = `
import json, sys, time
from textfsm import clitable
cases = json.load(sys.stdin)
texts = [open(c['path']).read() for c in cases]
table = clitable.CliTable('index', ${JSON.stringify(templatesDir)})
best = []
for _ in range(${quick ? 1 : 3}):
    start = time.perf_counter()
    for c, text in zip(cases, texts):
        table.ParseCmd(text, {'Platform': c['platform'], 'Command': c['command']})
    best.append((time.perf_counter() - start) * 1000)
best.sort()
print(best[len(best) // 2])
`;
const py = spawnSync(python, ['-c', pyScript], { input: JSON.stringify(cases.map(({ platform, command, path }) => ({ platform, command, path }))), encoding: 'utf8', maxBuffer: 1 << 26 });
if (py.status === 0) {
  const pyMs = Number(py.stdout.trim());
  console.log(`python3-textfsm (clitable): ${fmt(pyMs)}`);
  console.log(`ratio: netstacks is ${(pyMs / jsMs).toFixed(1)}x faster (cached templates; ${(pyMs / firstMs).toFixed(1)}x including first compile)`);
} else {
  console.log(`python3-textfsm unavailable: ${py.stderr.trim().split('\n').at(-1)}`);
}

