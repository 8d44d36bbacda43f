// Figure: one connect + exec + close on loopback, one at a time (target: well under 20 ms), through
// the library's connectSsh against a lab linux device in a separate process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, benchEnv, fmt, median, tempHome, timeRun } from './lib.mjs';

const runs = Number(process.env.RUNS ?? 100);
const home = tempHome();
const env = benchEnv(home);
const { connectSsh } = await import('../dist/ssh/index.js');
const { LAB_USERNAME, LAB_PASSWORD } = await import('../dist/lab/credentials.js');

try {
  timeRun(process.execPath, [BIN, 'lab', 'start', '--detach', '--devices', '1', '--platforms', 'linux', '--no-quirks', '--port', '0'], { env });
  const lab = JSON.parse(timeRun(process.execPath, [BIN, 'lab', 'status', '--json'], { env }).stdout);
  const device = lab.devices[0];
  const options = {
    label: device.name,
    host: device.host,
    port: lab.port,
    auth: { username: LAB_USERNAME, password: LAB_PASSWORD },
    hostKeys: { knownHostsFile: join(home, 'known_hosts'), strict: false },
    timeouts: { connect: 5000, auth: 5000, banner: 5000 },
  };
  const once = async () => {
    const start = process.hrtime.bigint();
    const connection = await connectSsh(options);
    const result = await connection.exec('echo ok');
    await connection.close();
    if (!result.stdout.includes('ok')) throw new Error(`unexpected output: ${result.stdout}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 5; i++) await once(); // warm-up: loads ssh2, fills the known_hosts cache
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const m = median(times);
  console.log(`connect + exec + close, one at a time, ${runs} runs: median ${fmt(m)}, fastest ${fmt(Math.min(...times))} (target well under 20 ms) ${m < 20 ? 'PASS' : 'FAIL'}`);
} finally {
  timeRun(process.execPath, [BIN, 'lab', 'stop'], { env, allowFailure: true });
  rmSync(home, { recursive: true, force: true });
}
