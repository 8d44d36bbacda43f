// Figure: median `netstacks --help` start versus `node -e 0` (target: at most 2x).
import { BIN, fmt, median, timeRun } from './lib.mjs';

const runs = Number(process.env.RUNS ?? 21);
const node = [];
const help = [];
for (let i = 0; i < runs; i++) {
  node.push(timeRun(process.execPath, ['-e', '0']).ms);
  help.push(timeRun(process.execPath, [BIN, '--help']).ms);
}
const ratio = median(help) / median(node);
console.log(`node -e 0          median ${fmt(median(node))}`);
console.log(`netstacks --help   median ${fmt(median(help))}`);
console.log(`ratio ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'PASS' : 'FAIL'}`);
