// Figures: import of 10,000 devices from YAML (target <= 5 s) and median `device list --json`
// over them (target <= 400 ms).
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BIN, benchEnv, fmt, median, tempHome, timeRun } from './lib.mjs';

const count = Number(process.env.DEVICES ?? 10_000);
const home = tempHome();
const env = benchEnv(home);
const platforms = ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos', 'cisco_xr'];
const sites = ['ams1', 'fra2', 'lon3', 'nyc1', 'sfo2'];
const devices = Array.from({ length: count }, (_, i) => ({
  name: `dev-${String(i).padStart(5, '0')}`,
  host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  platform: platforms[i % platforms.length],
  site: sites[i % sites.length],
  role: i % 10 === 0 ? 'core' : 'access',
  tags: i % 3 === 0 ? ['prod', 'bgp'] : ['prod'],
  variables: { asn: 65000 + (i % 100), loopback: `192.0.2.${i % 250}` },
}));
const file = join(home, 'devices.yaml');
writeFileSync(file, stringify({ devices }));

try {
  timeRun(process.execPath, [BIN, 'device', 'list', '--json'], { env }); // creates the database
  const imported = timeRun(process.execPath, [BIN, 'inventory', 'import', file], { env });
  console.log(`import ${count} devices from YAML: ${fmt(imported.ms)} (target <= 5000 ms) ${imported.ms <= 5000 ? 'PASS' : 'FAIL'}`);

  const runs = [];
  let listed = 0;
  for (let i = 0; i < 11; i++) {
    const r = timeRun(process.execPath, [BIN, 'device', 'list', '--json'], { env });
    listed = JSON.parse(r.stdout).length;
    runs.push(r.ms);
  }
  const m = median(runs);
  console.log(`device list --json over ${listed} devices: median ${fmt(m)} (target <= 400 ms) ${m <= 400 ? 'PASS' : 'FAIL'}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
